import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { hostCommand, type HostCommand } from "../remote/host-command";
import type { SshAccess } from "../remote/session-transport";
import { containerArgs, type ContainerDefaults } from "./container-args";
import type { ContainerSpec, ShippedFilesSpec } from "../core/container-spec";
import { shippedHostPath } from "./shipped-files";
import { containerNetworks } from "./app-topology";
import { healthGateScript } from "./health-gate";
import type { SshConnectionArgs } from "../remote/ssh-connection";
import { pinProblems } from "./strict-containers";
import { jobExitLabels } from "./one-off-jobs";
import { checkedAtDeploy } from "../core/deploy-time-error";
import { builtImage } from "./built-image";
import { hostPull } from "./host-pull";
import { cloudSecretsDir } from "./cloud-secrets";
import { cloudSecretsStep } from "./cloud-secrets-step";

// One container of a DockerServices and what it waits on: its image (pulled or built), the
// container, and for a healthchecked one the gate its dependents wait for.

export interface ContainerContext {
  component: string;
  parent: pulumi.Resource;
  provider: docker.Provider;
  connection: pulumi.Output<pulumi.Unwrap<SshConnectionArgs>>;
  /** How the connection reaches the host (DockerServicesArgs.sshAccess). */
  access: SshAccess;
  /** The host's gate: steps over SSH run once it passed. */
  ready: pulumi.Input<string>;
  platform: string;
  strict: boolean;
  defaults: ContainerDefaults;
  /** The user's containers, as written: problems name them by their index there. */
  declared: ContainerSpec[];
  networks: Map<string, { name: pulumi.Input<string> }>;
  volumes: Map<string, { name: pulumi.Input<string> }>;
  shipped: Map<string, HostCommand>;
  /** Each container made so far, and what its dependents wait for (its gate, or itself). */
  created: Map<string, docker.Container>;
  startedWhen: Map<string, pulumi.Resource>;
}

/** Seconds a replaced proxied container gets to finish its requests after the edge switched. */
export const PROXIED_DRAIN_SECONDS = 10;

export function serviceContainer(
  ctx: ContainerContext,
  spec: ContainerSpec,
  after: pulumi.Resource[] = [],
): docker.Container {
  const { component: name, parent, provider } = ctx;
  const index = ctx.declared.findIndex((c) => c.name === spec.name);
  const pulled = !spec.build && spec.pullOnHost ? hostPull(ctx, spec) : undefined;
  const imageId = spec.build
    ? builtImage(name, spec, ctx.platform, provider, parent)
    : new docker.RemoteImage(
        `${name}-${spec.name}-image`,
        // Kept on the host when replaced: the old container may still be using it.
        {
          // Preview checked the plain names; one known only at deploy is checked once known.
          // (The edge is no declared container, index -1: its image is the host's edge.image.)
          name: ctx.strict
            ? checkedAtDeploy(spec.image!, (image) => pinProblems(image, index), parent)
            : spec.image!,
          keepLocally: true,
        },
        { parent, provider, ...(pulled ? { dependsOn: [pulled] } : {}) },
      ).imageId;
  const links = {
    networks: containerNetworks(spec).map((n) => ({
      name: ctx.networks.get(n.name)!.name,
      aliases: [spec.name, ...(n.aliases ?? [])],
    })),
    volumeName: (volume: string) => ctx.volumes.get(volume)?.name ?? volume,
    shippedPath: (files: ShippedFilesSpec) => shippedHostPath(name, files),
    cloudSecretsDir: cloudSecretsDir(name, spec.name),
  };
  const secrets = spec.cloudSecrets?.length ? cloudSecretsStep(ctx, spec) : undefined;
  const args = containerArgs(spec, imageId, ctx.defaults, links);
  const proxied = spec.proxy !== undefined;
  const container = new docker.Container(
    `${name}-${spec.name}`,
    {
      ...args,
      // A proxied container is named by the engine (pulumi-docker autonames `name`: provider/
      // resources.go SetAutonaming), and a replacement gets a new name: the engine checks the
      // new inputs again without the old ones when it replaces (pulumi v3.248.0
      // pkg/resource/deploy/step_generator.go: "we need to recompute the default values"), so
      // the old and the new container can run side by side. (A project whose autonaming has no
      // random part would make the engine replace it delete-first: step_generator.go.)
      ...(proxied ? { name: undefined, destroyGraceSeconds: PROXIED_DRAIN_SECONDS } : {}),
      // After a one-off job it waits for, its start carries the job's exit code, checked: a
      // job that failed fails the deploy here (jobExitLabels), before this container starts.
      labels: [
        ...(args.labels as docker.types.input.ContainerLabel[]),
        ...jobExitLabels(spec, ctx.declared, ctx.created, parent),
      ],
    },
    {
      parent,
      provider,
      // The name and host ports are unique: the old container must go before the new one
      // starts. pulumi-docker asks for that of every container (provider/resources.go,
      // docker_container: DeleteBeforeReplace true). A proxied container has neither, so it is
      // replaced create-first: the option set to false overrides the provider (step_generator.go,
      // "The user can override the provider's decision by setting the `deleteBeforeReplace`
      // field"); the engine then updates its dependents (the edge's routes) and deletes the old
      // container last, stopped with PROXIED_DRAIN_SECONDS to finish what it serves
      // (terraform-provider-docker v4.5.0 resourceDockerContainerDelete: ContainerStop with
      // destroy_grace_seconds, else a timeout of 0).
      deleteBeforeReplace: !proxied,
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
        ...(spec.volumes ?? []).flatMap((v) => (v.files ? ctx.shipped.get(v.files.name)! : [])),
        ...(secrets ? [secrets] : []),
        ...(spec.dependsOn ?? []).flatMap((d) => ctx.startedWhen.get(d) ?? []),
        // Start order only: the provider starts a container in its create (its `start` input,
        // true by default: terraform-provider-docker v4.5.0 resource_docker_container_funcs.go).
        ...(spec.startAfter ?? []).flatMap((d) => ctx.created.get(d) ?? []),
        // A job's create ends when the job does (attach).
        ...(spec.afterCompleted ?? []).flatMap((d) => ctx.created.get(d) ?? []),
        ...after,
      ],
    },
  );
  ctx.created.set(spec.name, container);
  ctx.startedWhen.set(
    spec.name,
    !spec.runsToCompletion && spec.healthcheck && spec.healthcheck.test[0] !== "NONE"
      ? healthGate(
          `${name}-${spec.name}-healthy`,
          proxied ? container.name : (spec.containerName ?? spec.name),
          ctx.connection,
          ctx.access,
          container,
          parent,
        )
      : container,
  );
  return container;
}

/** Waits over SSH for a container's healthcheck to pass; fails with its last health log. */
function healthGate(
  resourceName: string,
  container: pulumi.Input<string>,
  connection: pulumi.Output<pulumi.Unwrap<SshConnectionArgs>>,
  access: SshAccess,
  after: docker.Container,
  parent: pulumi.Resource,
): HostCommand {
  return hostCommand(
    resourceName,
    {
      connection,
      access,
      create: pulumi.output(container).apply((c) => healthGateScript(c)),
      // A new container is a new wait.
      triggers: [after.id],
    },
    { parent, dependsOn: [after] },
  );
}
