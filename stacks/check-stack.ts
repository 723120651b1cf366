import { DockerHostConfigError, hardeningRules, swarmServicesArgsProblems } from "../components";
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
    // Interface endpoints with private DNS are one per service and VPC: a second member's set
    // would claim the same names (the first's private hosted zone already answers them).
    if (plan.fleet && (plan.args as { ssmEndpoints?: boolean }).ssmEndpoints)
      problems.push(
        inConfig(
          "ssmEndpoints: not made for a fleet yet: every member would create the same three endpoints in the fleet's one VPC, and private DNS allows one of each. Remove ssmEndpoints and give the fleet's subnet a way out (its members have public addresses), or create the endpoints in the VPC yourself.",
        ),
      );
    // A fleet's members share one subnet of the fleet's own network, which has no Bastion.
    if (
      plan.fleet &&
      plan.cloud === "azure" &&
      (plan.args as { sshAccess?: string }).sshAccess === "session"
    )
      problems.push(
        inConfig(
          'sshAccess: "session" is not built for an Azure fleet yet: its members share the fleet\'s subnet, where dockerhost makes no Bastion. Use sshAccess: "direct" with sshAllowedCidrs for the fleet, or a single host.',
        ),
      );
    if (plan.fleet)
      problems.push(
        ...swarmServicesArgsProblems({
          services: plan.fleet.services,
          networks: plan.fleet.networks,
          strictServices: hardeningRules(plan.args.hardening).containerRules,
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
