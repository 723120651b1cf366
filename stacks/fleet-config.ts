import type { SwarmNetworkSpec, SwarmServiceSpec } from "../components";
import { isObject } from "./is-object";

// `dockerhost:fleet`: the stack's hosts become a swarm of `managers` + `workers` hosts of one
// target, and `dockerhost:services` its swarm services. Read here, checked at preview.

export interface FleetPlan {
  managers: number;
  workers: number;
  services: SwarmServiceSpec[];
  /** The overlay networks of a compose file's services (`dockerhost:compose` on a fleet). */
  networks?: SwarmNetworkSpec[];
  /** `rotateJoinTokens`: a value whose change rotates the swarm's join tokens. */
  rotateJoinTokens?: string;
}

const FLEET_SETTINGS = ["managers", "workers", "rotateJoinTokens"];

const MANAGER_COUNTS = [1, 3, 5, 7];

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** The fleet, or undefined for one host; every problem pushed with its config key. */
export function readFleet(
  project: string,
  fleet: unknown,
  services: unknown[] | undefined,
  containerCount: number,
  problems: string[],
): FleetPlan | undefined {
  const key = `${project}:fleet`;
  if (fleet === undefined) {
    if (services?.length)
      problems.push(
        `${project}:services: swarm services need a fleet. Set ${key} (managers: 1 makes a one-host swarm), or list plain containers under ${project}:containers.`,
      );
    return undefined;
  }
  if (!isObject(fleet)) {
    problems.push(`${key}: must be a map, e.g. { managers: 3, workers: 2 }.`);
    return undefined;
  }
  const before = problems.length;
  for (const extra of Object.keys(fleet).filter((k) => !FLEET_SETTINGS.includes(k)))
    problems.push(
      `${key}.${extra}: not a fleet setting. Use managers, workers and rotateJoinTokens.`,
    );
  const rotate = fleet.rotateJoinTokens;
  if (rotate !== undefined && (typeof rotate !== "string" || rotate === ""))
    problems.push(
      `${key}.rotateJoinTokens: ${JSON.stringify(rotate)} is not a text. Set a new value (e.g. today's date, "2026-12-02") each time the tokens should rotate.`,
    );
  const managers = fleet.managers ?? 1;
  const workers = fleet.workers ?? 0;
  if (!isCount(managers) || !MANAGER_COUNTS.includes(managers))
    problems.push(
      `${key}.managers: ${JSON.stringify(managers)} is not a manager count. Use 1, 3, 5 or 7: the swarm needs a majority of its managers, so an even count survives no more losses than one fewer, and more than 7 slows every write.`,
    );
  if (!isCount(workers))
    problems.push(`${key}.workers: ${JSON.stringify(workers)} is not a whole number of workers.`);
  if (containerCount > 0)
    problems.push(
      `${project}:containers: a fleet runs swarm services, not plain containers. List them under ${project}:services (each published port with mode: ingress or host).`,
    );
  if (problems.length > before) return undefined;
  return {
    managers: managers as number,
    workers: workers as number,
    services: (services ?? []) as SwarmServiceSpec[],
    ...(typeof rotate === "string" ? { rotateJoinTokens: rotate } : {}),
  };
}
