import { plainSecretEnvProblems } from "../core/secret-names";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { checkShape, withoutShadowed } from "../core/shape";
import { DockerHostConfigError } from "../core/config-error";
import { argsShape } from "../core/args-shape";
import { hostCommand } from "../remote/host-command";
import type { SshAccess } from "../remote/session-transport";
import type { SshConnectionArgs } from "../remote/ssh-connection";
import { dockerObjectName, PROJECT_NETWORK } from "../services/app-topology";
import { MANAGED_BY_LABEL } from "../services/container-args";
import type { RegistryAuthSpec } from "../core/container-spec";
import { pinnedEngineProvider } from "../services/engine-provider";
import { globalConvergedScript } from "./global-converge";
import { serviceArgs } from "./swarm-service-args";
import type { SwarmNetworkSpec, SwarmServiceSpec } from "../core/swarm-service-spec";
import { swarmServicesProblems } from "./validate-swarm-services";

export interface SwarmServicesArgs {
  /** A manager's connection: DockerSwarm's `managerConnection`. */
  connection: pulumi.Input<SshConnectionArgs>;
  /** How `connection` reaches the manager (its node's `sshAccess` in DockerSwarm). Default "direct". */
  sshAccess?: SshAccess;
  /** Resolves once the swarm is formed (DockerSwarm's `dockerHost`); nothing is asked before. */
  ready?: pulumi.Input<string>;
  services: SwarmServiceSpec[];
  /** Overlay networks beyond "default", the network every service without its own joins. */
  networks?: SwarmNetworkSpec[];
  registries?: RegistryAuthSpec[];
  /**
   * Encrypt the overlay networks' traffic between nodes (IPsec: ESP must pass among the
   * fleet's members). The `strict` fleet sets it.
   */
  encryptedNetworks?: boolean;
  /** Read-only root filesystems unless a service says otherwise (the `strict` profile). */
  readOnlyRootFsByDefault?: boolean;
  /**
   * The strict profile's rules, as DockerServices' `strictContainers` gives containers (CIS Docker
   * Benchmark 4.1, 4.5, 4.6): every service names its user, runs an image pinned by digest and
   * has a healthcheck; secret-looking env in plain text is refused. The `strict` fleet sets it.
   */
  strictServices?: boolean;
}

/**
 * Services on a swarm through @pulumi/docker over a manager's ssh://: replicated or global,
 * updated start-first and rolled back when the new tasks fail their healthcheck; secretEnv as
 * Docker secrets mounted as files. `pulumi up` waits until each service converged (a global
 * one by a step on the manager that prints its tasks' errors when it does not).
 */
export class SwarmServices extends pulumi.ComponentResource {
  /** `ssh://user@host:port` of the manager the provider talks to. */
  public readonly dockerHost: pulumi.Output<string>;
  /** Per service, its Docker service id. */
  public readonly serviceIds: pulumi.Output<Record<string, string>>;
  /**
   * Per service, its ports published through the routing mesh (mode ingress) as "address:port"
   * on the manager's address. A host-mode port answers only on the nodes its tasks run on, so it
   * has no one address and is not listed.
   */
  public readonly endpoints: pulumi.Output<Record<string, string[]>>;

  constructor(name: string, args: SwarmServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dockerhost:index:SwarmServices", name, {}, opts);
    const { problems, warnings } = checkSwarmServicesArgs(args);
    if (problems.length) throw new DockerHostConfigError(problems);
    for (const warning of warnings) void pulumi.log.warn(warning, this);

    const { services } = args;
    const engine = pinnedEngineProvider(name, args.connection, args.ready, args.registries, this);
    const { provider } = engine;
    this.dockerHost = engine.dockerHost;
    const labels = [{ label: MANAGED_BY_LABEL, value: "pulumi" }];

    const withDefaults = (s: SwarmServiceSpec): SwarmServiceSpec => ({
      ...s,
      readOnlyRootFs: s.readOnlyRootFs ?? args.readOnlyRootFsByDefault ?? false,
    });
    const joined = (s: SwarmServiceSpec) => s.networks ?? [{ name: PROJECT_NETWORK }];
    const used = new Set(services.flatMap((s) => joined(s).map((n) => n.name)));
    const declared = [{ name: PROJECT_NETWORK }, ...(args.networks ?? [])];
    const networks = new Map<string, docker.Network>();
    for (const net of declared.filter((n) => used.has(n.name))) {
      networks.set(
        net.name,
        new docker.Network(
          `${name}-network-${net.name}`,
          {
            name: dockerObjectName(name, net.name),
            driver: "overlay",
            internal: "internal" in net ? (net.internal ?? false) : false,
            // IPsec between nodes; the key rotates every 12 hours (Docker's overlay driver).
            ...(args.encryptedNetworks ? { options: { encrypted: "" } } : {}),
            labels,
          },
          { parent: this, provider },
        ),
      );
    }

    const ids: Record<string, pulumi.Output<string>> = {};
    for (const spec of services) {
      // Auto-named (a random suffix): a changed value is a new secret that the service moves to
      // in its rolling update; the old one is deleted once no task uses it.
      const secrets = Object.entries(spec.secretEnv ?? {}).map(([key, value]) => {
        const secret = new docker.Secret(
          `${name}-${spec.name}-${key.toLowerCase()}`,
          {
            data: pulumi.secret(
              pulumi.output(value).apply((v) => Buffer.from(v, "utf8").toString("base64")),
            ),
            labels,
          },
          { parent: this, provider },
        );
        return { key, secretId: secret.id, secretName: secret.name };
      });
      const service = new docker.Service(
        `${name}-${spec.name}`,
        serviceArgs(name, withDefaults(spec), {
          networks: joined(spec).map((n) => ({
            id: networks.get(n.name)!.id,
            aliases: [spec.name, ...(n.aliases ?? [])],
          })),
          secrets,
          volumeName: (volume) => dockerObjectName(name, volume),
        }),
        {
          parent: this,
          provider,
          // Swarm refuses a service's change between replicated and global ("service mode change
          // is not allowed": swarmkit's controlapi), which terraform-provider-docker plans as an
          // update, so such a change is a new service instead. It carries the same name, so the
          // old one goes first: a replacement forced here, not by the provider, would otherwise
          // be made before the old one is deleted (the bridge asks for delete-first only on the
          // replacements its own diff reports: pulumi-terraform-bridge provider.go, Diff).
          replaceOnChanges: ["mode.global"],
          deleteBeforeReplace: true,
        },
      );
      if (spec.global) {
        // Run again whenever the service changes: each change is a rolling update to wait for.
        hostCommand(
          `${name}-${spec.name}-converged`,
          {
            connection: pulumi.output(args.connection),
            access: args.sshAccess ?? "direct",
            create: service.name.apply((n) => globalConvergedScript(n)),
            logging: "stderr",
            triggers: [service.id, service.taskSpec, service.updateConfig],
          },
          { parent: this, dependsOn: [service] },
        );
      }
      ids[spec.name] = service.id;
    }
    this.serviceIds = pulumi.output(ids);
    this.endpoints = engine.host.apply((address) =>
      Object.fromEntries(
        services.map((s) => [
          s.name,
          (s.ports ?? [])
            .filter((p) => p.mode === "ingress")
            .map(
              (p) => `${address}:${p.external ?? p.internal}${p.protocol === "udp" ? "/udp" : ""}`,
            ),
        ]),
      ),
    );
    this.registerOutputs({
      dockerHost: this.dockerHost,
      serviceIds: this.serviceIds,
      endpoints: this.endpoints,
    });
  }
}

/** The args' shape, then the services' own checks on what passed it: every problem at once. */
export function checkSwarmServicesArgs(args: SwarmServicesArgs) {
  const shape = checkShape(argsShape("SwarmServices"), args);
  const problems = [
    ...shape.problems,
    ...withoutShadowed(
      swarmServicesProblems({
        services: shape.pruned.services ?? [],
        networks: shape.pruned.networks,
        strict: shape.pruned.strictServices ?? false,
      }),
      shape.failedFields,
    ),
  ];
  // Secret-looking env in plain text: refused under strict, a warning otherwise.
  const plainSecrets = (shape.pruned.services ?? []).flatMap((s, i) =>
    plainSecretEnvProblems(
      s.env,
      `services[${i}]`,
      (n) => `Move it to secretEnv (a Docker secret, read by the service at /run/secrets/${n}).`,
    ),
  );
  if (shape.pruned.strictServices) problems.push(...plainSecrets);
  return { shape, problems, warnings: shape.pruned.strictServices ? [] : plainSecrets };
}
