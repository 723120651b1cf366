// A library of another team that wraps dockerhost and re-exports what it returns. Compiled with
// declaration emit under node16 resolution (package exports enforced) by tests/package: every
// type a public function returns or a public arg uses must be nameable from "dockerhost".
import * as dockerhost from "dockerhost";

export const catalog = dockerhost.OS_CATALOG;
export const render = dockerhost.renderCloudInit;
export const resolve = (spec: dockerhost.HostSpec) => dockerhost.resolveHostSpec(spec);
export const awsDocker = (args: dockerhost.AwsDockerHostArgs) => args.docker;
export const azureDisks = (args: dockerhost.AzureDockerHostArgs) => [args.diskSku, args.image];
export const localVm = (args: dockerhost.LocalDockerHostArgs) => args.accelerator;
export const containers = (args: dockerhost.DockerServicesArgs) => args.containers;
export const firstPort = (c: dockerhost.ContainerSpec) => c.ports?.[0];
export const firstVolume = (c: dockerhost.ContainerSpec) => c.volumes?.[0];
export const health = (c: dockerhost.ContainerSpec) => c.healthcheck;
export const connect = (host: dockerhost.AwsDockerHost) => host.connection;
export const outputs = (host: dockerhost.LocalDockerHost) => ({
  endpoints: host.endpoints,
  accelerator: host.accelerator,
});
export const services = (name: string, args: dockerhost.DockerServicesArgs) =>
  new dockerhost.DockerServices(name, args);
export const failure = (problems: string[]) => new dockerhost.DockerHostConfigError(problems);
export class TeamHost extends dockerhost.AwsDockerHost {}
