import {
  durationProblem,
  imageReferenceProblem,
  userProblem,
  volumeNameProblem,
} from "../core/docker-grammar";
import { PROJECT_NETWORK } from "../services/app-topology";
import { strictWorkloadProblems } from "../services/strict-containers";
import type { SwarmNetworkSpec, SwarmServiceSpec } from "../core/swarm-service-spec";

// Checks on a swarm's services before anything is deployed. Pure.

const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONSTRAINT = /^[a-zA-Z0-9_.-]+\s*(==|!=)\s*\S+$/;
const PORT_MODES = ["ingress", "host"];
const ORDERS = ["start-first", "stop-first"];

export interface SwarmServicesCheck {
  services: SwarmServiceSpec[];
  networks?: SwarmNetworkSpec[];
  /** The strict profile's workload rules apply (strict-containers.ts), as to DockerServices. */
  strict?: boolean;
}

const isPort = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535;

function policyProblems(
  at: string,
  policy: SwarmServiceSpec["update"],
  failureActions: string[],
): string[] {
  if (!policy) return [];
  const problems: string[] = [];
  if (
    policy.parallelism !== undefined &&
    (!Number.isInteger(policy.parallelism) || policy.parallelism < 0)
  )
    problems.push(
      `${at}.parallelism: ${policy.parallelism} is not a task count. Use a whole number (0: all at once).`,
    );
  for (const key of ["delay", "monitor"] as const) {
    const value = policy[key];
    const problem = value === undefined ? undefined : durationProblem(value);
    if (problem) problems.push(`${at}.${key}: ${problem}`);
  }
  if (policy.order !== undefined && !ORDERS.includes(policy.order))
    problems.push(
      `${at}.order: ${JSON.stringify(policy.order)} is not an order. Use "start-first" (no gap) or "stop-first".`,
    );
  if (policy.failureAction !== undefined && !failureActions.includes(policy.failureAction))
    problems.push(
      `${at}.failureAction: ${JSON.stringify(policy.failureAction)} is not supported here. Use one of: ${failureActions.join(", ")}.`,
    );
  const ratio = policy.maxFailureRatio;
  if (ratio !== undefined && !/^(0(\.\d+)?|1(\.0+)?)$/.test(ratio))
    problems.push(
      `${at}.maxFailureRatio: ${JSON.stringify(ratio)} is not a ratio. Use a number from "0" to "1".`,
    );
  return problems;
}

function serviceProblems(s: SwarmServiceSpec, i: number, networks: SwarmNetworkSpec[]): string[] {
  const at = `services[${i}]`;
  const problems: string[] = [];
  if (!SERVICE_NAME.test(s.name))
    problems.push(
      `${at}.name: ${JSON.stringify(s.name)} is not a service name. Use lowercase letters, digits and "-", starting and ending with a letter or digit (other services reach it by this name).`,
    );
  if (typeof s.image === "string") {
    const problem = imageReferenceProblem(s.image);
    if (problem) problems.push(`${at}.image: ${problem}`);
  }
  if (s.user !== undefined) {
    const problem = userProblem(s.user);
    if (problem) problems.push(`${at}.user: ${problem}`);
  }
  if (s.global && s.replicas !== undefined)
    problems.push(
      `${at}.replicas: a global service runs one task per node; leave replicas out, or global.`,
    );
  if (s.replicas !== undefined && (!Number.isInteger(s.replicas) || s.replicas < 0))
    problems.push(`${at}.replicas: ${s.replicas} is not a task count. Use a whole number.`);
  (s.ports ?? []).forEach((p, pi) => {
    const field = `${at}.ports[${pi}]`;
    for (const key of ["internal", "external"] as const)
      if (p[key] !== undefined && !isPort(p[key]))
        problems.push(`${field}.${key}: ${p[key]} is not a port number (1-65535).`);
    if (p.mode === undefined)
      problems.push(
        `${field}.mode: say how the port is published: "ingress" (every node answers, the routing mesh picks a task) or "host" (only nodes running a task answer).`,
      );
    else if (!PORT_MODES.includes(p.mode))
      problems.push(
        `${field}.mode: ${JSON.stringify(p.mode)} is not a publish mode. Use "ingress" or "host".`,
      );
  });
  for (const name of Object.keys(s.env ?? {}))
    if (!ENV_NAME.test(name))
      problems.push(`${at}.env.${name}: not a valid environment variable name.`);
  for (const [name, value] of Object.entries(s.secretEnv ?? {})) {
    if (!ENV_NAME.test(name))
      problems.push(
        `${at}.secretEnv.${name}: not a valid name; it names the file /run/secrets/${name}.`,
      );
    if (typeof value === "string")
      problems.push(
        `${at}.secretEnv.${name}: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)) so it stays encrypted in state.`,
      );
  }
  (s.volumes ?? []).forEach((v, vi) => {
    const field = `${at}.volumes[${vi}]`;
    if (!v.containerPath?.startsWith("/"))
      problems.push(`${field}.containerPath: must be an absolute path.`);
    if ((v.hostPath === undefined) === (v.volumeName === undefined))
      problems.push(
        `${field}: set exactly one of hostPath (bind mount) or volumeName (named volume).`,
      );
    if (v.volumeName !== undefined) {
      const problem = volumeNameProblem(v.volumeName);
      if (problem) problems.push(`${field}.volumeName: ${problem}`);
    }
  });
  (s.networks ?? []).forEach((n, ni) => {
    if (n.name !== PROJECT_NETWORK && !networks.some((d) => d.name === n.name))
      problems.push(
        `${at}.networks[${ni}].name: ${JSON.stringify(n.name)} is not declared. Declare it in networks or use "${PROJECT_NETWORK}".`,
      );
  });
  for (const key of ["interval", "timeout", "startPeriod"] as const) {
    const value = s.healthcheck?.[key];
    const problem = value === undefined ? undefined : durationProblem(value);
    if (problem) problems.push(`${at}.healthcheck.${key}: ${problem}`);
  }
  (s.placement ?? []).forEach((c, ci) => {
    if (!CONSTRAINT.test(c))
      problems.push(
        `${at}.placement[${ci}]: ${JSON.stringify(c)} is not a constraint. Use Docker's form, e.g. "node.role==worker" or "node.labels.dockerhost.node!=m1".`,
      );
  });
  if (s.memoryMb !== undefined && (!Number.isInteger(s.memoryMb) || s.memoryMb < 6))
    problems.push(
      `${at}.memoryMb: ${s.memoryMb} is too small or not whole; Docker needs at least 6 MiB.`,
    );
  if (s.cpus !== undefined && (!/^\d+(\.\d+)?$/.test(s.cpus) || Number(s.cpus) <= 0))
    problems.push(`${at}.cpus: ${JSON.stringify(s.cpus)} is not a number of CPUs. Use e.g. "0.5".`);
  problems.push(
    ...policyProblems(`${at}.update`, s.update, ["rollback", "pause", "continue"]),
    ...policyProblems(`${at}.rollback`, s.rollback, ["pause", "continue"]),
  );
  problems.push(...stopFirstGapProblems(s, at));
  return problems;
}

/**
 * A stop-first update that stops every task at once is an outage on every deploy: one task, or a
 * parallelism of 0 ("update all tasks at once", docker service update --update-parallelism) or
 * of at least the replica count. The provider's default parallelism is 1.
 */
function stopFirstGapProblems(s: SwarmServiceSpec, at: string): string[] {
  if (s.update?.order !== "stop-first") return [];
  const parallelism = s.update.parallelism ?? 1;
  const replicas = s.replicas ?? 1;
  if (!s.global && replicas === 1)
    return [
      `${at}.update.order: "stop-first" with one task stops serving during every update. Use "start-first", or more replicas.`,
    ];
  if (parallelism === 0 || (!s.global && parallelism >= replicas))
    return [
      `${at}.update.parallelism: ${parallelism} with "stop-first" stops every task at once during every update. Use "start-first", or a parallelism below the number of tasks (e.g. 1).`,
    ];
  return [];
}

/** Every problem with a swarm's services, each naming the field and the fix. */
export function swarmServicesProblems(input: SwarmServicesCheck): string[] {
  const networks = input.networks ?? [];
  const problems: string[] = [];
  const names = new Map<string, number>();
  const published = new Map<string, string>();
  input.services.forEach((s, i) => {
    problems.push(...serviceProblems(s, i, networks));
    if (input.strict) problems.push(...strictWorkloadProblems(s, `services[${i}]`, "service"));
    const first = names.get(s.name);
    if (first !== undefined)
      problems.push(
        `services[${i}].name: ${JSON.stringify(s.name)} is already used by services[${first}]. Service names are unique.`,
      );
    else names.set(s.name, i);
    // A published port belongs to the whole swarm: the routing mesh opens it on every node.
    (s.ports ?? []).forEach((p, pi) => {
      const key = `${p.external ?? p.internal}/${p.protocol ?? "tcp"}`;
      const owner = published.get(key);
      if (owner)
        problems.push(
          `services[${i}].ports[${pi}].external: port ${key} is already published by ${owner} (a published port is the whole swarm's). Pick another external port.`,
        );
      else published.set(key, `services[${i}] (${JSON.stringify(s.name)})`);
    });
  });
  networks.forEach((n, i) => {
    if (n.name === PROJECT_NETWORK || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(n.name))
      problems.push(
        `networks[${i}].name: ${JSON.stringify(n.name)} cannot be a network name here. Use letters, digits, "_", "." and "-" ("${PROJECT_NETWORK}" is the component's own).`,
      );
  });
  return problems;
}
