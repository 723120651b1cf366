// The members of a swarm as data, and the checks on them. Pure: no Pulumi, no cloud.
//
// Manager counts follow Docker's admin guide (docs.docker.com/engine/swarm/admin_guide/, "Add
// manager nodes for fault tolerance"): a swarm of N managers tolerates (N-1)/2 of them lost, so
// an even count tolerates no more than one fewer would (2 managers: none lost, like 1), and
// "no more than seven managers" (a larger Raft group only slows writes).

export const SwarmRole = {
  Manager: "manager",
  Worker: "worker",
} as const;
export type SwarmRole = (typeof SwarmRole)[keyof typeof SwarmRole];
export const SWARM_ROLES: readonly SwarmRole[] = Object.values(SwarmRole);

export const MAX_MANAGERS = 7;

/** A swarm member as the checks see it: its name in the declaration and its role. */
export interface SwarmMember {
  name: string;
  role: SwarmRole;
}

const NODE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** How many manager losses a swarm of `managers` managers survives. */
export function managerFaultTolerance(managers: number): number {
  return Math.floor((managers - 1) / 2);
}

/** Every problem with a swarm's member list, each naming the field and the fix. */
export function swarmMemberProblems(nodes: readonly SwarmMember[], field = "nodes"): string[] {
  const problems: string[] = [];
  if (nodes.length === 0)
    return [
      `${field}: a swarm needs at least one node, a manager (nodes: [{ role: "manager", ... }]).`,
    ];
  const seen = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (!NODE_NAME.test(node.name))
      problems.push(
        `${field}[${i}].name: ${JSON.stringify(node.name)} is not a node name. Use lowercase letters, digits and "-" (at most 63), starting and ending with a letter or digit.`,
      );
    const first = seen.get(node.name);
    if (first !== undefined)
      problems.push(
        `${field}[${i}].name: ${JSON.stringify(node.name)} is already the name of ${field}[${first}]. Node names are unique: a removed name is a node drained and removed.`,
      );
    else seen.set(node.name, i);
    if (!(SWARM_ROLES as readonly string[]).includes(node.role))
      problems.push(
        `${field}[${i}].role: ${JSON.stringify(node.role)} is not a role. Use "manager" or "worker".`,
      );
  });
  if (nodes[0].role !== "manager")
    problems.push(
      `${field}[0].role: the first node initializes the swarm, so it must be a manager. Put a manager first.`,
    );
  const managers = nodes.filter((n) => n.role === "manager").length;
  if (managers > MAX_MANAGERS)
    problems.push(
      `${field}: ${managers} managers; Docker advises at most ${MAX_MANAGERS} (every write waits for a majority of them). Make the others workers.`,
    );
  else if (managers > 0 && managers % 2 === 0)
    problems.push(
      `${field}: ${managers} managers tolerate the loss of ${managerFaultTolerance(managers)}, no more than ${managers - 1} would: a swarm needs a majority of its managers. Use ${managers - 1} or ${managers + 1} managers.`,
    );
  return problems;
}

/** Each node's name and role as the args hold them (whatever their shape), for the list checks. */
export function writtenMembers(args: unknown): { name: string; role: SwarmRole }[] {
  const nodes: unknown = (args as { nodes?: unknown } | undefined)?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.map((n) => {
    const node = (typeof n === "object" && n !== null ? n : {}) as Record<string, unknown>;
    return { name: node.name as string, role: node.role as SwarmRole };
  });
}
