import { describe, expect, it } from "@jest/globals";
import {
  PRIVATE_NET_UNIT_TEXT,
  privateNetScript,
  privateNetStep,
} from "../../components/bootstrap/private-network";

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
