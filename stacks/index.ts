import * as pulumi from "@pulumi/pulumi";
import { AwsDockerHost, AzureDockerHost, LocalDockerHost } from "../components";
import { pulumiConfigSource, readStack } from "./config";
import { inConfigTerms } from "./config-keys";

// The stack `pulumi up` runs: one host on the configured cloud, with the configured containers.
// It uses the package's public surface only, as any user's program would.

const project = pulumi.getProject();
const plan = readStack(pulumiConfigSource(project));

const host = inConfigTerms(plan, project, () => {
  switch (plan.cloud) {
    case "aws":
      return new AwsDockerHost(plan.hostName, plan.args);
    case "azure":
      return new AzureDockerHost(plan.hostName, plan.args);
    case "local":
      return new LocalDockerHost(plan.hostName, plan.args);
  }
});

export const publicIp = host.publicIp;
export const dockerHost = host.dockerHost;
export const sshCommand = host.sshCommand;
export const endpoints = host.endpoints;
export const dockerVersion = host.ready;
export const dockerContext = host.dockerContext;
export const sshConfigInclude = host.sshConfigInclude;
