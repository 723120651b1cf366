import { METADATA_ADDRESSES } from "./metadata-lockdown";
import { fail, shellScript } from "./shell";
import type { Cloud } from "./types";

// Containers must not reach the cloud's metadata service: on Azure it hands any caller a token
// for the VM's managed identity (IMDS has no hop limit there), on EC2 the instance role's keys.
// The uid rule of metadata-lockdown.ts cannot stop them: a container's packets are forwarded,
// and the kernel routes forwarded packets as uid 0 (net/ipv4/route.c, ip_route_input_slow:
// `fl4.flowi4_uid = sock_net_uid(net, NULL)`), so `uidrange 1-...` never matches them.
//
// The block is a REJECT in DOCKER-USER, the chain Docker keeps for rules of one's own: "processed
// before rules in the DOCKER-FORWARD and DOCKER chains" (docker/docs, content/manuals/engine/
// network/firewall-iptables.md), jumped to first from FORWARD (moby, daemon/libnetwork/iptables/
// iptables.go, EnsureJumpRule inserts at the top), and "the daemon does not delete or modify any
// pre-existing rules from the DOCKER-USER filter chain" (moby, daemon/libnetwork/firewall_linux.go).
// Rules are inserted (-I), not appended: dockerd up to v28.2.0 appends a RETURN that would hide
// appended ones. The script runs as docker.service's ExecStartPre, so it is in place before the
// engine starts any container, on every start (iptables rules do not survive a reboot). It makes
// the chain and FORWARD's jump itself, so the block holds where dockerd makes neither
// ("iptables": false, or the nftables firewall backend, which has no DOCKER-USER: a drop in the
// iptables filter table's FORWARD still drops). Root on the host is not forwarded: its own route
// to the service stays (cloud agents need it). Containers on the host network (`network_mode:
// host`) are not forwarded either; dockerhost starts none.

export const METADATA_FORWARD_SCRIPT = "/usr/local/sbin/dockerhost-metadata-forward";
export const METADATA_FORWARD_DROP_IN_PATH =
  "/etc/systemd/system/docker.service.d/20-dockerhost-metadata.conf";

// Azure's WireServer (168.63.129.16) serves the guest agent over HTTP on 80 and 32526. The Linux
// agent itself lets only root reach it (Azure/WALinuxAgent, azurelinuxagent/ga/firewall_manager.py:
// "All other traffic to the WireServer address must be dropped", an OUTPUT owner match that
// forwarded container traffic never meets). Only those two ports are refused, and only to
// containers: Microsoft asks that the host keep the address reachable ("If this address is
// blocked, unexpected behavior can occur", "What is IP address 168.63.129.16?"), and its DNS on 53
// stays open, since containers on a bridge network may resolve through it.
const AZURE_WIRESERVER = { address: "168.63.129.16/32", tcpPorts: [80, 32526] };

/** The iptables rule specs (after the chain name) that the script inserts. */
export function metadataForwardRules(cloud: Cloud): { v4: string[]; v6: string[] } {
  const v4 = [`-d ${METADATA_ADDRESSES.ipv4}/32 -j REJECT`];
  if (cloud === "azure") {
    for (const port of AZURE_WIRESERVER.tcpPorts)
      v4.push(`-d ${AZURE_WIRESERVER.address} -p tcp --dport ${port} -j REJECT`);
  }
  return { v4, v6: [`-d ${METADATA_ADDRESSES.ipv6}/128 -j REJECT`] };
}

export function metadataForwardScript(cloud: Cloud): string {
  const { v4, v6 } = metadataForwardRules(cloud);
  const insert = (tool: string, rule: string) =>
    `  ${tool} -w -C DOCKER-USER ${rule} 2>/dev/null || ${tool} -w -I DOCKER-USER 1 ${rule}`;
  const chain = (tool: string) => [
    `  ${tool} -w -N DOCKER-USER 2>/dev/null || true`,
    `  ${tool} -w -C FORWARD -j DOCKER-USER 2>/dev/null || ${tool} -w -I FORWARD 1 -j DOCKER-USER`,
  ];
  return shellScript("refuse containers' traffic to the cloud's metadata service", [
    `command -v iptables >/dev/null 2>&1 || ${fail("iptables is missing: containers' traffic to the metadata service cannot be refused, so the engine does not start")}`,
    "{",
    ...chain("iptables"),
    ...v4.map((r) => insert("iptables", r)),
    `} || ${fail("could not refuse containers' traffic to the metadata service (iptables)")}`,
    // IPv6 only where the kernel has it and the engine's ip6tables is there.
    "if [ -e /proc/net/if_inet6 ] && command -v ip6tables >/dev/null 2>&1; then",
    "  {",
    ...[...chain("ip6tables"), ...v6.map((r) => insert("ip6tables", r))].map((l) => `  ${l}`),
    `  } || ${fail("could not refuse containers' traffic to the metadata service (ip6tables)")}`,
    "fi",
  ]);
}

export const METADATA_FORWARD_DROP_IN = [
  "# dockerhost: containers cannot reach the cloud's metadata service (the rules go in first)",
  "[Service]",
  `ExecStartPre=${METADATA_FORWARD_SCRIPT}`,
  "",
].join("\n");
