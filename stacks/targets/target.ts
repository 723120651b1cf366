import type {
  AwsDockerHost,
  AwsDockerHostArgs,
  AzureDockerHost,
  AzureDockerHostArgs,
  DockerHostArgs,
  LocalDockerHost,
  LocalDockerHostArgs,
} from "../../components";
import type { Reader } from "../config-reader";
import type { FleetPlan } from "../fleet-config";

// One row per target: what the stack does differently on AWS, Azure and local QEMU. A new
// target is its folder under components/ plus one file here and its row in targets/index.ts.

export type TargetHost = AwsDockerHost | AzureDockerHost | LocalDockerHost;
/** A fleet member by its host name and its index among the members. */
export type MemberFactory = (hostName: string, index: number) => TargetHost;

/** The firewall keys a cloud host reads (local hosts have no cloud firewall). */
export interface FirewallArgs {
  sshAllowedCidrs: string[];
  allowSshFromAnywhere?: boolean;
}

export interface StackTarget<A extends DockerHostArgs> {
  /** The target's own config keys, beside the shared host args (stacks/config.ts). */
  readArgs(reader: Reader, shared: DockerHostArgs, firewall: FirewallArgs): A;
  /** Component field -> config key, for problems worded by key (stacks/config-keys.ts). */
  configKeys: Record<string, string>;
  /** The host's own preview checks (stacks/check-stack.ts). */
  hostProblems(args: A): string[];
  /** The stack's one host, from a baked image named `<hostName>-image` when asked. */
  host(hostName: string, args: A, bake: boolean): TargetHost;
  /** The fleet's members: in the target's fleet network, from one baked image when asked. */
  members(
    hostName: string,
    args: A,
    bake: boolean,
    encryptedOverlay: boolean,
    fleet: FleetPlan,
  ): MemberFactory;
}

export type AwsTarget = StackTarget<AwsDockerHostArgs>;
export type AzureTarget = StackTarget<AzureDockerHostArgs>;
export type LocalTarget = StackTarget<LocalDockerHostArgs>;

/** Component fields every target names the same way. */
export const SHARED_CONFIG_KEYS: Record<string, string> = {
  os: "os",
  arch: "arch",
  hardening: "hardening",
  selinux: "selinux",
  sshPublicKey: "sshPublicKey",
  sshPrivateKey: "sshPrivateKey",
  containers: "containers",
  registries: "registries",
  dockerContext: "dockerContext",
  networks: "networks",
  volumes: "volumes",
  services: "services",
  removeVolumesOnDelete: "removeVolumesOnDelete",
  edge: "edge",
  bakedImage: "bakeImage",
  "docker.version": "dockerVersion",
  "docker.registryMirrors": "registryMirrors",
  "docker.daemonConfigJson": "dockerDaemonConfig",
  "docker.relaxDaemonKeys": "dockerRelaxDaemonKeys",
};

/** A cloud's shared keys and its firewall's. */
export const CLOUD_CONFIG_KEYS: Record<string, string> = {
  ...SHARED_CONFIG_KEYS,
  sshAllowedCidrs: "sshAllowedCidrs",
  allowSshFromAnywhere: "allowSshFromAnywhere",
};

/** What every member takes from the stack's host settings: no plain containers, swarm mode. */
export const memberArgs = <A extends { containers?: unknown }>(args: A): A => ({
  ...args,
  containers: undefined,
  swarm: true,
});
