import ipaddr from "ipaddr.js";

// Addresses and ranges, parsed by ipaddr.js rather than by hand: a regex took `:/64` for a CIDR,
// `1.2.3.4/0` for a narrow range and `fc::1` (00fc::1, a global address) for a unique-local one.
// Pure.

export type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/** A range as written, parsed: the address as given (host bits may be set) and its prefix. */
export interface Cidr {
  address: Ip;
  prefix: number;
}

// Only the forms every cloud API and `ip` accept: four decimal octets for IPv4 (ipaddr.js also
// reads `127.1` and `0x7f.0.0.1`, which an NSG or a security group refuses), no IPv6 zone index
// (`fe80::1%eth0` names an interface of one machine), and a decimal prefix without leading zeros.
const PREFIX = /^(0|[1-9]\d{0,2})$/;

/** The address, or undefined when `text` is not a plain IPv4 or IPv6 address. */
export function parseIp(text: string): Ip | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes("%") && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** The range, or undefined when `text` is not `<address>/<prefix>` with a prefix that fits. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (!address || !PREFIX.test(bits)) return undefined;
  const prefix = Number(bits);
  return prefix <= maxPrefix(address) ? { address, prefix } : undefined;
}

export function maxPrefix(address: Ip): number {
  return address.kind() === "ipv4" ? 32 : 128;
}

// Blocks that hold no address of the public internet: a range inside one of them reaches no
// outside machine however wide it is. IPv4: IANA's special-purpose registry (RFC 6890) as far as
// it is never globally routed: RFC 1122 "this network", RFC 1918, RFC 6598 shared space, loopback,
// link-local (RFC 3927), multicast and the former class E (RFC 1112). IPv6: unspecified, loopback,
// unique local (RFC 4193), link-local and multicast (RFC 4291). Not in the list on purpose: the
// IPv6 forms that carry IPv4 internet addresses (::ffff:0:0/96, 64:ff9b::/96, 2002::/16).
const NON_PUBLIC: Record<"ipv4" | "ipv6", [string, number][]> = {
  ipv4: [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.168.0.0", 16],
    ["224.0.0.0", 3],
  ],
  ipv6: [
    ["::", 128],
    ["::1", 128],
    ["fc00::", 7],
    ["fe80::", 10],
    ["ff00::", 8],
  ],
};

/** True when the whole range lies inside one block that holds no public address. */
export function isNonPublicRange(cidr: Cidr): boolean {
  return NON_PUBLIC[cidr.address.kind()].some(
    ([base, bits]) => cidr.prefix >= bits && matches(cidr.address, base, bits),
  );
}

/** True when the address lies in a block that holds no public address. */
export function isNonPublicAddress(address: Ip): boolean {
  return isNonPublicRange({ address, prefix: maxPrefix(address) });
}

function matches(address: Ip, base: string, bits: number): boolean {
  const network = ipaddr.parse(base);
  return address.kind() === network.kind() && address.match(network, bits);
}

// Private in the sense of a cloud network's own addresses: RFC 1918, RFC 6598 (some clouds use it
// inside their networks) and RFC 4193 unique local addresses (fc00::/7).
const PRIVATE: Record<"ipv4" | "ipv6", [string, number][]> = {
  ipv4: [
    ["10.0.0.0", 8],
    ["172.16.0.0", 12],
    ["192.168.0.0", 16],
    ["100.64.0.0", 10],
  ],
  ipv6: [["fc00::", 7]],
};

export function isPrivateAddress(address: Ip): boolean {
  return PRIVATE[address.kind()].some(([base, bits]) => matches(address, base, bits));
}
