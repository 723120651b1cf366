import type * as pulumi from "@pulumi/pulumi";
import type {
  Arch,
  Cloud,
  DockerEngineOptions,
  HardeningProfile,
  HostSpec,
  OsName,
  SelinuxMode,
} from "../bootstrap/types";
import {
  DockerHostConfigError,
  resolveHostSpec,
  type ResolvedHostSpec,
} from "../bootstrap/validate-host";
import { engineLabelsContainers } from "../bootstrap/selinux";
import type { ContainerSpec, RegistryAuthSpec } from "./container-spec";
import { containersProblems } from "./validate-containers";
import { sshAccessProblems } from "./validate-network";

/** Options every DockerHost shares, whatever the target. */
export interface DockerHostArgs {
  os?: OsName;
  arch?: Arch;
  /** The deployer's OpenSSH public key, installed for `sshUser`. */
  sshPublicKey: string;
  /** The matching private key, for the readiness gate and the Docker provider; else the SSH agent. */
  sshPrivateKey?: pulumi.Input<string>;
  /** Login user; the image's default user when absent. */
  sshUser?: string;
  docker?: DockerEngineOptions;
  hardening?: HardeningProfile;
  selinux?: SelinuxMode;
  /** Per-container process limit enforced by systemd (default 1024; 0: none). */
  containerPidsLimit?: number;
  containers?: ContainerSpec[];
  registries?: RegistryAuthSpec[];
}

/** Options of hosts reached through a cloud firewall. */
export interface CloudHostArgs extends DockerHostArgs {
  /** Who may reach SSH; required, and never the whole internet without allowSshFromAnywhere. */
  sshAllowedCidrs: string[];
  allowSshFromAnywhere?: boolean;
}

/** The bootstrap's view of a host's args (the host key and data disk come later). */
export function hostSpecFromArgs(
  args: DockerHostArgs,
  cloud: Cloud,
  os: OsName,
  arch: Arch,
): HostSpec {
  return {
    os,
    arch,
    cloud,
    sshUser: args.sshUser,
    sshAuthorizedKeys: [args.sshPublicKey],
    docker: args.docker,
    hardening: args.hardening,
    selinux: args.selinux,
    containerPidsLimit: args.containerPidsLimit,
  };
}

export interface CheckedHost {
  spec: ResolvedHostSpec;
  /** Whether the engine labels containers, so bind mounts get relabeled. */
  selinuxRelabel: boolean;
}

/**
 * All of a host's checks in one place, before any resource exists: the bootstrap's, the
 * containers', and (for cloud hosts) who may reach SSH. Throws one error listing every problem.
 */
export function checkHostArgs(
  args: DockerHostArgs & Partial<CloudHostArgs>,
  spec: HostSpec,
  options: { requireSshCidrs: boolean; cloudProblems?: string[] },
): CheckedHost {
  const problems: string[] = [...(options.cloudProblems ?? [])];
  let resolved: ResolvedHostSpec | undefined;
  try {
    resolved = resolveHostSpec(spec);
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    problems.push(...e.problems);
  }
  if (options.requireSshCidrs) problems.push(...sshAccessProblems(args));
  const selinuxRelabel = resolved
    ? engineLabelsContainers(resolved.entry, resolved.selinux)
    : false;
  problems.push(
    ...containersProblems({
      containers: args.containers ?? [],
      registries: args.registries,
      selinuxRelabel,
    }),
  );
  if (problems.length || !resolved) throw new DockerHostConfigError(problems);
  return { spec: resolved, selinuxRelabel };
}
