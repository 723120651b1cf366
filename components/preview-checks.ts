import { AWS_TARGET } from "./aws/aws-target";
import { AZURE_TARGET } from "./azure/azure-target";
import { DockerHostConfigError } from "./core/config-error";
import type { Cloud } from "./bootstrap/types";
import { checkHostArgs, type HostTarget } from "./host/host-args";
import type { AwsDockerHostArgs } from "./aws/aws-docker-host";
import type { AzureDockerHostArgs } from "./azure/azure-docker-host";
import { LOCAL_TARGET, type LocalDockerHostArgs } from "./local/local-args";
import { checkSwarmServicesArgs, type SwarmServicesArgs } from "./swarm/swarm-services";

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

/** What SwarmServices would refuse in its services and networks (the connection aside), under strict too. */
export function swarmServicesArgsProblems(
  args: Pick<SwarmServicesArgs, "services" | "networks" | "strictServices">,
): string[] {
  return checkSwarmServicesArgs({ connection: PLACEHOLDER_CONNECTION, ...args }).problems;
}

// The shape check needs a connection; the services' checks do not look at it.
const PLACEHOLDER_CONNECTION = {
  host: "checked-elsewhere",
  user: "u",
  privateKey: "k",
  hostPublicKey: "k",
};
