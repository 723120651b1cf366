import { isIP } from "node:net";

// A swarm's control plane (2377), gossip (7946) and overlay data (4789) stay on the fleet's
// private network: a node advertising a public address would ask every other node to reach it
// over the internet. Private means RFC 1918 (IPv4), RFC 6598 shared space (100.64.0.0/10, which
// some clouds use inside their networks) and RFC 4193 unique local addresses (fc00::/7).

const PRIVATE_V4: [number, number][] = [
  [0x0a000000, 8], // 10.0.0.0/8
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
  [0x64400000, 10], // 100.64.0.0/10
];

function v4Number(address: string): number {
  return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function isPrivate(address: string): boolean {
  if (isIP(address) === 6) return /^f[cd][0-9a-f]{0,2}:/i.test(address);
  const n = v4Number(address);
  return PRIVATE_V4.some(
    ([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === base / 2 ** (32 - bits),
  );
}

/** Why `address` cannot be a swarm member's address, or undefined when it can. */
export function privateAddressProblem(address: string): string | undefined {
  if (isIP(address) === 0)
    return `${JSON.stringify(address)} is not an IP address. Give the host's address on the fleet's private network (its privateIp output).`;
  if (!isPrivate(address))
    return `${address} is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.`;
  return undefined;
}
