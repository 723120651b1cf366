import { DockerHostConfigError, swarmServicesArgsProblems } from "../components";
import { readStackAndProblems, type ConfigSource, type StackPlan } from "./config";
import { toConfigProblem } from "./config-keys";
import { targetOf } from "./targets";

// Every problem of the stack at once, before any resource: the config's own (unknown keys, types,
// the compose file, the fleet), then what the host and the swarm's services would refuse, each
// worded as the config key the user wrote. Without this, the first stage that failed hid the
// others, and a fleet's bad `services` surfaced only once its hosts had registered.

export function checkStack(source: ConfigSource): StackPlan {
  const { plan, problems } = readStackAndProblems(source);
  if (plan) {
    const inConfig = (p: string) => toConfigProblem(p, plan, source.project);
    problems.push(...hostProblems(plan).map(inConfig));
    if (plan.fleet && (plan.args as { sshAccess?: string }).sshAccess === "session")
      problems.push(
        inConfig(
          'sshAccess: "session" is not carried by a fleet yet: the swarm\'s steps (DockerSwarm, SwarmServices) dial port 22 directly. Remove sshAccess, or deploy a single host (no fleet).',
        ),
      );
    if (plan.fleet)
      problems.push(
        ...swarmServicesArgsProblems({
          services: plan.fleet.services,
          networks: plan.fleet.networks,
          strictServices: plan.args.hardening === "strict",
        }).map(inConfig),
      );
  }
  const unique = [...new Set(problems)];
  if (unique.length || !plan) throw new DockerHostConfigError(unique);
  return plan;
}

function hostProblems(plan: StackPlan): string[] {
  return targetOf(plan).hostProblems(plan.args);
}
