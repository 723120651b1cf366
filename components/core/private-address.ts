import { isPrivateAddress, parseIp } from "./ip";

// A swarm's control plane (2377), gossip (7946) and overlay data (4789) stay on the fleet's
// private network: a node advertising a public address would ask every other node to reach it
// over the internet. Private means RFC 1918 (IPv4), RFC 6598 shared space (100.64.0.0/10, which
// some clouds use inside their networks) and RFC 4193 unique local addresses (fc00::/7), matched
// on the parsed address (`fc::1` is 00fc::1, a global address, not a unique-local one).

/** Why `address` cannot be a swarm member's address, or undefined when it can. */
export function privateAddressProblem(address: string): string | undefined {
  const parsed = parseIp(address);
  if (!parsed)
    return `${JSON.stringify(address)} is not an IP address. Give the host's address on the fleet's private network (its privateIp output).`;
  if (!isPrivateAddress(parsed))
    return `${address} is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.`;
  return undefined;
}
