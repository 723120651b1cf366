import { createHash } from "node:crypto";
import * as net from "node:net";
import * as pulumi from "@pulumi/pulumi";

// A local fleet's private network: a bus that QEMU carries as UDP multicast on 127.0.0.1
// (vm-config.ts). One fleet's VMs share a group and port, derived from the project, stack and
// fleet name, so every `pulumi up` of that fleet finds the same bus and two fleets on one
// machine do not share frames.

export interface LocalFleetNetwork {
  /** An administratively scoped IPv4 multicast group (239.255.0.0/16, RFC 2365). */
  group: string;
  /** The bus's UDP port. */
  port: number;
}

/** The lowest and highest bus port: above the well-known and registered ports most use. */
export const BUS_PORT_MIN = 20000;
export const BUS_PORT_MAX = 59999;

/** The bus of the fleet `scope` names (project/stack/fleet). */
export function fleetBusFor(scope: string): LocalFleetNetwork {
  const digest = createHash("sha256").update(scope).digest();
  // 239.255.x.0 and .255 are left out: some stacks treat them as network and broadcast.
  const group = `239.255.${digest[0]}.${1 + (digest[1] % 254)}`;
  const port = BUS_PORT_MIN + (digest.readUInt32BE(2) % (BUS_PORT_MAX - BUS_PORT_MIN + 1));
  return { group, port };
}

/** The bus of a local fleet named `name` in this project and stack. */
export function localFleetNetwork(name: string): LocalFleetNetwork {
  return fleetBusFor(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`);
}

/**
 * The NIC's MAC on the bus: QEMU's prefix 52:54:00 and the address's last three bytes, so each
 * member's differs (10.10.0.11 -> 52:54:00:0a:00:0b) and the guest finds its NIC by it.
 */
export function busMac(address: string): string {
  const bytes = address.split(".").slice(1).map(Number);
  return ["52", "54", "00", ...bytes.map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

/** Every problem with a host's bus settings, naming the field and the fix. */
export function busProblems(group: string, port: number): string[] {
  const problems: string[] = [];
  if (!net.isIPv4(group) || !group.startsWith("239."))
    problems.push(
      `privateNetwork.group: ${JSON.stringify(group)} is not an administratively scoped multicast group (239.0.0.0/8). Use localFleetNetwork(name).group.`,
    );
  if (!Number.isInteger(port) || port < 1024 || port > 65535)
    problems.push(
      `privateNetwork.port: ${JSON.stringify(port)} is not a UDP port from 1024 to 65535. Use localFleetNetwork(name).port.`,
    );
  return problems;
}
