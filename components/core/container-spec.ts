import type * as pulumi from "@pulumi/pulumi";
import type { ProxySpec } from "./edge-spec";
import type { RuntimeSpec } from "./runtime-spec";

// The shape of a service container, as users declare it. Structural fields (names, ports) are
// plain values so that conflicts are found at preview; values may be Pulumi inputs.

export const PortProtocol = { Tcp: "tcp", Udp: "udp" } as const;
export type PortProtocol = (typeof PortProtocol)[keyof typeof PortProtocol];

export interface ContainerPortSpec {
  /** Port inside the container. */
  internal: number;
  /** Port on the host; the same as `internal` when absent. */
  external?: number;
  protocol?: PortProtocol;
  /** Host address to bind; all addresses when absent. Use "127.0.0.1" for host-local ports. */
  hostIp?: string;
  /** Who may reach the port through the cloud firewall. None: the firewall stays closed. */
  allowedCidrs?: string[];
}

/**
 * Files from the deployer's machine, shipped to the host over the pinned SSH connection and
 * bind-mounted (Compose's relative bind of a file or directory beside the compose file). They
 * land on the Docker data disk under a directory named by their content, so a change ships anew
 * and replaces only the containers that mount them; the content is a Pulumi secret in state.
 */
/** One resource limit: the soft value the process starts with, and the hard ceiling. */
export interface UlimitSpec {
  soft: number;
  hard: number;
}

/** One shipped file: its path below the shipment, its bytes, and whether it runs. */
export interface ShippedFileSpec {
  path: string;
  contentBase64: string;
  executable?: boolean;
}

export interface ShippedFilesSpec {
  /** Names the shipment within the component (letters, digits, "_", "." and "-"). */
  name: string;
  /**
   * The files, each by its path below the shipment (no ".." and no leading "/"). The mount is
   * the shipment's directory, or with `file`, that one file in it.
   */
  entries: ShippedFileSpec[];
  /** Mount this entry (a file) instead of the directory. */
  file?: string;
  /**
   * The files are secrets (Compose's file `secrets`): their directory is named without any
   * digest of the content, which would otherwise be in state and in `docker inspect`; a change
   * rewrites the files in place (the command's update; a container that binds one sees the new
   * content) instead of replacing the containers.
   */
  secret?: boolean;
}

/** A secret the host reads from the cloud's store for a container, given as a file. */
export interface CloudSecretSpec {
  /** The file's name: the container reads /run/secrets/<name>. */
  name: string;
  /** AWS hosts: the SSM Parameter Store parameter (a SecureString), by name: the host's own region. */
  ssmParameter?: string;
  /**
   * Azure hosts: the Key Vault secret, by its resource id
   * (`/subscriptions/<s>/resourceGroups/<g>/providers/Microsoft.KeyVault/vaults/<vault>/secrets/<name>`),
   * whose current version the host reads. Give exactly one of ssmParameter and keyVaultSecret.
   */
  keyVaultSecret?: string;
}

export interface ContainerVolumeSpec {
  containerPath: string;
  /** A bind mount of this host directory ... */
  hostPath?: string;
  /** ... or a named Docker volume (kept on the Docker data disk) ... */
  volumeName?: string;
  /** ... or files shipped from the deployer's machine. */
  files?: ShippedFilesSpec;
  readOnly?: boolean;
  /** With SELinux, relabel shared (`:z`) so other containers may use it, instead of private (`:Z`). */
  shared?: boolean;
}

export interface ContainerHealthcheckSpec {
  /** Docker's form: ["CMD", "curl", "-f", "http://localhost/"] or ["CMD-SHELL", "..."]. */
  test: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  startPeriod?: string;
}

/** A network a container joins, by its name in `networks` ("default": the project network). */
export interface ContainerNetworkSpec {
  name: string;
  /** More names the container answers to on this network (its own name always works). */
  aliases?: string[];
}

/** An image built from a Dockerfile by the host's own engine (nothing is pushed anywhere). */
export interface BuildSpec {
  /** The build context: a directory, relative to the program's directory. */
  context: string;
  /** The Dockerfile, relative to the context; default "Dockerfile". */
  dockerfile?: string;
  /** Build arguments (`ARG`). Plain values: they stay readable in the image's history (secrets: below). */
  args?: Record<string, string>;
  /** The stage of a multi-stage Dockerfile to build. */
  target?: string;
  /**
   * Build secrets by id (`RUN --mount=type=secret,id=<id>`), read on the deployer when the
   * engine builds and streamed to it in the build's session: the value is in no input, so in
   * neither the stack's state nor the image's layers or history. Only the id and where the value
   * comes from are recorded, and a new value alone does not rebuild (BuildKit keeps secrets out of
   * its cache keys too).
   */
  secrets?: Record<string, BuildSecretSpec>;
}

/** Where a build secret's value is read on the deployer: exactly one of the two. */
export interface BuildSecretSpec {
  /** An environment variable of the process running `pulumi up` (the provider inherits it). */
  env?: string;
  /** A file, relative to the program's directory; outside the build context (or ignored by it). */
  file?: string;
}

export const RestartPolicy = {
  No: "no",
  OnFailure: "on-failure",
  Always: "always",
  UnlessStopped: "unless-stopped",
} as const;
export type RestartPolicy = (typeof RestartPolicy)[keyof typeof RestartPolicy];
export const RESTART_POLICIES: readonly RestartPolicy[] = Object.values(RestartPolicy);

/** A container's logging driver and its options, as `docker run --log-driver --log-opt`. */
export interface ContainerLoggingSpec {
  /** Default: the host's (json-file; journald under `strict`). */
  driver?: string;
  options?: Record<string, string>;
}

export interface ContainerSpec extends RuntimeSpec {
  /** Container name on the host; also names its Pulumi resources. */
  name: string;
  /** An image from a registry (or already on the host) ... */
  image?: pulumi.Input<string>;
  /**
   * Pull `image` on the host, with root's docker CLI and the credential helpers the host's cloud
   * identity serves (an AWS host sets it for its ecrRepositories), rather than through the
   * provider with the passwords of `registries`. Default false.
   */
  pullOnHost?: boolean;
  /**
   * Secrets the host reads from the cloud's store with its own identity and gives the container
   * as read-only files /run/secrets/<name>, 0400, owned by its user (an AwsDockerHost grants
   * its role the named SSM parameters). The value never enters Pulumi state; a rotation in the
   * store reaches the container at its next start.
   */
  cloudSecrets?: CloudSecretSpec[];
  /**
   * ... or one built from a Dockerfile on the host, tagged by its content: an unchanged context
   * neither rebuilds nor replaces the container.
   */
  build?: BuildSpec;
  /**
   * The image's ENTRYPOINT replaced (Compose's `entrypoint`). The image's CMD is then not used:
   * give `command` for its arguments (the engine takes the image's Cmd only when the container's
   * Entrypoint is empty: moby daemon/commit.go, merge).
   */
  entrypoint?: string[];
  ports?: ContainerPortSpec[];
  /** Values must be Pulumi secrets; they stay encrypted in state. */
  secretEnv?: Record<string, pulumi.Input<string>>;
  volumes?: ContainerVolumeSpec[];
  /** Default `unless-stopped`: restarts on failure and comes back after a reboot. */
  restart?: RestartPolicy;
  /** Kernel parameters of its own namespaces (Docker's `--sysctl`: net.*, kernel.shm*, …). */
  sysctls?: Record<string, string>;
  /** Containers (by name) that must be healthy before this one starts; each needs a healthcheck. */
  dependsOn?: string[];
  /**
   * The Docker container's name when it is not `name` (Compose's `container_name`). Other
   * containers still reach it by `name` on their shared networks.
   */
  containerName?: string;
  /**
   * Containers (by name) created and started before this one, with no wait for their health:
   * start order only (Compose's `depends_on` short form and `condition: service_started`).
   */
  startAfter?: string[];
  /**
   * A one-off job (a migration, a setup step): started once at deploy, waited for until it
   * exits, and required to exit 0, or the deploy fails with its exit code and the end of its log.
   * Never restarted (its restart policy is `no`); run again only when it is replaced. Compose's
   * target of `condition: service_completed_successfully`.
   */
  runsToCompletion?: boolean;
  /**
   * Containers (by name, each `runsToCompletion`) that must have exited 0 before this one starts
   * (Compose's `depends_on` with `condition: service_completed_successfully`).
   */
  afterCompleted?: string[];
  /** The container's hostname (Compose's `hostname`). */
  hostname?: string;
  /** The working directory of its process, an absolute path (`working_dir`). */
  workingDir?: string;
  /** A pseudo-terminal (`tty`) and an open standard input (`stdin_open`), for programs that want them. */
  tty?: boolean;
  stdinOpen?: boolean;
  /** An init process as PID 1 that forwards signals and reaps zombies (`init`). */
  init?: boolean;
  /** The signal that stops it, e.g. "SIGQUIT" (`stop_signal`); Docker's default is SIGTERM. */
  stopSignal?: string;
  /** Seconds between the stop signal and SIGKILL (`stop_grace_period`); Docker's default is 10. */
  stopTimeoutSeconds?: number;
  /** Size of /dev/shm in MiB (`shm_size`); Docker's default is 64. */
  shmSizeMb?: number;
  /** Extra /etc/hosts entries, name to address (`extra_hosts`); "host-gateway" is the host. */
  extraHosts?: Record<string, string>;
  /** Resource limits by name, e.g. nofile (`ulimits`); -1 is unlimited. */
  ulimits?: Record<string, UlimitSpec>;
  /** tmpfs mounts by absolute path, with their mount options ("" for Docker's) (`tmpfs`). */
  tmpfs?: Record<string, string>;
  /**
   * DNS servers by IP address, instead of the host's (`dns`); a change replaces it (`dns` is
   * ForceNew: terraform-provider-docker v4.5.0 internal/provider/resource_docker_container.go).
   */
  dns?: string[];
  /**
   * Where its output goes (`logging`): the host's driver when left out (json-file with 10 MB x 3
   * files; journald under `strict`). Options for the host's own driver are merged with the
   * host's (the engine fills in those left out: moby daemon/logs.go, mergeAndVerifyLogConfig).
   * A change replaces the container (the provider's `log_driver` and `log_opts` are ForceNew:
   * terraform-provider-docker v4.5.0 internal/provider/resource_docker_container.go).
   */
  logging?: ContainerLoggingSpec;
  /**
   * Served over HTTPS by the host's edge at this hostname (docs/edge.md): it publishes no port
   * itself, needs a healthcheck, and a change starts the new container beside the old one and
   * switches the edge to it once healthy.
   */
  proxy?: ProxySpec;
}

/** A network of one DockerServices; the Docker network is named `<component>_<name>`. */
export interface NetworkSpec {
  /** "default" is the project network every container joins unless it lists its own. */
  name: string;
  /** Nothing its containers send leaves it (the engine drops it): they reach only each other. */
  internal?: boolean;
  /**
   * An existing Docker network, by this Docker name, that the containers join and the component
   * neither creates nor deletes (Compose's `external: true`).
   */
  external?: string;
}

/** A named volume with a life of its own: it outlives its containers' replacements. */
export interface VolumeSpec {
  /** Referred to by a container's `volumes[].volumeName`; the Docker volume is `<component>_<name>`. */
  name: string;
  /**
   * An existing Docker volume, by this Docker name, that the containers mount and the component
   * neither creates nor deletes (Compose's `external: true`).
   */
  external?: string;
}

export interface RegistryAuthSpec {
  /** Registry host, e.g. "ghcr.io" or "123456789012.dkr.ecr.eu-west-1.amazonaws.com". */
  address: string;
  username: pulumi.Input<string>;
  /** Must be a Pulumi secret. */
  password: pulumi.Input<string>;
}

export const DEFAULT_MEMORY_MB = 512;
export const DEFAULT_RESTART: RestartPolicy = "unless-stopped";
