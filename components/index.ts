// The public surface of the dockerhost package.
export { AwsDockerHost } from "./aws/aws-docker-host";
export type { AwsDockerHostArgs } from "./aws/aws-docker-host";
export { AzureDockerHost } from "./azure/azure-docker-host";
export type { AzureDockerHostArgs } from "./azure/azure-docker-host";
export type { AzureImageReference } from "./azure/image";
export { DockerServices } from "./host/docker-services";
export type { DockerServicesArgs } from "./host/docker-services";
export type { DockerHostArgs, CloudHostArgs } from "./host/host-args";
export type {
  ContainerSpec,
  ContainerPortSpec,
  ContainerVolumeSpec,
  ContainerHealthcheckSpec,
  RegistryAuthSpec,
  RestartPolicy,
} from "./host/container-spec";
export type { SshConnection, SshConnectionArgs } from "./host/ssh-connection";
export { renderCloudInit, resolveHostSpec, DockerHostConfigError, OS_CATALOG } from "./bootstrap";
export type {
  HostSpec,
  OsName,
  Arch,
  Cloud,
  HardeningProfile,
  SelinuxMode,
  EngineSource,
  DockerEngineOptions,
  JsonValue,
} from "./bootstrap";
