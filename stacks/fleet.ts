import * as pulumi from "@pulumi/pulumi";
import {
  AwsDockerHost,
  AwsDockerHostImage,
  AzureDockerHost,
  AzureDockerHostImage,
  DockerSwarm,
  DockerHostConfigError,
  LocalDockerHost,
  LocalDockerHostImage,
  SwarmServices,
  awsFleetNetwork,
  azureFleetNetwork,
  localFleetNetwork,
  type SwarmNodeArgs,
  type SwarmRole,
} from "../components";
import { imageArgsOf, localImageArgsOf } from "./bake";
import type { StackPlan } from "./config";
import type { FleetPlan } from "./fleet-config";

// `dockerhost:fleet`: managers then workers, each a host of the stack's target named
// `<hostName>-m1`, `<hostName>-w1`..., all in one subnet and one fleet group that admits only
// them to the swarm's ports, joined into one swarm (the first manager makes it), with the
// stack's `services` on it. Strict fleets lock their managers and encrypt their overlays. A local
// fleet's VMs share a private bus on 127.0.0.1 instead (local/fleet-bus.ts).

export interface FleetOutputs {
  managerAddress: pulumi.Output<string>;
  dockerHost: pulumi.Output<string>;
  unlockKey: pulumi.Output<string>;
  nodeIds: pulumi.Output<Record<string, string>>;
  publicIps: pulumi.Output<Record<string, string>>;
  sshCommands: pulumi.Output<Record<string, string>>;
  endpoints: pulumi.Output<Record<string, string[]>>;
}

/** The members' node names, managers first: m1..mN, w1..wM. */
export function fleetMembers(fleet: FleetPlan): { node: string; role: SwarmRole }[] {
  const of = (role: SwarmRole, prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({ node: `${prefix}${i + 1}`, role }));
  return [...of("manager", "m", fleet.managers), ...of("worker", "w", fleet.workers)];
}

export function buildFleet(plan: StackPlan, fleet: FleetPlan): FleetOutputs {
  const strict = plan.args.hardening === "strict";
  const name = plan.hostName;
  const member = memberOf(plan, strict, fleet);
  const hosts = fleetMembers(fleet).map(({ node, role }, index) => ({
    node,
    role,
    host: member(`${name}-${node}`, index),
  }));
  const nodes: SwarmNodeArgs[] = hosts.map(({ node, role, host }) => ({
    name: node,
    role,
    connection: host.connection,
    privateAddress: host.privateIp,
    ready: host.ready,
    machineId: host.machineId,
  }));
  const swarm = new DockerSwarm(`${name}-swarm`, {
    nodes,
    autolock: strict,
    ...(fleet.rotateJoinTokens ? { rotateJoinTokens: fleet.rotateJoinTokens } : {}),
  });
  const services = fleet.services.length
    ? new SwarmServices(`${name}-services`, {
        connection: swarm.managerConnection,
        ready: swarm.dockerHost,
        services: fleet.services,
        ...(fleet.networks ? { networks: fleet.networks } : {}),
        registries: plan.args.registries,
        encryptedNetworks: strict,
        readOnlyRootFsByDefault: strict,
        strictServices: strict,
      })
    : undefined;
  const perNode = (pick: (h: FleetHost) => pulumi.Output<string>) =>
    pulumi
      .all(hosts.map(({ node, host }) => pick(host).apply((v) => [node, v] as const)))
      .apply((pairs) => Object.fromEntries(pairs));
  return {
    managerAddress: swarm.managerAddress,
    dockerHost: swarm.dockerHost,
    unlockKey: swarm.unlockKey,
    nodeIds: swarm.nodeIds,
    publicIps: perNode((h) => h.publicIp),
    sshCommands: perNode((h) => h.sshCommand),
    endpoints: services ? services.endpoints : pulumi.output<Record<string, string[]>>({}),
  };
}

type FleetHost = AwsDockerHost | AzureDockerHost | LocalDockerHost;
type MemberFactory = (hostName: string, index: number) => FleetHost;

/** The factory of the fleet's hosts on the stack's target, each a swarm member. */
function memberOf(plan: StackPlan, strict: boolean, fleet: FleetPlan): MemberFactory {
  if (plan.cloud === "aws") return awsMembers(plan, strict);
  if (plan.cloud === "azure") return azureMembers(plan, strict);
  return localMembers(plan, fleet);
}

/** What every member takes from the stack's host settings: no plain containers, swarm mode. */
const memberArgs = <A extends { containers?: unknown }>(args: A): A => ({
  ...args,
  containers: undefined,
  swarm: true,
});

/** AWS members: in the fleet's subnet and its group, from one baked AMI when asked. */
function awsMembers(plan: Extract<StackPlan, { cloud: "aws" }>, strict: boolean): MemberFactory {
  const net = awsFleetNetwork(plan.hostName, { encryptedOverlay: strict, tags: plan.args.tags });
  const image = plan.bake
    ? new AwsDockerHostImage(`${plan.hostName}-image`, imageArgsOf(plan.args))
    : undefined;
  return (hostName) =>
    new AwsDockerHost(hostName, {
      ...memberArgs(plan.args),
      subnetId: net.subnetId,
      securityGroupIds: [net.securityGroupId],
      ...(image ? { ami: image.amiId, bakedImage: true } : {}),
    });
}

/** Azure members: in the fleet's group and subnet, NICs in its application security group. */
function azureMembers(
  plan: Extract<StackPlan, { cloud: "azure" }>,
  strict: boolean,
): MemberFactory {
  const location = plan.args.location;
  const net = azureFleetNetwork(plan.hostName, {
    location,
    encryptedOverlay: strict,
    tags: plan.args.tags,
  });
  const image = plan.bake
    ? new AzureDockerHostImage(`${plan.hostName}-image`, { ...imageArgsOf(plan.args), location })
    : undefined;
  return (hostName) =>
    new AzureDockerHost(hostName, {
      ...memberArgs(plan.args),
      resourceGroupName: net.resourceGroupName,
      subnetId: net.subnetId,
      swarmPeers: net.swarmPeers,
      ...(image ? { imageId: image.imageId, bakedImage: true } : {}),
    });
}

/** The first local member's address on the bus; the others follow (10.10.0.11, .12, ...). */
export const LOCAL_FLEET_FIRST_ADDRESS = [10, 10, 0, 11] as const;

/**
 * Local members: VMs on the fleet's bus, each on its own SSH port (sshPort, sshPort + 1, ...),
 * from one baked image when asked. The first member forwards the services' published TCP ports
 * of mode ingress: the routing mesh answers them on any member, so one forward reaches them all.
 */
function localMembers(
  plan: Extract<StackPlan, { cloud: "local" }>,
  fleet: FleetPlan,
): MemberFactory {
  const bus = localFleetNetwork(plan.hostName);
  const image = plan.bake
    ? new LocalDockerHostImage(`${plan.hostName}-image`, localImageArgsOf(plan.args))
    : undefined;
  const firstSshPort = plan.args.sshPort ?? 2222;
  const size = fleet.managers + fleet.workers;
  const published = fleet.services.flatMap((s) =>
    (s.ports ?? [])
      .filter((p) => p.mode === "ingress" && (p.protocol ?? "tcp") === "tcp")
      .map((p) => p.external ?? p.internal),
  );
  const clashes = published.filter((p) => p >= firstSshPort && p < firstSshPort + size);
  if (clashes.length)
    throw new DockerHostConfigError(
      clashes.map(
        (p) =>
          `services: port ${p} is the SSH port of fleet member ${p - firstSshPort + 1} (the members' SSH ports are ${firstSshPort}-${firstSshPort + size - 1}, from localSshPort on); publish the service on another port or set localSshPort`,
      ),
    );
  const [a, b, c, d] = LOCAL_FLEET_FIRST_ADDRESS;
  return (hostName, index) =>
    new LocalDockerHost(hostName, {
      ...memberArgs(plan.args),
      sshPort: firstSshPort + index,
      privateNetwork: { ...bus, address: `${a}.${b}.${c}.${d + index}` },
      forwardPorts: index === 0 ? published : [],
      ...(image ? { image: image.imagePath, bakedImage: true } : {}),
    });
}
