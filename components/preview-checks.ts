import { AWS_TARGET } from "./aws/aws-target";
import { AZURE_TARGET } from "./azure/azure-target";
import { DockerHostConfigError } from "./bootstrap/validate-host";
import { checkShape, withoutShadowed } from "./bootstrap/shape";
import type { Cloud } from "./bootstrap/types";
import { SWARM_SERVICES_SCHEMA } from "./host/args-schema";
import { checkHostArgs, type HostTarget } from "./host/host-args";
import type { AwsDockerHostArgs } from "./aws/aws-docker-host";
import type { AzureDockerHostArgs } from "./azure/azure-docker-host";
import { LOCAL_TARGET, type LocalDockerHostArgs } from "./local/local-args";
import { swarmServicesProblems } from "./swarm/validate-swarm-services";
import type { SwarmServicesArgs } from "./swarm/swarm-services";

// The components' own checks, callable without creating anything: a program (the stack among
// them) that builds several components can report every problem of all of them at once, before
// the first resource registers, instead of one component's at a time.

type HostArgsOf = {
  aws: AwsDockerHostArgs;
  azure: AzureDockerHostArgs;
  local: LocalDockerHostArgs;
};

const TARGETS: { [C in Cloud]: HostTarget<HostArgsOf[C]> } = {
  aws: AWS_TARGET,
  azure: AZURE_TARGET,
  local: LOCAL_TARGET,
};

/** What the host component of `cloud` would refuse in `args`, each problem naming its field. */
export function dockerHostArgsProblems<C extends Cloud>(cloud: C, args: HostArgsOf[C]): string[] {
  try {
    checkHostArgs(args, TARGETS[cloud] as HostTarget<HostArgsOf[C]>);
    return [];
  } catch (e) {
    if (e instanceof DockerHostConfigError) return e.problems;
    throw e;
  }
}

/** What SwarmServices would refuse in its services and networks (the connection aside). */
export function swarmServicesArgsProblems(
  args: Pick<SwarmServicesArgs, "services" | "networks">,
): string[] {
  const shape = checkShape(SWARM_SERVICES_SCHEMA, { connection: PLACEHOLDER_CONNECTION, ...args });
  return [
    ...shape.problems,
    ...withoutShadowed(
      swarmServicesProblems({
        services: shape.pruned.services ?? [],
        networks: shape.pruned.networks,
      }),
      shape.failedFields,
    ),
  ];
}

// The shape check needs a connection; the services' checks do not look at it.
const PLACEHOLDER_CONNECTION = {
  host: "checked-elsewhere",
  user: "u",
  privateKey: "k",
  hostPublicKey: "k",
};
