import { DockerHostConfigError } from "../components";
import type { StackPlan } from "./config";
import { composeProblem } from "./compose-config";
import { TARGETS } from "./targets";

// The components name their args; a stack's user wrote config keys. This maps one onto the other
// so that every problem on the stack path names the key to fix, as the user wrote it.

/** Component field (as problems name it) -> config key, per target (its row); longest match wins. */
export const CONFIG_KEYS: Record<StackPlan["cloud"], Record<string, string>> = {
  aws: TARGETS.aws.configKeys,
  azure: TARGETS.azure.configKeys,
  local: TARGETS.local.configKeys,
};

/** One component problem, its leading field renamed to the config key. */
export function toConfigProblem(problem: string, plan: StackPlan, project: string): string {
  const colon = problem.indexOf(": ");
  const field = colon < 0 ? "" : problem.slice(0, colon);
  const rest = problem.slice(colon < 0 ? 0 : colon);
  if (plan.compose) {
    const args = plan.args;
    const inFile = composeProblem(
      field,
      rest,
      plan.compose,
      {
        containers: (args.containers ?? []).map((c) => c.name),
        networks: (args.networks ?? []).map((n) => n.name),
        volumes: (args.volumes ?? []).map((v) => v.name),
        services: plan.fleet?.services ?? [],
      },
      `${project}:compose`,
    );
    if (inFile && !/^containers\[\d+\]\.secretEnv/.test(field)) return inFile;
  }
  // Secret env reaches the containers from its own key: secretEnv.<container>.<VARIABLE>.
  const secretEnv = /^(containers|services)\[(\d+)\]\.secretEnv(\..*)?$/.exec(field);
  if (secretEnv) {
    const [, list, index, tail] = secretEnv;
    const owners = list === "containers" ? plan.args.containers : plan.fleet?.services;
    const owner = owners?.[Number(index)]?.name ?? index;
    const plainText = rest.startsWith(": passed as plain text.");
    // In a stack, a secret is set with the CLI, never written in the stack file.
    const fix = plainText
      ? `: passed as plain text. Remove it from ${project}:${list} and set it as a secret: pulumi config set --secret --path 'secretEnv.${owner}${tail ?? ".<VARIABLE>"}' <value>`
      : rest;
    return `${project}:secretEnv.${owner}${tail ?? ""}${fix}`;
  }
  const keys = CONFIG_KEYS[plan.cloud];
  const match = Object.keys(keys)
    .filter((f) => field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`))
    .sort((a, b) => b.length - a.length)[0];
  if (match === undefined) return `${project}:${field || "config"}${rest}`;
  return `${project}:${keys[match]}${field.slice(match.length)}${rest}`;
}

/** Runs `build`; a refusal comes back naming config keys instead of component fields. */
export function inConfigTerms<T>(plan: StackPlan, project: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    throw new DockerHostConfigError(e.problems.map((p) => toConfigProblem(p, plan, project)));
  }
}
