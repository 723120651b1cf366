import { hardeningRules } from "../core/hardening-profile";
import type { EdgeSpec } from "../core/edge-spec";
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
import { resolveHostSpec, type ResolvedHostSpec } from "../bootstrap/validate-host";
import { DockerHostConfigError } from "../core/config-error";
import { engineLabelsContainers } from "../bootstrap/selinux";
import type {
  ContainerSpec,
  NetworkSpec,
  RegistryAuthSpec,
  VolumeSpec,
} from "../core/container-spec";
import { containersProblems } from "../services/validate-containers";
import { edgeProblems } from "../services/validate-edge";
import { sshAccessProblems } from "../core/validate-network";
import type { JsonSchema } from "../core/shape";
import { checkShape, withoutShadowed } from "../core/shape";

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
  /**
   * The image (`ami`, `imageId`, `image`) is a <Target>DockerHostImage bake: the first boot
   * checks that it holds this host's packages and pinned engine instead of installing them.
   */
  bakedImage?: boolean;
  /**
   * The host joins a swarm (DockerSwarm): its engine runs without live-restore, which swarm mode
   * refuses. Changing it replaces the host (its user-data changes).
   */
  swarm?: boolean;
  containers?: ContainerSpec[];
  registries?: RegistryAuthSpec[];
  /** Networks of the containers (see DockerServicesArgs.networks). */
  networks?: NetworkSpec[];
  /** Named volumes of the containers, kept when the host's services are deleted unless removeVolumesOnDelete. */
  volumes?: VolumeSpec[];
  removeVolumesOnDelete?: boolean;
  /**
   * The edge for containers with `proxy`: one Caddy owning ports 80 and 443, certificates by ACME
   * (docs/edge.md). Its ports open through the firewall to `edge.allowedCidrs`.
   */
  edge?: EdgeSpec;
  /**
   * On the machine that runs `pulumi up`, an SSH entry (~/.dockerhost/ssh/<alias>.conf, host key
   * pinned) and a Docker context `<stack>-<name>` for this host; both removed on destroy.
   * Default true.
   */
  dockerContext?: boolean;
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
    sshAuthorizedKeys: args.sshPublicKey === undefined ? [] : [args.sshPublicKey],
    docker: args.docker,
    hardening: args.hardening,
    selinux: args.selinux,
    containerPidsLimit: args.containerPidsLimit,
    ...(args.bakedImage ? { bakedImage: true } : {}),
    ...(args.swarm ? { swarm: true } : {}),
    // Only AWS has the opt-in (its hop limit is the other half); strict never lets them through.
    ...(containersNeedImds(args) && hardeningRules(args.hardening).containersMayReachMetadata
      ? { containersReachMetadata: true }
      : {}),
  };
}

function containersNeedImds(args: DockerHostArgs): boolean {
  return (args as { containersNeedImds?: boolean }).containersNeedImds === true;
}

export interface CheckedHost {
  spec: ResolvedHostSpec;
  /** Whether the engine labels containers, so bind mounts get relabeled. */
  selinuxRelabel: boolean;
}

/** A baked image must be named: the catalog's images hold no bake. */
export function bakedImageProblems(
  bakedImage: boolean | undefined,
  imageField: string,
  given: boolean,
  output: string,
): string[] {
  if (!bakedImage || given) return [];
  return [
    `bakedImage: true needs ${imageField}, the bake's image (${output}); the catalog's image holds no bake. Set ${imageField}, or remove bakedImage to install at first boot.`,
  ];
}

/** What a target tells checkHostArgs about itself. */
export interface HostTarget<A> {
  cloud: Cloud;
  defaultOs: OsName;
  /** Set where the target runs one architecture only (local: x86_64). */
  onlyArch?: Arch;
  /** The component's whole args shape (core/args-shape.ts), checked before anything reads them. */
  schema: JsonSchema;
  requireSshCidrs: boolean;
  /** The target offers `sshAccess: "session"` (AWS: Session Manager). */
  sessionAccess?: boolean;
  /** The target's own checks, given args whose values all have the right shape. */
  cloudProblems?: (args: A) => string[];
  /** The driver that ships the host's containers' logs off the host (containerLogs "cloud"). */
  shippedLogDriver?: (args: A) => string | undefined;
  /** What the target adds to the host's spec from its own args (local: the fleet's NIC). */
  specExtras?: (args: A) => Partial<HostSpec>;
}

/**
 * All of a host's checks in one place, before any resource exists: the shapes (types, enums,
 * unknown fields), the bootstrap's, the containers', who may reach SSH (cloud hosts) and the
 * target's own. Throws one DockerHostConfigError listing every problem, each naming its field.
 */
export function checkHostArgs<A extends DockerHostArgs & Partial<CloudHostArgs>>(
  args: A,
  target: HostTarget<A>,
): CheckedHost {
  const shape = checkShape(target.schema, args);
  const safe = shape.pruned;
  const os = safe.os ?? target.defaultOs;
  const arch = target.onlyArch ?? safe.arch ?? "x86_64";
  const spec = { ...hostSpecFromArgs(safe, target.cloud, os, arch), ...target.specExtras?.(safe) };
  const finer: string[] = [...(target.cloudProblems?.(safe) ?? [])];
  let resolved: ResolvedHostSpec | undefined;
  try {
    resolved = resolveHostSpec(spec);
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    // The spec's list of keys is the args' one sshPublicKey: name it as the user wrote it.
    finer.push(
      ...e.problems.map((p) => p.replace(/^sshAuthorizedKeys(\[0\])?: /, "sshPublicKey: ")),
    );
  }
  if (target.requireSshCidrs)
    finer.push(...sshAccessProblems({ ...safe, sessionOffered: target.sessionAccess === true }));
  const selinuxRelabel = resolved
    ? engineLabelsContainers(resolved.entry, resolved.selinux)
    : false;
  finer.push(
    ...containersProblems({
      containers: safe.containers ?? [],
      registries: safe.registries,
      networks: safe.networks,
      volumes: safe.volumes,
      selinuxRelabel,
      strict: hardeningRules(resolved?.hardening).containerRules,
      shippedLogDriver: target.shippedLogDriver?.(safe),
    }),
    ...edgeProblems({
      containers: safe.containers ?? [],
      networks: safe.networks,
      volumes: safe.volumes,
      edge: safe.edge,
      strict: hardeningRules(resolved?.hardening).containerRules,
    }),
  );
  const problems = [...shape.problems, ...withoutShadowed(finer, shape.failedFields)];
  if (problems.length || !resolved) throw new DockerHostConfigError(problems);
  return { spec: resolved, selinuxRelabel };
}
