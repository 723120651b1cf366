import * as pulumi from "@pulumi/pulumi";
import { checkStack } from "./check-stack";
import { pulumiConfigSource } from "./config";
import { inConfigTerms } from "./config-keys";
import { buildFleet } from "./fleet";
import { targetOf } from "./targets";

// The stack `pulumi up` runs: one host on the configured cloud, with the configured containers,
// from a baked image when `bakeImage` is set (the image named `<hostName>-image`); or, with
// `fleet`, a swarm of hosts with the configured `services` (stacks/fleet.ts). What differs per
// cloud is its row in stacks/targets/.
// It uses the package's public surface only, as any user's program would.

const project = pulumi.getProject();
// Every problem of the stack at once, before the first resource registers.
const plan = checkStack(pulumiConfigSource(project));

const fleetPlan = plan.fleet;
const fleet = fleetPlan
  ? inConfigTerms(plan, project, () => buildFleet(plan, fleetPlan))
  : undefined;

const host = fleet
  ? undefined
  : inConfigTerms(plan, project, () =>
      targetOf(plan).host(plan.hostName, plan.args, plan.bake ?? false),
    );

export const publicIp = host?.publicIp;
export const dockerHost = fleet ? fleet.dockerHost : host?.dockerHost;
export const sshCommand = host?.sshCommand;
export const endpoints = fleet ? fleet.endpoints : host?.endpoints;
export const dockerVersion = host?.ready;
export const dockerContext = host?.dockerContext;
export const sshConfigInclude = host?.sshConfigInclude;
/** A fleet's: the first manager's address, each node's id, address and ssh command. */
export const managerAddress = fleet?.managerAddress;
export const nodeIds = fleet?.nodeIds;
export const publicIps = fleet?.publicIps;
export const sshCommands = fleet?.sshCommands;
/** A strict fleet's manager unlock key (a secret): `docker swarm unlock` after a restart. */
export const unlockKey = fleet?.unlockKey;
