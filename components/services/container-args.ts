import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_RESTART,
  type ContainerHealthcheckSpec,
  type ContainerPortSpec,
  type ContainerSpec,
  type ShippedFilesSpec,
} from "../core/container-spec";

// ContainerSpec -> the Docker provider's ContainerArgs, with the security defaults applied.

export interface ContainerDefaults {
  /** Bind mounts get SELinux labels (`:Z`, or `:z` when shared). */
  selinuxRelabel: boolean;
  /** Root filesystem read-only unless the container says otherwise (the `strict` profile). */
  readOnlyRootFs: boolean;
  /** CPU shares for a container without a `cpus` limit (the `strict` profile: CIS 5.12). */
  cpuShares?: number;
  /**
   * What a container that starts as root (no `user`, or root by name or id) and lists no `capAdd` keeps
   * (capabilities.ts); every other capability is dropped. None under `strict`.
   */
  rootStartCapabilities?: readonly string[];
}

export const MANAGED_BY_LABEL = "dockerhost.managed-by";
const WRITABLE_TMP = "rw,noexec,nosuid,size=64m";

/** Plain and secret variables as Docker's KEY=value list; secret if any value is. */
export function containerEnvs(spec: ContainerSpec): pulumi.Output<string[]> {
  const plain = Object.entries(spec.env ?? {}).map(([k, v]) => pulumi.interpolate`${k}=${v}`);
  const secret = Object.entries(spec.secretEnv ?? {}).map(([k, v]) =>
    pulumi.secret(pulumi.interpolate`${k}=${v}`),
  );
  return pulumi.all([...plain, ...secret]);
}

export function containerPorts(
  ports: ContainerPortSpec[] | undefined,
): docker.types.input.ContainerPort[] {
  return (ports ?? []).map((p) => ({
    internal: p.internal,
    external: p.external ?? p.internal,
    protocol: p.protocol ?? "tcp",
    ...(p.hostIp ? { ip: p.hostIp } : {}),
  }));
}

/** What a container is attached to, as the component created it. */
export interface ContainerLinks {
  /** The networks it joins (docker.Network names) with its aliases there. */
  networks: docker.types.input.ContainerNetworksAdvanced[];
  /** The Docker name of a volume by its name in the spec (declared volumes are the component's). */
  volumeName: (name: string) => pulumi.Input<string>;
  /** Where a shipment of files is on the host (shipped-files.ts). */
  shippedPath: (files: ShippedFilesSpec) => string;
  /** Where the host writes this container's cloud secrets (cloud-secrets.ts). */
  cloudSecretsDir?: string;
}

export const NO_LINKS: ContainerLinks = {
  networks: [],
  volumeName: (name) => name,
  // Where shipped files are depends on the component: only DockerServices' links know it.
  shippedPath: (files) => {
    throw new Error(`shipped files ${files.name} need the links of the component that ships them`);
  },
};

export function containerVolumes(
  spec: ContainerSpec,
  defaults: ContainerDefaults,
  links: ContainerLinks = NO_LINKS,
): docker.types.input.ContainerVolume[] {
  const volumes = (spec.volumes ?? []).map((v) => {
    const hostPath = v.files ? links.shippedPath(v.files) : v.hostPath;
    return {
      containerPath: v.containerPath,
      ...(hostPath ? { hostPath } : { volumeName: links.volumeName(v.volumeName ?? "") }),
      readOnly: v.readOnly ?? false,
      ...(hostPath && defaults.selinuxRelabel ? { selinuxRelabel: v.shared ? "z" : "Z" } : {}),
    };
  });
  const secrets = (spec.cloudSecrets ?? []).map((s) => {
    if (!links.cloudSecretsDir)
      throw new Error(
        `cloud secrets of ${spec.name} need the links of the component that reads them`,
      );
    return {
      containerPath: `/run/secrets/${s.name}`,
      hostPath: `${links.cloudSecretsDir}/${s.name}`,
      readOnly: true,
      ...(defaults.selinuxRelabel ? { selinuxRelabel: "Z" } : {}),
    };
  });
  return [...volumes, ...secrets];
}

/** A healthcheck with Docker's defaults made explicit (a container's and a swarm task's). */
export function healthcheckArgs(hc: ContainerHealthcheckSpec) {
  return {
    tests: hc.test,
    interval: hc.interval ?? "30s",
    timeout: hc.timeout ?? "5s",
    retries: hc.retries ?? 3,
    startPeriod: hc.startPeriod ?? "10s",
  };
}

export function containerArgs(
  spec: ContainerSpec,
  imageId: pulumi.Input<string>,
  defaults: ContainerDefaults,
  links: ContainerLinks = NO_LINKS,
): docker.ContainerArgs {
  const readOnly = spec.readOnlyRootFs ?? defaults.readOnlyRootFs;
  // A one-off job is never restarted; the provider waits for its end (`attach`) and keeps its
  // log (`logs`), and does not ask it to run (`mustRun` false): terraform-provider-docker v4.5.0
  // resource_docker_container.go ("attach": "waits the end of its execution"; "exit_code": "must_run
  // must be disabled"), and its Read sets exit_code once the container is not running.
  const oneOff = spec.runsToCompletion === true;
  const restart = oneOff ? "no" : (spec.restart ?? DEFAULT_RESTART);
  const hc = spec.healthcheck;
  return {
    name: spec.containerName ?? spec.name,
    image: imageId,
    ...(spec.entrypoint ? { entrypoints: spec.entrypoint } : {}),
    ...(spec.command ? { command: spec.command } : {}),
    envs: containerEnvs(spec),
    ports: containerPorts(spec.ports),
    volumes: containerVolumes(spec, defaults, links),
    // The provider creates the container, leaves the default bridge and joins these.
    ...(links.networks.length ? { networksAdvanced: links.networks } : {}),
    restart,
    ...(restart === "on-failure" ? { maxRetryCount: 5 } : {}),
    ...(hc ? { healthcheck: healthcheckArgs(hc) } : {}),
    memory: spec.memoryMb ?? DEFAULT_MEMORY_MB,
    ...(spec.cpus ? { cpus: spec.cpus } : {}),
    ...(!spec.cpus && defaults.cpuShares ? { cpuShares: defaults.cpuShares } : {}),
    labels: [
      { label: MANAGED_BY_LABEL, value: "pulumi" },
      ...Object.entries(spec.labels ?? {}).map(([label, value]) => ({ label, value })),
    ],
    ...(spec.user ? { user: spec.user } : {}),
    readOnly,
    ...(readOnly || spec.tmpfs
      ? { tmpfs: { ...(readOnly ? { "/tmp": WRITABLE_TMP } : {}), ...spec.tmpfs } }
      : {}),
    ...processArgs(spec),
    capabilities: {
      drops: ["ALL"],
      adds:
        spec.capAdd ?? (startsAsRoot(spec.user) ? [...(defaults.rootStartCapabilities ?? [])] : []),
    },
    securityOpts: ["no-new-privileges:true"],
    ...(spec.sysctls ? { sysctls: { ...spec.sysctls } } : {}),
    ...(oneOff ? { attach: true, logs: true, mustRun: false } : { mustRun: true }),
  };
}

/** No `user` (the image's, root for most), or root by name or id: the process starts as root. */
function startsAsRoot(user: string | undefined): boolean {
  return user === undefined || /^(root|0)(:|$)/.test(user);
}

/** How its process runs: hostname, directory, terminal, init, stop, shm, hosts and limits. */
function processArgs(spec: ContainerSpec): Partial<docker.ContainerArgs> {
  return {
    ...(spec.hostname !== undefined ? { hostname: spec.hostname } : {}),
    ...(spec.workingDir !== undefined ? { workingDir: spec.workingDir } : {}),
    ...(spec.tty !== undefined ? { tty: spec.tty } : {}),
    ...(spec.stdinOpen !== undefined ? { stdinOpen: spec.stdinOpen } : {}),
    ...(spec.init !== undefined ? { init: spec.init } : {}),
    ...(spec.stopSignal !== undefined ? { stopSignal: spec.stopSignal } : {}),
    ...(spec.stopTimeoutSeconds !== undefined ? { stopTimeout: spec.stopTimeoutSeconds } : {}),
    ...(spec.shmSizeMb !== undefined ? { shmSize: spec.shmSizeMb } : {}),
    ...(spec.extraHosts
      ? { hosts: Object.entries(spec.extraHosts).map(([host, ip]) => ({ host, ip })) }
      : {}),
    ...(spec.ulimits
      ? {
          ulimits: Object.entries(spec.ulimits).map(([name, v]) => ({ name, ...v })),
        }
      : {}),
    ...(spec.dns ? { dns: spec.dns } : {}),
    // No driver given: none sent, so the engine takes daemon.json's (the provider's log_driver
    // is Optional and Computed) and merges its options into these.
    ...(spec.logging?.driver ? { logDriver: spec.logging.driver } : {}),
    ...(spec.logging?.options ? { logOpts: spec.logging.options } : {}),
  };
}
