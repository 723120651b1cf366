// The public surface of the dockerhost package.
export { AwsDockerHost } from "./aws/aws-docker-host";
export type { AwsDockerHostArgs } from "./aws/aws-docker-host";
export { AzureDockerHost, AzureDiskSku } from "./azure/azure-docker-host";
export type { AzureDockerHostArgs } from "./azure/azure-docker-host";
export type { AzureImageReference } from "./azure/image";
export { LocalDockerHost } from "./local/local-docker-host";
export type { LocalDockerHostArgs } from "./local/local-docker-host";
export { AwsDockerHostImage } from "./aws/aws-docker-host-image";
export type { AwsDockerHostImageArgs } from "./aws/aws-docker-host-image";
export { AzureDockerHostImage } from "./azure/azure-docker-host-image";
export type { AzureDockerHostImageArgs } from "./azure/azure-docker-host-image";
export { LocalDockerHostImage } from "./local/local-docker-host-image";
export type { LocalDockerHostImageArgs } from "./local/local-docker-host-image";
export type { DockerHostImageArgs } from "./host/image-args";
export { DockerServices } from "./services/docker-services";
export type { DockerServicesArgs } from "./services/docker-services";
export { DockerSwarm } from "./swarm/docker-swarm";
export type { DockerSwarmArgs, SwarmNodeArgs } from "./swarm/docker-swarm";
export { SwarmRole } from "./swarm/swarm-nodes";
export { awsFleetNetwork } from "./aws/fleet-firewall";
export type { AwsFleetNetwork, AwsFleetNetworkArgs } from "./aws/fleet-firewall";
export { azureFleetNetwork } from "./azure/fleet-firewall";
export type {
  AzureFleetNetwork,
  AzureFleetNetworkArgs,
  AzureSwarmPeers,
} from "./azure/fleet-firewall";
export { localFleetNetwork } from "./local/fleet-bus";
export type { LocalFleetNetwork } from "./local/fleet-bus";
export type { LocalPrivateNetwork } from "./local/local-args";
export { SwarmServices } from "./swarm/swarm-services";
export type { SwarmServicesArgs } from "./swarm/swarm-services";
export {
  PublishMode,
  UpdateOrder,
  UpdateFailureAction,
  RollbackFailureAction,
} from "./core/swarm-service-spec";
export type {
  SwarmServiceSpec,
  SwarmPortSpec,
  SwarmNetworkSpec,
  UpdatePolicySpec,
  RollbackPolicySpec,
} from "./core/swarm-service-spec";
export { composeServices } from "./services/compose-app";
export type { ComposeApp, ComposeOptions } from "./compose/compose-services";
export { composeSwarmServices } from "./swarm/compose-swarm-app";
export type { ComposeSwarmApp } from "./compose/compose-swarm";
export type { DockerHostArgs, CloudHostArgs } from "./host/host-args";
export { PortProtocol, RestartPolicy } from "./core/container-spec";
export type {
  ContainerSpec,
  ContainerPortSpec,
  ContainerVolumeSpec,
  ContainerHealthcheckSpec,
  ContainerNetworkSpec,
  NetworkSpec,
  VolumeSpec,
  BuildSecretSpec,
  BuildSpec,
  RegistryAuthSpec,
} from "./core/container-spec";
export type { ProxySpec, EdgeSpec, EdgeCertificateSpec } from "./core/edge-spec";
export { EDGE_IMAGE, LETS_ENCRYPT_DIRECTORY } from "./services/edge-config";
export type { SshConnection, SshConnectionArgs } from "./remote/ssh-connection";
export { SshAccess } from "./remote/session-transport";
export { renderCloudInit, resolveHostSpec, DockerHostConfigError, OS_CATALOG } from "./bootstrap";
export { OsName, Arch, HardeningProfile, SelinuxMode, EngineSource } from "./bootstrap/types";
export { HARDENING_RULES, hardeningRules } from "./core/hardening-profile";
export type { HardeningRules } from "./core/hardening-profile";
export { AcceleratorPreference } from "./local/accelerator";
export type {
  HostSpec,
  BakeSpec,
  BakedEngineOptions,
  Cloud,
  DockerEngineOptions,
  JsonValue,
  SshHostKey,
  ResolvedHostSpec,
  OsEntry,
  AwsImageLookup,
  AzureImage,
  DockerCeRepo,
  PackageManager,
  CatalogGap,
} from "./bootstrap";
export type { DockerHostOutputs } from "./host/docker-host-component";
export { dockerHostArgsProblems, swarmServicesArgsProblems } from "./preview-checks";
