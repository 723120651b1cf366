import * as pulumi from "@pulumi/pulumi";
import {
  AwsDockerHost,
  AwsDockerHostImage,
  AzureDockerHost,
  AzureDockerHostImage,
  LocalDockerHost,
  LocalDockerHostImage,
} from "../components";
import { imageArgsOf, localImageArgsOf } from "./bake";
import { checkStack } from "./check-stack";
import { pulumiConfigSource } from "./config";
import { inConfigTerms } from "./config-keys";
import { buildFleet } from "./fleet";

// The stack `pulumi up` runs: one host on the configured cloud, with the configured containers,
// from a baked image when `bakeImage` is set (the image named `<hostName>-image`); or, with
// `fleet`, a swarm of hosts with the configured `services` (stacks/fleet.ts).
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
  : inConfigTerms(plan, project, () => {
      const imageName = `${plan.hostName}-image`;
      switch (plan.cloud) {
        case "aws": {
          if (!plan.bake) return new AwsDockerHost(plan.hostName, plan.args);
          const image = new AwsDockerHostImage(imageName, imageArgsOf(plan.args));
          return new AwsDockerHost(plan.hostName, {
            ...plan.args,
            ami: image.amiId,
            bakedImage: true,
          });
        }
        case "azure": {
          if (!plan.bake) return new AzureDockerHost(plan.hostName, plan.args);
          const image = new AzureDockerHostImage(imageName, {
            ...imageArgsOf(plan.args),
            location: plan.args.location,
          });
          const baked = { imageId: image.imageId, bakedImage: true };
          return new AzureDockerHost(plan.hostName, { ...plan.args, ...baked });
        }
        case "local": {
          if (!plan.bake) return new LocalDockerHost(plan.hostName, plan.args);
          const image = new LocalDockerHostImage(imageName, localImageArgsOf(plan.args));
          const baked = { image: image.imagePath, bakedImage: true };
          return new LocalDockerHost(plan.hostName, { ...plan.args, ...baked });
        }
      }
    });

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
