import type { ContainerSpec, NetworkSpec, VolumeSpec } from "../core/container-spec";
import { volumeNameProblem } from "../core/docker-grammar";
import { containerNetworks, dependencyCycle, PROJECT_NETWORK } from "./app-topology";

// Checks on an app of several containers: its networks, volumes and start order. Pure.

const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const DNS_NAME =
  /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export interface AppCheck {
  containers: ContainerSpec[];
  networks?: NetworkSpec[];
  volumes?: VolumeSpec[];
}

function uniqueNames(
  items: { name: string; external?: string }[],
  field: string,
  kind: string,
  nameProblem: (name: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const problem = nameProblem(item.name);
    if (problem) problems.push(`${field}[${i}].name: ${problem}`);
    const external = item.external === undefined ? undefined : nameProblem(item.external);
    if (external) problems.push(`${field}[${i}].external: ${external}`);
    const first = seen.get(item.name);
    if (first !== undefined)
      problems.push(
        `${field}[${i}].name: ${JSON.stringify(item.name)} is already declared by ${field}[${first}]. ${kind} names are unique.`,
      );
    else seen.set(item.name, i);
  });
  return problems;
}

const networkNameProblem = (name: string): string | undefined =>
  NETWORK_NAME.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a valid network name. Use letters, digits, "_", "." and "-", starting with a letter or digit.`;

function networkProblems(c: ContainerSpec, ci: number, declared: NetworkSpec[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  (c.networks ?? []).forEach((n, ni) => {
    const at = `containers[${ci}].networks[${ni}]`;
    if (n.name !== PROJECT_NETWORK && !declared.some((d) => d.name === n.name))
      problems.push(
        `${at}.name: ${JSON.stringify(n.name)} is not declared. Declare it in networks (e.g. networks: [{ name: ${JSON.stringify(n.name)} }]) or use "${PROJECT_NETWORK}", the project network.`,
      );
    if (seen.has(n.name)) problems.push(`${at}.name: ${JSON.stringify(n.name)} is listed twice.`);
    seen.add(n.name);
    (n.aliases ?? []).forEach((alias, ai) => {
      if (!DNS_NAME.test(alias))
        problems.push(
          `${at}.aliases[${ai}]: ${JSON.stringify(alias)} is not a DNS name. Use letters, digits and "-", in labels separated by ".".`,
        );
    });
  });
  const joined = containerNetworks(c).map((n) => n.name);
  const internalOnly = joined.every((name) => declared.find((d) => d.name === name)?.internal);
  if (internalOnly && c.ports?.length)
    problems.push(
      `containers[${ci}].ports: ${JSON.stringify(c.name)} joins internal networks only (${joined.join(", ")}), so a published port would never answer. Remove its ports, or add a network that is not internal.`,
    );
  return problems;
}

function dependsOnProblems(c: ContainerSpec, ci: number, containers: ContainerSpec[]): string[] {
  const problems: string[] = [];
  (c.dependsOn ?? []).forEach((name, di) => {
    const at = `containers[${ci}].dependsOn[${di}]`;
    const target = containers.find((other) => other.name === name);
    if (name === c.name) problems.push(`${at}: ${JSON.stringify(name)} cannot depend on itself.`);
    else if (!target) problems.push(`${at}: no container named ${JSON.stringify(name)}.`);
    else if (!target.healthcheck || target.healthcheck.test?.[0] === "NONE")
      problems.push(
        `${at}: ${JSON.stringify(name)} has no healthcheck, so nothing tells when it is ready. Give ${JSON.stringify(name)} a healthcheck.`,
      );
  });
  return problems;
}

function startAfterProblems(c: ContainerSpec, ci: number, containers: ContainerSpec[]): string[] {
  return (c.startAfter ?? []).flatMap((name, si) => {
    const at = `containers[${ci}].startAfter[${si}]`;
    if (name === c.name) return [`${at}: ${JSON.stringify(name)} cannot start after itself.`];
    if (!containers.some((other) => other.name === name))
      return [`${at}: no container named ${JSON.stringify(name)}.`];
    return [];
  });
}

function completionProblems(c: ContainerSpec, ci: number, containers: ContainerSpec[]): string[] {
  const problems = (c.afterCompleted ?? []).flatMap((name, si) => {
    const at = `containers[${ci}].afterCompleted[${si}]`;
    if (name === c.name) return [`${at}: ${JSON.stringify(name)} cannot wait for itself.`];
    const job = containers.find((other) => other.name === name);
    if (!job) return [`${at}: no container named ${JSON.stringify(name)}.`];
    if (!job.runsToCompletion)
      return [
        `${at}: ${JSON.stringify(name)} is a service that keeps running, so it never completes. Give ${JSON.stringify(name)} runsToCompletion: true if it is a one-off job, or use startAfter or dependsOn.`,
      ];
    return [];
  });
  if (c.runsToCompletion && c.restart !== undefined && c.restart !== "no")
    problems.push(
      `containers[${ci}].restart: ${JSON.stringify(c.restart)} would run the one-off job again and again; a job with runsToCompletion runs once. Leave restart out (or "no").`,
    );
  return problems;
}

export function appProblems(input: AppCheck): string[] {
  const declared = input.networks ?? [];
  const problems = [
    ...uniqueNames(declared, "networks", "Network", networkNameProblem),
    ...uniqueNames(input.volumes ?? [], "volumes", "Volume", volumeNameProblem),
  ];
  input.containers.forEach((c, ci) => {
    problems.push(...networkProblems(c, ci, declared));
    problems.push(...dependsOnProblems(c, ci, input.containers));
    problems.push(...startAfterProblems(c, ci, input.containers));
    problems.push(...completionProblems(c, ci, input.containers));
  });
  const cycle = dependencyCycle(input.containers);
  if (cycle) {
    // Named at the first container of the cycle, so that a compose file's cycle is reported
    // at its service's depends_on, in the file the user wrote.
    const at = input.containers.findIndex((c) => c.name === cycle[0]);
    // The field of the cycle's first edge, as the user wrote it.
    const first = input.containers[at];
    const field = first?.dependsOn?.includes(cycle[1])
      ? "dependsOn"
      : first?.afterCompleted?.includes(cycle[1])
        ? "afterCompleted"
        : "startAfter";
    problems.push(
      `containers[${at}].${field}: makes a cycle (${cycle.join(" -> ")}); no container of it could start first.`,
    );
  }
  return problems;
}
