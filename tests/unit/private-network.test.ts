import { describe, expect, it } from "@jest/globals";
import {
  PRIVATE_NET_UNIT_TEXT,
  privateNetScript,
  privateNetStep,
  privateNetworkProblems,
} from "../../components/bootstrap/private-network";
import { bootSteps, hostFiles } from "../../components/bootstrap/cloud-init";
import { resolveHostSpec } from "../../components/bootstrap/validate-host";

describe("a local fleet member's private address", () => {
  it("is set on the NIC with the given MAC, at every boot, before the engine", () => {
    expect(
      privateNetScript({ mac: "52:54:00:0A:0A:0B", address: "10.10.0.11", prefixLength: 24 }).split(
        "\n",
      ),
    ).toStrictEqual([
      "#!/bin/sh",
      "set -eu",
      "iface=",
      "for dev in /sys/class/net/*; do",
      '  if [ "$(cat "$dev/address")" = 52:54:00:0a:0a:0b ]; then iface=${dev##*/}; fi',
      "done",
      `[ -n "$iface" ] || { echo "dockerhost: no network interface has MAC 52:54:00:0a:0a:0b (the fleet's private network)" >&2; exit 1; }`,
      'ip link set dev "$iface" up',
      'ip addr replace 10.10.0.11/24 dev "$iface"',
      "",
    ]);
    expect(PRIVATE_NET_UNIT_TEXT).toContain("Before=docker.service\n");
    expect(PRIVATE_NET_UNIT_TEXT).toContain("ExecStart=/usr/local/sbin/dockerhost-private-net\n");
    expect(privateNetStep()).toBe(
      "set -eu\nsystemctl daemon-reload\nsystemctl enable --now dockerhost-private-net.service",
    );
  });
});

describe("a local fleet member's private network, checked", () => {
  it.each([
    [
      "on a cloud host",
      { mac: "52:54:00:0a:00:0b", address: "10.10.0.11", prefixLength: 24 },
      "aws" as const,
      [
        "privateNetwork: only a local host takes it; a aws host gets its private address from the cloud's network (privateIp).",
      ],
    ],
    [
      "a multicast MAC and a public address",
      { mac: "01:00:5e:00:00:01", address: "198.51.100.7", prefixLength: 24 },
      "local" as const,
      [
        'privateNetwork.mac: "01:00:5e:00:00:01" is not a unicast MAC address. Use QEMU\'s prefix, e.g. "52:54:00:0a:00:0b".',
        "privateNetwork.address: 198.51.100.7 is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.",
      ],
    ],
  ])("refuses %s", (_, network, cloud, problems) => {
    expect(privateNetworkProblems(network, cloud)).toStrictEqual(problems);
  });

  it("puts the unit and its first-boot step in a local host's payload", () => {
    const host = resolveHostSpec({
      os: "debian-12",
      arch: "x86_64",
      cloud: "local",
      sshAuthorizedKeys: [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 t",
      ],
      privateNetwork: { mac: "52:54:00:0a:00:0b", address: "10.10.0.11", prefixLength: 24 },
    });
    expect(bootSteps(host)[0]).toStrictEqual({
      name: "15-private-network.sh",
      script: privateNetStep(),
    });
    expect(hostFiles(host).filter((f) => f.path.includes("private-net"))).toStrictEqual([
      {
        path: "/usr/local/sbin/dockerhost-private-net",
        content: privateNetScript({
          mac: "52:54:00:0a:00:0b",
          address: "10.10.0.11",
          prefixLength: 24,
        }),
        permissions: "0755",
      },
      {
        path: "/etc/systemd/system/dockerhost-private-net.service",
        content: PRIVATE_NET_UNIT_TEXT,
        permissions: "0644",
      },
    ]);
  });
});
