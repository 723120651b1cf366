import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { containerArgs, MANAGED_BY_LABEL } from "./container-args";
import type {
  ContainerSpec,
  NetworkSpec,
  RegistryAuthSpec,
  ShippedFilesSpec,
  VolumeSpec,
} from "./container-spec";
import { shipFiles } from "./ship-files";
import { shippedHostPath } from "./shipped-files";
import { appNetworks, containerNetworks, dockerObjectName, startOrder } from "./app-topology";
import { healthGateScript } from "./health-gate";
import { pinnedRemoteConnection } from "../host/readiness";
import { pinnedEngineProvider } from "./engine-provider";
import type { SshConnectionArgs } from "../host/ssh-connection";
import { containersProblems } from "./validate-containers";
import { STRICT_CPU_SHARES, pinProblems } from "./strict-containers";
import { jobExitLabels } from "./one-off-jobs";
import { ROOT_START_CAPABILITIES } from "./capabilities";
import { checkedAtDeploy } from "../core/deploy-time-error";
import { plainSecretEnvProblems, secretBuildArgProblems } from "../core/secret-names";
import { builtImage } from "./built-image";
import { DOCKER_SERVICES_SCHEMA } from "../host/args-schema";
import { checkShape, withoutShadowed } from "../core/shape";
import { DockerHostConfigError } from "../core/config-error";

export interface DockerServicesArgs {
  /** How to reach the host; its host key is pinned, never learned. */
  connection: pulumi.Input<SshConnectionArgs>;
  /** The host's readiness gate output; the engine is not contacted before it resolves. */
  ready?: pulumi.Input<string>;
  containers: ContainerSpec[];
  registries?: RegistryAuthSpec[];
  /** Relabel bind mounts for SELinux (`:Z` / `:z`). The cloud hosts set it from their OS. */
  selinuxRelabel?: boolean;
  /** Read-only root filesystems unless a container says otherwise (the `strict` profile). */
  readOnlyRootFsByDefault?: boolean;
  /**
   * The strict profile's container rules (CIS Docker Benchmark 4.1, 4.5, 4.6, 5.12, 5.14): an
   * explicit user, images pinned by digest, a healthcheck or an explicit opt-out, published ports
   * bound to an address, CPU shares where no CPU limit is set. The hosts set it under `strict`.
   */
  strictContainers?: boolean;
  /** The address endpoints are reported at; the connection's host when absent. */
  publicAddress?: pulumi.Input<string>;
  /**
   * Networks the containers may join, beyond the project network "default" (which every
   * container without `networks` of its own joins, and which is made when one does). Docker
   * names them `<this component's name>_<name>`.
   */
  networks?: NetworkSpec[];
  /** Named volumes, each a resource of its own: a container's replacement keeps its data. */
  volumes?: VolumeSpec[];
  /**
   * Delete the named volumes with this component. Default false: they are kept with their data
   * (dropped from the stack only); `docker volume rm <component>_<name>` removes one by hand.
   */
  removeVolumesOnDelete?: boolean;
  /**
   * The platform images are built for: the host's, not the deployer's (a build on an arm64
   * workstation for an x86_64 host would not run). Default "linux/amd64"; the hosts set it.
   */
  platform?: string;
}

export const DEFAULT_PLATFORM = "linux/amd64";

/** Service containers on any SSH-reachable Docker host, through @pulumi/docker over ssh://. */
export class DockerServices extends pulumi.ComponentResource {
  /** `ssh://user@host:port`, the engine address the provider uses. */
  public readonly dockerHost: pulumi.Output<string>;
  /** Per container, its published ports as "address:port" ("address:port/udp" for UDP). */
  public readonly endpoints: pulumi.Output<Record<string, string[]>>;
  /** Per container, the Docker container id. */
  public readonly containerIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: DockerServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dockerhost:index:DockerServices", name, {}, opts);
    const { connection, ready, containers, registries, publicAddress } = args;
    const selinuxRelabel = args.selinuxRelabel ?? false;
    const shape = checkShape(DOCKER_SERVICES_SCHEMA, args);
    const problems = [
      ...shape.problems,
      ...withoutShadowed(
        containersProblems({
          containers: shape.pruned.containers ?? [],
          registries: shape.pruned.registries,
          networks: shape.pruned.networks,
          volumes: shape.pruned.volumes,
          selinuxRelabel: shape.pruned.selinuxRelabel ?? false,
          strict: shape.pruned.strictContainers ?? false,
        }),
        shape.failedFields,
      ),
    ];
    // Secret-looking env in plain text, or as a build arg: refused under strict, a warning otherwise.
    const plainSecrets = (shape.pruned.containers ?? []).flatMap((c, i) => [
      ...plainSecretEnvProblems(
        c.env,
        `containers[${i}]`,
        (n) => `Move it to secretEnv (${n}: pulumi.secret(...) or config.requireSecret(...)).`,
      ),
      ...secretBuildArgProblems(c.build?.args, `containers[${i}].build`),
    ]);
    if (shape.pruned.strictContainers) problems.push(...plainSecrets);
    else for (const warning of plainSecrets) void pulumi.log.warn(warning, this);
    if (problems.length) throw new DockerHostConfigError(problems);

    const connOut = pulumi.output(connection);
    const engine = pinnedEngineProvider(name, connection, ready, registries, this);
    const { provider, host } = engine;
    this.dockerHost = engine.dockerHost;

    const labels = [{ label: MANAGED_BY_LABEL, value: "pulumi" }];
    // Each network's Docker name: the component's own, or an external one it only joins.
    const networks = new Map<string, { name: pulumi.Input<string> }>();
    for (const net of appNetworks(args.networks ?? [], containers)) {
      if (net.external !== undefined) {
        networks.set(net.name, { name: net.external });
        continue;
      }
      const network = new docker.Network(
        `${name}-network-${net.name}`,
        {
          name: dockerObjectName(name, net.name),
          driver: "bridge",
          internal: net.internal ?? false,
          labels,
        },
        { parent: this, provider },
      );
      networks.set(net.name, network);
    }
    const volumes = new Map<string, { name: pulumi.Input<string> }>();
    for (const vol of args.volumes ?? []) {
      if (vol.external !== undefined) {
        volumes.set(vol.name, { name: vol.external });
        continue;
      }
      const volume = new docker.Volume(
        `${name}-volume-${vol.name}`,
        { name: dockerObjectName(name, vol.name), driver: "local", labels },
        // Data outlives the stack's record of it unless the user asked otherwise.
        { parent: this, provider, retainOnDelete: !(args.removeVolumesOnDelete ?? false) },
      );
      volumes.set(vol.name, volume);
    }
    const strict = args.strictContainers ?? false;
    const defaults = {
      selinuxRelabel,
      readOnlyRootFs: args.readOnlyRootFsByDefault ?? false,
      ...(strict ? { cpuShares: STRICT_CPU_SHARES } : {}),
      rootStartCapabilities: strict ? [] : ROOT_START_CAPABILITIES,
    };
    const shipped = shipFiles(name, containers, connOut, ready, this);
    const ids: Record<string, pulumi.Output<string>> = {};
    const startedWhen = new Map<string, pulumi.Resource>();
    const created = new Map<string, docker.Container>();
    const platform = args.platform ?? DEFAULT_PLATFORM;
    for (const spec of startOrder(containers)) {
      const imageId = spec.build
        ? builtImage(name, spec, platform, provider, this)
        : new docker.RemoteImage(
            `${name}-${spec.name}-image`,
            // Kept on the host when replaced: the old container may still be using it.
            {
              // Preview checked the plain names; one known only at deploy is checked once known.
              name: strict
                ? checkedAtDeploy(
                    spec.image!,
                    (image) => pinProblems(image, containers.indexOf(spec)),
                    this,
                  )
                : spec.image!,
              keepLocally: true,
            },
            { parent: this, provider },
          ).imageId;
      const links = {
        networks: containerNetworks(spec).map((n) => ({
          name: networks.get(n.name)!.name,
          aliases: [spec.name, ...(n.aliases ?? [])],
        })),
        volumeName: (volume: string) => volumes.get(volume)?.name ?? volume,
        shippedPath: (files: ShippedFilesSpec) => shippedHostPath(name, files),
      };
      const args = containerArgs(spec, imageId, defaults, links);
      const container = new docker.Container(
        `${name}-${spec.name}`,
        {
          ...args,
          // After a one-off job it waits for, its start carries the job's exit code, checked: a
          // job that failed fails the deploy here (jobExitLabels), before this container starts.
          labels: [
            ...(args.labels as docker.types.input.ContainerLabel[]),
            ...jobExitLabels(spec, containers, created, this),
          ],
        },
        {
          parent: this,
          provider,
          // The name and host ports are unique: the old container must go before the new one starts.
          deleteBeforeReplace: true,
          // The provider neither replaces a container for a changed healthcheck or tmpfs nor
          // applies them in its update, which only calls ContainerUpdate for restart, memory and
          // CPU settings (terraform-provider-docker v4.5.0: resource_docker_container.go, no
          // ForceNew on "healthcheck" and "tmpfs"; resource_docker_container_funcs.go, the update's
          // attribute list): the change was recorded in state and the container ran on unchanged.
          // `init` is the same (Optional and Computed, not ForceNew: resource_docker_container.go).
          replaceOnChanges: ["healthcheck", "tmpfs", "init"],
          // A job's log may print what its environment holds.
          ...(spec.runsToCompletion ? { additionalSecretOutputs: ["containerLogs"] } : {}),
          dependsOn: [
            // The files it mounts are on the host before it starts.
            ...(spec.volumes ?? []).flatMap((v) => (v.files ? shipped.get(v.files.name)! : [])),
            ...(spec.dependsOn ?? []).flatMap((d) => startedWhen.get(d) ?? []),
            // Start order only: the provider starts a container in its create (its `start` input,
            // true by default: terraform-provider-docker v4.5.0 resource_docker_container_funcs.go).
            ...(spec.startAfter ?? []).flatMap((d) => created.get(d) ?? []),
            // A job's create ends when the job does (attach).
            ...(spec.afterCompleted ?? []).flatMap((d) => created.get(d) ?? []),
          ],
        },
      );
      ids[spec.name] = container.id;
      created.set(spec.name, container);
      startedWhen.set(
        spec.name,
        !spec.runsToCompletion && spec.healthcheck && spec.healthcheck.test[0] !== "NONE"
          ? healthGate(
              `${name}-${spec.name}-healthy`,
              spec.containerName ?? spec.name,
              connOut,
              container,
              this,
            )
          : container,
      );
    }
    this.containerIds = pulumi.output(ids);
    this.endpoints = pulumi
      .output(publicAddress ?? host)
      .apply((address) => serviceEndpoints(containers, address));
    this.registerOutputs({
      dockerHost: this.dockerHost,
      endpoints: this.endpoints,
      containerIds: this.containerIds,
    });
  }
}

/** "address:port" for each published port of each container. */
export function serviceEndpoints(
  containers: ContainerSpec[],
  address: string,
): Record<string, string[]> {
  return Object.fromEntries(
    containers.map((c) => [
      c.name,
      (c.ports ?? []).map((p) => {
        const suffix = p.protocol === "udp" ? "/udp" : "";
        return `${p.hostIp === "127.0.0.1" ? "127.0.0.1" : address}:${p.external ?? p.internal}${suffix}`;
      }),
    ]),
  );
}

/** Waits over SSH for a container's healthcheck to pass; fails with its last health log. */
function healthGate(
  resourceName: string,
  container: string,
  connection: pulumi.Output<pulumi.Unwrap<SshConnectionArgs>>,
  after: docker.Container,
  parent: pulumi.Resource,
): command.remote.Command {
  return new command.remote.Command(
    resourceName,
    {
      connection: pinnedRemoteConnection(connection),
      create: healthGateScript(container),
      // A new container is a new wait.
      triggers: [after.id],
    },
    { parent, dependsOn: [after] },
  );
}
