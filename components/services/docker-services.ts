import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { MANAGED_BY_LABEL } from "./container-args";
import type {
  ContainerSpec,
  NetworkSpec,
  RegistryAuthSpec,
  VolumeSpec,
} from "../core/container-spec";
import type { EdgeSpec } from "../core/edge-spec";
import { shipFiles } from "./ship-files";
import { appNetworks, dockerObjectName, startOrder } from "./app-topology";
import { pinnedEngineProvider } from "./engine-provider";
import type { SshConnectionArgs } from "../remote/ssh-connection";
import type { SshAccess } from "../remote/session-transport";
import { containersProblems } from "./validate-containers";
import { edgeProblems } from "./validate-edge";
import { STRICT_CPU_SHARES } from "./strict-containers";
import { ROOT_START_CAPABILITIES } from "./capabilities";
import { plainSecretEnvProblems, secretBuildArgProblems } from "../core/secret-names";
import { argsShape } from "../core/args-shape";
import { checkShape, withoutShadowed } from "../core/shape";
import { DockerHostConfigError } from "../core/config-error";
import { hostedApp } from "./edge-app";
import { edgeResources } from "./edge";
import { serviceContainer, type ContainerContext } from "./service-container";

export interface DockerServicesArgs {
  /** How to reach the host; its host key is pinned, never learned. */
  connection: pulumi.Input<SshConnectionArgs>;
  /**
   * "session" when the connection carries a proxyCommand (a host with sshAccess: "session"):
   * the steps over SSH then run the system ssh through it. Default "direct".
   */
  sshAccess?: SshAccess;
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
  /**
   * The edge, for containers with `proxy`: ACME settings, certificates of your own, and who may
   * reach ports 80 and 443 (docs/edge.md). It runs only when a container is proxied.
   */
  edge?: EdgeSpec;
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
    const shape = checkShape(argsShape("DockerServices"), args);
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
      ...withoutShadowed(
        edgeProblems({
          containers: shape.pruned.containers ?? [],
          networks: shape.pruned.networks,
          volumes: shape.pruned.volumes,
          edge: shape.pruned.edge,
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
    // The containers as the host runs them: with the edge, when any is proxied.
    const app = hostedApp(
      name,
      { containers, networks: args.networks, volumes: args.volumes },
      args.edge,
    );
    const engine = pinnedEngineProvider(name, connection, ready, registries, this);
    const { provider, host } = engine;
    this.dockerHost = engine.dockerHost;

    const labels = [{ label: MANAGED_BY_LABEL, value: "pulumi" }];
    // Each network's Docker name: the component's own, or an external one it only joins.
    const networks = new Map<string, { name: pulumi.Input<string> }>();
    for (const net of appNetworks(app.networks, [
      ...app.containers,
      ...(app.edge ? [app.edge] : []),
    ])) {
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
    for (const vol of app.volumes) {
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
    const access = args.sshAccess ?? "direct";
    const shipped = shipFiles(name, containers, connOut, ready, access, this);
    const ctx: ContainerContext = {
      component: name,
      parent: this,
      provider,
      connection: connOut,
      access,
      ready: ready ?? "",
      platform: args.platform ?? DEFAULT_PLATFORM,
      strict,
      defaults,
      declared: containers,
      networks,
      volumes,
      shipped,
      created: new Map(),
      startedWhen: new Map(),
    };
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const spec of startOrder(app.containers)) ids[spec.name] = serviceContainer(ctx, spec).id;
    if (app.edge) {
      const proxied = app.containers.filter((c) => c.proxy);
      ids[app.edge.name] = edgeResources(ctx, ready, proxied, app.edge, args.edge).container.id;
    }
    this.containerIds = pulumi.output(ids);
    this.endpoints = pulumi
      .output(publicAddress ?? host)
      .apply((address) =>
        serviceEndpoints([...app.containers, ...(app.edge ? [app.edge] : [])], address),
      );
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
