import type { ContainerSpec } from "../core/container-spec";
import { cidrSlug } from "../core/validate-network";

// The inbound openings of a host, as data both clouds turn into their own firewall rules.

export interface InboundRule {
  /** Stable piece of the rule's logical name: what it opens, to whom. */
  key: string;
  cidr: string;
  port: number;
  protocol: "tcp" | "udp";
  description: string;
}

export function inboundRules(sshCidrs: string[], containers: ContainerSpec[]): InboundRule[] {
  const rules: InboundRule[] = sshCidrs.map((cidr) => ({
    key: `ssh-${cidrSlug(cidr)}`,
    cidr,
    port: 22,
    protocol: "tcp",
    description: `SSH from ${cidr}`,
  }));
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      // A port bound to the host's loopback is not reachable through the firewall anyway.
      if (p.hostIp === "127.0.0.1") continue;
      const port = p.external ?? p.internal;
      const protocol = p.protocol ?? "tcp";
      for (const cidr of p.allowedCidrs ?? []) {
        rules.push({
          key: `${c.name}-${port}-${protocol}-${cidrSlug(cidr)}`,
          cidr,
          port,
          protocol,
          description: `${c.name} ${port}/${protocol} from ${cidr}`,
        });
      }
    }
  }
  return rules;
}
