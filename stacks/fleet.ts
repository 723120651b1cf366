import * as pulumi from "@pulumi/pulumi";
import {
  DockerSwarm,
  hardeningRules,
  SwarmServices,
  type SshAccess,
  type SwarmNodeArgs,
  type SwarmRole,
} from "../components";
import type { StackPlan } from "./config";
import type { FleetPlan } from "./fleet-config";
import { targetOf } from "./targets";
import type { TargetHost } from "./targets/target";

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
  const rules = hardeningRules(plan.args.hardening);
  const name = plan.hostName;
  const member = targetOf(plan).members(
    plan.hostName,
    plan.args,
    plan.bake ?? false,
    rules.encryptedOverlay,
    fleet,
  );
  const hosts = fleetMembers(fleet).map(({ node, role }, index) => ({
    node,
    role,
    host: member(`${name}-${node}`, index),
  }));
  // A member reached over a session (AWS sshAccess "session") is reached so by the swarm's steps.
  const sshAccess = (plan.args as { sshAccess?: SshAccess }).sshAccess ?? "direct";
  const nodes: SwarmNodeArgs[] = hosts.map(({ node, role, host }) => ({
    name: node,
    role,
    connection: host.connection,
    sshAccess,
    privateAddress: host.privateIp,
    ready: host.ready,
    machineId: host.machineId,
  }));
  const swarm = new DockerSwarm(`${name}-swarm`, {
    nodes,
    autolock: rules.swarmAutolock,
    ...(fleet.rotateJoinTokens ? { rotateJoinTokens: fleet.rotateJoinTokens } : {}),
  });
  const services = fleet.services.length
    ? new SwarmServices(`${name}-services`, {
        connection: swarm.managerConnection,
        sshAccess,
        ready: swarm.dockerHost,
        services: fleet.services,
        ...(fleet.networks ? { networks: fleet.networks } : {}),
        registries: plan.args.registries,
        encryptedNetworks: rules.encryptedOverlay,
        readOnlyRootFsByDefault: rules.readOnlyRootFsByDefault,
        strictServices: rules.containerRules,
      })
    : undefined;
  const perNode = (pick: (h: TargetHost) => pulumi.Output<string>) =>
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

/** The first local member's address on the bus (stacks/targets/local.ts). */
export { LOCAL_FLEET_FIRST_ADDRESS } from "./targets/local";
