// What a swarm's members must reach on each other, as data each cloud turns into rules that admit
// the fleet's own members only (a security group that references itself, an application security
// group), never a CIDR list. Docker's list: docs.docker.com/engine/swarm/swarm-tutorial/#open-protocols-and-ports-between-the-hosts
// ("TCP port 2377 for cluster management communications; TCP and UDP port 7946 for
// communication among nodes; UDP port 4789 for overlay network traffic"; and "IP protocol 50
// (ESP)" when an overlay network is created with encryption).

export interface SwarmPortRule {
  /** Stable piece of the rule's logical name. */
  key: string;
  /** "esp" is IP protocol 50, which has no ports. */
  protocol: "tcp" | "udp" | "esp";
  port?: number;
  description: string;
}

export const ESP_PROTOCOL_NUMBER = 50;

export function swarmPortRules(encryptedOverlay: boolean): SwarmPortRule[] {
  return [
    {
      key: "manage-2377-tcp",
      protocol: "tcp",
      port: 2377,
      description: "swarm: cluster management",
    },
    { key: "gossip-7946-tcp", protocol: "tcp", port: 7946, description: "swarm: node gossip" },
    { key: "gossip-7946-udp", protocol: "udp", port: 7946, description: "swarm: node gossip" },
    {
      key: "overlay-4789-udp",
      protocol: "udp",
      port: 4789,
      description: "swarm: overlay data (VXLAN)",
    },
    ...(encryptedOverlay
      ? [
          {
            key: "overlay-esp",
            protocol: "esp" as const,
            description: "swarm: encrypted overlay (IPsec ESP)",
          },
        ]
      : []),
  ];
}
