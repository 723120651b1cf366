import * as pulumi from "@pulumi/pulumi";
import type { ContainerVolumeSpec } from "../core/container-spec";
import type { UpdatePolicySpec } from "../core/swarm-service-spec";
import { asMap } from "./compose-values";

// The pieces of a compose service's swarm form (compose-swarm.ts): its update and rollback
// policies, its mounts and secrets, and SwarmServices' field names back as compose keys.

/** `deploy.update_config` or `deploy.rollback_config` as SwarmServices' policy. */
export function policy(
  raw: unknown,
  at: string,
  actions: readonly string[],
  problem: (key: string, text: string) => void,
): UpdatePolicySpec | undefined {
  const c = asMap(raw);
  if (raw === undefined) return undefined;
  const out: UpdatePolicySpec = {};
  if (c.parallelism !== undefined) out.parallelism = Number(c.parallelism);
  if (c.delay !== undefined) out.delay = String(c.delay);
  if (c.monitor !== undefined) out.monitor = String(c.monitor);
  if (c.max_failure_ratio !== undefined) out.maxFailureRatio = String(c.max_failure_ratio);
  if (c.order !== undefined) out.order = String(c.order) as UpdatePolicySpec["order"];
  if (c.failure_action !== undefined) {
    if (!actions.includes(String(c.failure_action)))
      problem(
        `${at}.failure_action`,
        `${JSON.stringify(c.failure_action)} is not one of ${actions.join(", ")}.`,
      );
    else out.failureAction = String(c.failure_action) as UpdatePolicySpec["failureAction"];
  }
  return out;
}

/**
 * A service's mounts as a swarm takes them: named volumes and host paths kept, compose `secrets`
 * (secret shipments) as SwarmServices' secretEnv, whose files are /run/secrets/<name>, and files
 * from beside the compose file refused (they are on the deployer, not on the nodes).
 */
export function swarmVolumes(
  volumes: ContainerVolumeSpec[] | undefined,
  problem: (key: string, text: string) => void,
): { volumes: ContainerVolumeSpec[]; secrets: Record<string, pulumi.Input<string>> } {
  const kept: ContainerVolumeSpec[] = [];
  const secrets: Record<string, pulumi.Input<string>> = {};
  for (const v of volumes ?? []) {
    if (v.files?.secret) {
      const name = v.files.file ?? v.files.entries[0]?.path ?? v.files.name;
      if (v.containerPath !== `/run/secrets/${name}`)
        problem(
          "secrets",
          `${name} goes to ${v.containerPath}; a swarm service gets each secret at /run/secrets/<name> (SwarmServices). Leave target out.`,
        );
      const entry = v.files.entries.find((e) => e.path === name) ?? v.files.entries[0];
      secrets[name] = pulumi.secret(Buffer.from(entry?.contentBase64 ?? "", "base64").toString());
    } else if (v.files)
      problem(
        "volumes",
        `${v.containerPath} mounts a file from beside the compose file: it is on the deployer, and a swarm task runs on any node. Build it into the image (COPY).`,
      );
    else kept.push(v);
  }
  return { volumes: kept, secrets };
}

/** SwarmServices' field names in a problem, as the compose keys they came from. */
const SPEC_TO_COMPOSE: [RegExp, string][] = [
  [/\.update\.(?=\w)/, ".deploy.update_config."],
  [/\.rollback\.(?=\w)/, ".deploy.rollback_config."],
  [/\.replicas\b/, ".deploy.replicas"],
  [/\.placement\b/, ".deploy.placement.constraints"],
  [/\.maxFailureRatio\b/, ".max_failure_ratio"],
  [/\.failureAction\b/, ".failure_action"],
  [/\.memoryMb\b/, ".deploy.resources.limits.memory"],
  [/\.cpus\b/, ".deploy.resources.limits.cpus"],
  [/\.secretEnv\./, ".secrets."],
];

export function composeKeysOf(
  problem: string,
  services: readonly { name: string }[],
  networks: readonly { name: string }[],
): string {
  const [at, ...rest] = problem.split(": ");
  let key = at
    .replace(/^services\[(\d+)\]/, (_, i: string) => `services.${services[Number(i)].name}`)
    .replace(/^networks\[(\d+)\]/, (_, i: string) => `networks.${networks[Number(i)].name}`);
  for (const [from, to] of SPEC_TO_COMPOSE) key = key.replace(from, to);
  return [key, ...rest].join(": ");
}
