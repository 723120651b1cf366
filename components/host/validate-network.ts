// Who may reach a host: checked before any cloud call. Pure.

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/(\d{1,3})$/;
export const WORLD_CIDRS = ["0.0.0.0/0", "::/0"];

/** Undefined for a valid IPv4 or IPv6 CIDR, otherwise what is wrong with it. */
export function cidrProblem(cidr: string): string | undefined {
  const v4 = IPV4_CIDR.exec(cidr);
  if (v4) {
    const octetsOk = v4.slice(1, 5).every((o) => Number(o) <= 255);
    if (octetsOk && Number(v4[5]) <= 32) return undefined;
  }
  const v6 = IPV6_CIDR.exec(cidr);
  if (v6 && cidr.includes(":") && Number(v6[1]) <= 128) return undefined;
  return `${JSON.stringify(cidr)} is not a CIDR. Use e.g. "203.0.113.7/32".`;
}

export interface SshAccess {
  sshAllowedCidrs?: string[];
  allowSshFromAnywhere?: boolean;
}

export function sshAccessProblems(access: SshAccess): string[] {
  const cidrs = access.sshAllowedCidrs ?? [];
  if (cidrs.length === 0) {
    return [
      "sshAllowedCidrs: empty. The deployer reaches the host over SSH; name the ranges it connects from (your workstation's address as \"203.0.113.7/32\", or your CI runners' egress range).",
    ];
  }
  const problems: string[] = [];
  cidrs.forEach((cidr, i) => {
    const problem = cidrProblem(cidr);
    if (problem) problems.push(`sshAllowedCidrs[${i}]: ${problem}`);
    else if (WORLD_CIDRS.includes(cidr) && !access.allowSshFromAnywhere) {
      problems.push(
        `sshAllowedCidrs[${i}]: ${JSON.stringify(cidr)} opens SSH to the whole internet. Name your own ranges (e.g. "203.0.113.7/32"), or set allowSshFromAnywhere: true to accept that risk.`,
      );
    }
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
