import * as pulumi from "@pulumi/pulumi";
import {
  AwsDockerHost,
  AwsDockerHostImage,
  AzureDockerHost,
  AzureDockerHostImage,
  DockerSwarm,
  SwarmServices,
  awsFleetNetwork,
  azureFleetNetwork,
  type SwarmNodeArgs,
  type SwarmRole,
} from "../components";
import { imageArgsOf } from "./bake";
import type { StackPlan } from "./config";
import type { FleetPlan } from "./fleet-config";

// `dockerhost:fleet`: managers then workers, each a host of the stack's target named
// `<hostName>-m1`, `<hostName>-w1`..., all in one subnet and one fleet group that admits only
// them to the swarm's ports, joined into one swarm (the first manager makes it), with the
// stack's `services` on it. Strict fleets lock their managers and encrypt their overlays.

type CloudPlan = Extract<StackPlan, { cloud: "aws" | "azure" }>;

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

export function buildFleet(plan: CloudPlan, fleet: FleetPlan): FleetOutputs {
  const strict = plan.args.hardening === "strict";
  const name = plan.hostName;
  const member = plan.cloud === "aws" ? awsMembers(plan, strict) : azureMembers(plan, strict);
  const hosts = fleetMembers(fleet).map(({ node, role }) => ({
    node,
    role,
    host: member(`${name}-${node}`, { ...plan.args, containers: undefined, swarm: true }),
  }));
  const nodes: SwarmNodeArgs[] = hosts.map(({ node, role, host }) => ({
    name: node,
    role,
    connection: host.connection,
    privateAddress: host.privateIp,
    ready: host.ready,
  }));
  const swarm = new DockerSwarm(`${name}-swarm`, { nodes, autolock: strict });
  const services = fleet.services.length
    ? new SwarmServices(`${name}-services`, {
        connection: swarm.managerConnection,
        ready: swarm.dockerHost,
        services: fleet.services,
        registries: plan.args.registries,
        encryptedNetworks: strict,
      })
    : undefined;
  const perNode = (pick: (h: AwsDockerHost | AzureDockerHost) => pulumi.Output<string>) =>
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

type MemberArgs<P extends CloudPlan> = P["args"];

/** AWS members: in the fleet's subnet and its group, from one baked AMI when asked. */
function awsMembers(plan: Extract<CloudPlan, { cloud: "aws" }>, strict: boolean) {
  const net = awsFleetNetwork(plan.hostName, { encryptedOverlay: strict, tags: plan.args.tags });
  const image = plan.bake
    ? new AwsDockerHostImage(`${plan.hostName}-image`, imageArgsOf(plan.args))
    : undefined;
  return (hostName: string, args: MemberArgs<typeof plan>) =>
    new AwsDockerHost(hostName, {
      ...args,
      subnetId: net.subnetId,
      securityGroupIds: [net.securityGroupId],
      ...(image ? { ami: image.amiId, bakedImage: true } : {}),
    });
}

/** Azure members: in the fleet's group and subnet, NICs in its application security group. */
function azureMembers(plan: Extract<CloudPlan, { cloud: "azure" }>, strict: boolean) {
  const location = plan.args.location;
  const net = azureFleetNetwork(plan.hostName, {
    location,
    encryptedOverlay: strict,
    tags: plan.args.tags,
  });
  const image = plan.bake
    ? new AzureDockerHostImage(`${plan.hostName}-image`, { ...imageArgsOf(plan.args), location })
    : undefined;
  return (hostName: string, args: MemberArgs<typeof plan>) =>
    new AzureDockerHost(hostName, {
      ...args,
      resourceGroupName: net.resourceGroupName,
      subnetId: net.subnetId,
      swarmPeers: net.swarmPeers,
      ...(image ? { imageId: image.imageId, bakedImage: true } : {}),
    });
}
