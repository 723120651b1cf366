import type { ContainerSpec } from "../core/container-spec";
import type {
  RollbackPolicySpec,
  SwarmNetworkSpec,
  SwarmPortSpec,
  SwarmServiceSpec,
} from "../core/swarm-service-spec";
import { composeApp, type ComposeOptions, type ComposeSource } from "./compose-services";
import { asMap, type Doc } from "./compose-values";
import { policy, swarmVolumes } from "./compose-swarm-parts";

// The same compose file onto a swarm: SwarmServices' services and networks, with the `deploy:`
// keys that SwarmServices has a form of (mode, replicas, placement.constraints, update_config,
// rollback_config, resources.limits, restart_policy; the Compose Specification's deploy.md).
// Everything else is read by the single-host reader first (composeApp), so a key means the same
// on both paths, and a problem is named by the compose key either way. Refused, with the reason:
// - `build` without `image`: docker stack deploy does not build (docker/cli
//   cli/compose/types/types.go UnsupportedProperties lists build); every node pulls the image;
// - files beside the compose file (relative binds): they are on the deployer, and a task runs on
//   any node;
// - a secret variable in `environment`: SwarmServices gives secrets as files
//   (/run/secrets/<name>), never in the environment; compose `secrets` become exactly those files;
// - keys SwarmServiceSpec has no field for yet (NO_SWARM_FORM), though stack deploy reads some.
// `depends_on` is dropped, as stack deploy leaves it unused; `container_name`, which stack deploy
// drops, becomes a network alias here, so that the file's services still reach it by that name.
// Where the file leaves an update field out, SwarmServices' default applies (start-first,
// rollback on failure), not Swarm's (stop-first, pause): docs/compose.md says so.

export interface ComposeSwarmApp {
  services: SwarmServiceSpec[];
  networks: SwarmNetworkSpec[];
}

/**
 * ContainerSpec fields SwarmServiceSpec has no form of (yet: Docker services have most of them),
 * by the compose key they came from.
 */
const NO_SWARM_FORM: [keyof ContainerSpec, string][] = [
  ["entrypoint", "entrypoint"],
  ["hostname", "hostname"],
  ["workingDir", "working_dir"],
  ["tty", "tty"],
  ["stdinOpen", "stdin_open"],
  ["init", "init"],
  ["stopSignal", "stop_signal"],
  ["stopTimeoutSeconds", "stop_grace_period"],
  ["shmSizeMb", "shm_size"],
  ["extraHosts", "extra_hosts"],
  ["ulimits", "ulimits"],
  ["tmpfs", "tmpfs"],
  ["logging", "logging"],
  ["dns", "dns"],
];

/** One compose service as a swarm service; `problem` names a key below services.<name>. */
function swarmService(
  c: ContainerSpec,
  svc: Doc,
  problem: (key: string, text: string) => void,
): SwarmServiceSpec {
  if (c.build && typeof svc.image !== "string")
    problem(
      "build",
      "docker stack deploy ignores build: every node of a swarm pulls the image. Build and push it, and give image.",
    );
  for (const [field, key] of NO_SWARM_FORM)
    if (c[field] !== undefined)
      problem(key, "SwarmServices has no field for it yet. Remove it for the swarm.");
  if (c.proxy) problem("x-dockerhost.proxy", "the edge is a single host's; a fleet has none.");
  if (c.runsToCompletion)
    problem("depends_on", "a one-off job (service_completed_successfully) has no swarm form here.");
  for (const key of Object.keys(c.secretEnv ?? {}))
    problem(
      `environment.${key}`,
      "holds a secret, and a swarm service gets secrets as files (/run/secrets/<name>), never in its environment. Give it as a compose secret (many images read <NAME>_FILE).",
    );
  if (c.restart === "no")
    problem("restart", 'a swarm restarts its tasks ("any"). Leave restart out.');
  const deploy = asMap(svc.deploy);
  const condition = asMap(deploy.restart_policy).condition;
  if (condition !== undefined && condition !== "any")
    problem(
      "deploy.restart_policy.condition",
      `${JSON.stringify(condition)}: SwarmServices restarts every stopped task ("any").`,
    );
  const rawPorts = Array.isArray(svc.ports) ? svc.ports : [];
  const ports: SwarmPortSpec[] = (c.ports ?? []).map((p, i) => {
    if (p.hostIp !== undefined)
      problem(
        `ports[${i}]`,
        `${p.hostIp}: a swarm publishes on every address of every node. Leave the address out, or use a firewall.`,
      );
    const raw = asMap(rawPorts[i]).mode;
    if (raw !== undefined && raw !== "host" && raw !== "ingress")
      problem(`ports[${i}].mode`, `${JSON.stringify(raw)} is not "host" or "ingress".`);
    const mode = raw === "host" ? "host" : "ingress";
    return {
      internal: p.internal,
      ...(p.external === undefined ? {} : { external: p.external }),
      ...(p.protocol === undefined ? {} : { protocol: p.protocol }),
      mode,
    };
  });
  const { volumes, secrets } = swarmVolumes(c.volumes, problem);
  // container_name is how the file's other services may name this one: an alias keeps it.
  const networks =
    c.containerName === undefined
      ? c.networks
      : (c.networks ?? [{ name: "default" }]).map((n) => ({
          ...n,
          aliases: [...(n.aliases ?? []), c.containerName!],
        }));
  const mode = deploy.mode === undefined ? "replicated" : String(deploy.mode);
  if (mode !== "replicated" && mode !== "global")
    problem("deploy.mode", `${JSON.stringify(mode)}: SwarmServices runs replicated or global.`);
  const placement = asMap(deploy.placement);
  const update = policy(
    deploy.update_config,
    "deploy.update_config",
    ["continue", "rollback", "pause"],
    problem,
  );
  const rollback = policy(
    deploy.rollback_config,
    "deploy.rollback_config",
    ["continue", "pause"],
    problem,
  );
  return {
    name: c.name,
    image: (typeof svc.image === "string" ? svc.image : c.image) ?? "",
    ...(c.command ? { command: c.command } : {}),
    ...(ports.length ? { ports } : {}),
    ...(c.env ? { env: c.env } : {}),
    ...(Object.keys(secrets).length ? { secretEnv: secrets } : {}),
    ...(volumes.length ? { volumes } : {}),
    ...(c.healthcheck ? { healthcheck: c.healthcheck } : {}),
    ...(c.memoryMb === undefined ? {} : { memoryMb: c.memoryMb }),
    ...(c.cpus === undefined ? {} : { cpus: c.cpus }),
    ...(c.labels ? { labels: c.labels } : {}),
    ...(c.user === undefined ? {} : { user: c.user }),
    ...(c.readOnlyRootFs === undefined ? {} : { readOnlyRootFs: c.readOnlyRootFs }),
    ...(c.capAdd ? { capAdd: c.capAdd } : {}),
    ...(networks ? { networks } : {}),
    ...(mode === "global"
      ? { global: true }
      : deploy.replicas === undefined
        ? {}
        : { replicas: Number(deploy.replicas) }),
    ...(Array.isArray(placement.constraints)
      ? { placement: placement.constraints.map(String) }
      : {}),
    ...(update ? { update } : {}),
    ...(rollback ? { rollback: rollback as RollbackPolicySpec } : {}),
  };
}

/**
 * A checked compose document as SwarmServices' services and networks, with every problem of the
 * mapping named by its compose key (the stack reads its `dockerhost:compose` on a fleet so).
 */
export function composeSwarmApp(
  doc: Doc,
  source: ComposeSource,
  options: ComposeOptions = {},
): { app: ComposeSwarmApp; problems: string[] } {
  const { file } = source;
  const { app, problems } = composeApp(doc, source, options);
  const services = asMap(doc.services);
  const swarm: SwarmServiceSpec[] = app.containers.map((c) =>
    swarmService(c, asMap(services[c.name]), (key, text) =>
      problems.push(`${file}: services.${c.name}.${key}: ${text}`),
    ),
  );
  const networks: SwarmNetworkSpec[] = app.networks.map((n) => {
    if (n.external !== undefined)
      problems.push(
        `${file}: networks.${n.name}.external: SwarmServices makes its own overlay networks.`,
      );
    return { name: n.name, ...(n.internal ? { internal: true } : {}) };
  });
  for (const v of app.volumes)
    if (v.external !== undefined)
      problems.push(
        `${file}: volumes.${v.name}.external: a swarm's named volumes are each node's own, made by the task that mounts them.`,
      );
  return { app: { services: swarm, networks }, problems };
}
