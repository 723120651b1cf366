import { privateAddressProblem } from "../core/private-address";
import type { Cloud } from "./types";
import { shellQuote } from "./shell";

// A local fleet's private network on the VM: the NIC that QEMU joins to the other members'
// (found by its MAC, since its name depends on the distro's naming scheme) gets its address at
// every boot, before the engine starts, with iproute2 alone (every distro in the catalog has it;
// ifupdown, netplan and NetworkManager differ between them). Clouds give the private address by
// DHCP on the primary NIC, so their hosts never need this.

export interface PrivateInterface {
  /** The NIC's MAC address, as the VM's config gives it to QEMU. */
  mac: string;
  /** This member's address on the private network, e.g. "10.10.0.11". */
  address: string;
  prefixLength: number;
}

export const PRIVATE_NET_SCRIPT = "/usr/local/sbin/dockerhost-private-net";
export const PRIVATE_NET_UNIT = "/etc/systemd/system/dockerhost-private-net.service";

export function privateNetScript(p: PrivateInterface): string {
  const mac = shellQuote(p.mac.toLowerCase());
  return [
    "#!/bin/sh",
    "set -eu",
    "iface=",
    "for dev in /sys/class/net/*; do",
    `  if [ "$(cat "$dev/address")" = ${mac} ]; then iface=\${dev##*/}; fi`,
    "done",
    `[ -n "$iface" ] || { echo "dockerhost: no network interface has MAC ${p.mac.toLowerCase()} (the fleet's private network)" >&2; exit 1; }`,
    'ip link set dev "$iface" up',
    `ip addr replace ${shellQuote(`${p.address}/${p.prefixLength}`)} dev "$iface"`,
    "",
  ].join("\n");
}

export const PRIVATE_NET_UNIT_TEXT = [
  "[Unit]",
  "Description=dockerhost: this host's address on the fleet's private network",
  "Before=docker.service",
  "",
  "[Service]",
  "Type=oneshot",
  "RemainAfterExit=yes",
  `ExecStart=${PRIVATE_NET_SCRIPT}`,
  "",
  "[Install]",
  "WantedBy=multi-user.target",
  "",
].join("\n");

/** The first boot's step: the unit on from now and at every boot. */
export function privateNetStep(): string {
  return [
    "set -eu",
    "systemctl daemon-reload",
    "systemctl enable --now dockerhost-private-net.service",
  ].join("\n");
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Every problem with a host's private network, each naming the field and the fix. */
export function privateNetworkProblems(p: PrivateInterface | undefined, cloud: Cloud): string[] {
  if (!p) return [];
  const problems: string[] = [];
  if (cloud !== "local")
    problems.push(
      `privateNetwork: only a local host takes it; a ${cloud} host gets its private address from the cloud's network (privateIp).`,
    );
  if (!MAC.test(p.mac) || parseInt(p.mac.slice(0, 2), 16) % 2 === 1)
    problems.push(
      `privateNetwork.mac: ${JSON.stringify(p.mac)} is not a unicast MAC address. Use QEMU's prefix, e.g. "52:54:00:0a:00:0b".`,
    );
  const address = privateAddressProblem(p.address);
  if (address) problems.push(`privateNetwork.address: ${address}`);
  return problems;
}
