// The pure bootstrap: no Pulumi imports, so it renders, validates and boots anywhere.
export {
  renderCloudInit,
  buildCloudConfig,
  bootSteps,
  hostFiles,
  runStepsScript,
} from "./cloud-init";
export type { BootStep, WriteFile } from "./cloud-init";
export { buildDaemonConfig, renderDaemonJson, PROFILE_DAEMON_CONFIG } from "./daemon-config";
export type { DaemonConfig } from "./daemon-config";
export { OS_CATALOG, CLOUD_DATA_DISK_DEVICES } from "./os-catalog";
export type {
  OsEntry,
  AwsImageLookup,
  AzureImage,
  DockerCeRepo,
  PackageManager,
  CatalogGap,
} from "./os-catalog";
export { resolveHostSpec, isSshPublicKey } from "./validate-host";
export { DockerHostConfigError } from "../core/config-error";
export type { ResolvedHostSpec } from "./validate-host";
export * from "./types";
