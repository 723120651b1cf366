import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerArgs } from "./container-args";
import type { ContainerSpec, RegistryAuthSpec } from "./container-spec";
import {
  deployerSshFiles,
  knownHostsLine,
  pinnedSshOptions,
  writeIdentity,
  writeKnownHosts,
} from "./deployer-ssh";
import type { SshConnectionArgs } from "./ssh-connection";
import { containersProblems } from "./validate-containers";
import { DOCKER_SERVICES_SCHEMA } from "./args-schema";
import { checkShape, withoutShadowed } from "../bootstrap/shape";
import { DockerHostConfigError } from "../bootstrap/validate-host";

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
  /** The address endpoints are reported at; the connection's host when absent. */
  publicAddress?: pulumi.Input<string>;
}

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
          selinuxRelabel: shape.pruned.selinuxRelabel ?? false,
        }),
        shape.failedFields,
      ),
    ];
    if (problems.length) throw new DockerHostConfigError(problems);

    const conn = pulumi.output(connection);
    // Only the private key is secret; the address must stay readable in outputs and diffs.
    const host = pulumi.unsecret(conn.apply((c) => c.host));
    const port = pulumi.unsecret(conn.apply((c) => c.port ?? 22));
    const user = pulumi.unsecret(conn.apply((c) => c.user));
    this.dockerHost = pulumi.interpolate`ssh://${user}@${host}:${port}`;

    const files = deployerSshFiles(pulumi.getStack(), name);
    const sshOpts = conn.apply((c) => {
      writeKnownHosts(files.knownHosts, knownHostsLine(c.host, c.port ?? 22, c.hostPublicKey));
      if (c.privateKey) writeIdentity(files.identity, c.privateKey);
      return pinnedSshOptions(files, Boolean(c.privateKey));
    });
    const provider = new docker.Provider(
      `${name}-engine`,
      {
        host: pulumi.all([this.dockerHost, ready ?? ""]).apply(([address]) => address),
        sshOpts,
        registryAuth: (registries ?? []).map((r) => ({
          address: r.address,
          username: r.username,
          password: pulumi.secret(r.password),
        })),
      },
      { parent: this },
    );

    const defaults = { selinuxRelabel, readOnlyRootFs: args.readOnlyRootFsByDefault ?? false };
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const spec of containers) {
      const image = new docker.RemoteImage(
        `${name}-${spec.name}-image`,
        // Kept on the host when replaced: the old container may still be using it.
        { name: spec.image, keepLocally: true },
        { parent: this, provider },
      );
      const container = new docker.Container(
        `${name}-${spec.name}`,
        containerArgs(spec, image.imageId, defaults),
        // The name and host ports are unique: the old container must go before the new one starts.
        { parent: this, provider, deleteBeforeReplace: true },
      );
      ids[spec.name] = container.id;
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
