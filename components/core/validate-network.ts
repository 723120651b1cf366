// Who may reach a host: checked before any cloud call. Pure.
import { isNonPublicRange, parseCidr, type Cidr } from "./ip";

/** Undefined for a valid IPv4 or IPv6 CIDR, otherwise what is wrong with it. */
export function cidrProblem(cidr: string): string | undefined {
  if (parseCidr(cidr)) return undefined;
  return `${JSON.stringify(cidr)} is not a CIDR. Use e.g. "203.0.113.7/32".`;
}

// Where the line is drawn for SSH without the opt-in: no range wider than one organization's
// network. IPv4: a /16 (65,536 addresses, the old class B: more than any office or CI egress
// range needs). IPv6: a /48, the block RFC 6177 assigns to one end site. A wider range is refused
// unless every address in it is non-public (10.0.0.0/8 is fine: no internet host is in it), and
// `/0` is refused in any spelling (`1.2.3.4/0`, `::0/0`): each is the whole internet.
export const WIDEST_SSH_PREFIX = { ipv4: 16, ipv6: 48 } as const;

/** Why the range is too wide to open SSH to without the opt-in, or undefined. */
export function tooWideProblem(cidr: Cidr, written: string): string | undefined {
  const kind = cidr.address.kind();
  if (cidr.prefix >= WIDEST_SSH_PREFIX[kind] || isNonPublicRange(cidr)) return undefined;
  const what =
    cidr.prefix === 0
      ? "the whole internet"
      : `a /${cidr.prefix} of the public internet (wider than a /${WIDEST_SSH_PREFIX[kind]}, the widest range dockerhost opens SSH to without the opt-in)`;
  return `${JSON.stringify(written)} opens SSH to ${what}. Name your own ranges (e.g. "203.0.113.7/32"), or set allowSshFromAnywhere: true to accept that risk.`;
}

export interface SshOpening {
  sshAllowedCidrs?: string[];
  allowSshFromAnywhere?: boolean;
  /** "session" (AWS): SSH comes through Session Manager and no inbound port opens. */
  sshAccess?: string;
  /** Where session access exists: say so in the missing-ranges message. */
  sessionOffered?: boolean;
}

export function sshAccessProblems(access: SshOpening): string[] {
  if (access.sshAccess === "session") {
    return access.sshAllowedCidrs?.length
      ? [
          'sshAllowedCidrs: not used with sshAccess: "session", where SSH comes through the session service and no range of yours reaches port 22. Remove sshAllowedCidrs, or set sshAccess: "direct" to dial port 22 from those ranges.',
        ]
      : [];
  }
  const cidrs = access.sshAllowedCidrs ?? [];
  if (access.sshAllowedCidrs === undefined) {
    return [
      `sshAllowedCidrs: required with sshAccess: "direct" (the default), which dials port 22. Name the ranges the deployer connects from (your workstation's address as "203.0.113.7/32", or your CI runners' egress range)${access.sessionOffered ? ', or set sshAccess: "session" to open no inbound port at all' : ""}.`,
    ];
  }
  if (cidrs.length === 0) {
    return [
      "sshAllowedCidrs: empty. The deployer reaches the host over SSH; name the ranges it connects from (your workstation's address as \"203.0.113.7/32\", or your CI runners' egress range).",
    ];
  }
  const problems: string[] = [];
  cidrs.forEach((cidr, i) => {
    const parsed = parseCidr(cidr);
    const problem = parsed
      ? access.allowSshFromAnywhere
        ? undefined
        : tooWideProblem(parsed, cidr)
      : cidrProblem(cidr);
    if (problem) problems.push(`sshAllowedCidrs[${i}]: ${problem}`);
  });
  return problems;
}

/**
 * Where a host may connect out to. Outbound is open by default because packages and images come
 * from mirrors and registries whose addresses nobody can list in advance; nothing inbound follows
 * from it. A list narrows it, and an empty list leaves the host no way out.
 */
export function egressProblems(egressCidrs: string[] | undefined): string[] {
  return (egressCidrs ?? []).flatMap((cidr, i) => {
    const problem = cidrProblem(cidr);
    return problem ? [`egressCidrs[${i}]: ${problem}`] : [];
  });
}

/** A CIDR as a piece of a logical resource name: stable, and unique per CIDR. */
export function cidrSlug(cidr: string): string {
  return cidr.replace(/[^0-9a-fA-F]+/g, "-").replace(/-+$/, "");
}
