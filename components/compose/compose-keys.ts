// The Compose Specification keys dockerhost reads, and what each becomes. A key not here is
// refused by name (never silently dropped); `x-` extension keys are ignored, as compose does,
// except the service's own `x-dockerhost` (service-proxy.ts reads it and refuses what it does not know).
// `<...>` stands for a name the file chooses; `[]` for each item of a list in its long form.
// The "Compose keys" table of docs/compose.md is rendered from this list (a test keeps the two equal).

import { SWARM_KEYS } from "./compose-swarm-keys";

export interface ComposeKey {
  key: string;
  becomes: string;
  /** Read only onto a swarm (composeSwarmServices); on one host it is refused like any unknown key. */
  swarmOnly?: true;
}

export const COMPOSE_KEYS: readonly ComposeKey[] = [
  { key: "version", becomes: "ignored (obsolete in the Compose Specification)" },
  { key: "name", becomes: "ignored: the component's name is the project's" },
  { key: "services.<service>", becomes: "a container named `<service>`" },
  {
    key: "services.<service>.image",
    becomes:
      "`image`; with `build`, built instead (Compose pulls it first unless `pull_policy: build`), tagged by its context's digest: a service that runs the build by that name is refused",
  },
  {
    key: "services.<service>.container_name",
    becomes: "`containerName` (others still reach it by the service's name)",
  },
  { key: "services.<service>.build", becomes: "`build.context` when a string" },
  {
    key: "services.<service>.build.context",
    becomes: "`build.context`, from the file's directory",
  },
  { key: "services.<service>.build.dockerfile", becomes: "`build.dockerfile`" },
  { key: "services.<service>.build.args", becomes: "`build.args` (map or `KEY=value` list)" },
  { key: "services.<service>.build.target", becomes: "`build.target`" },
  {
    key: "services.<service>.build.cache_from",
    becomes: "ignored: a cache source only speeds a build up (the host's own cache is used)",
  },
  { key: "services.<service>.command", becomes: "`command` (a string is split as a shell would)" },
  {
    key: "services.<service>.entrypoint",
    becomes: "`entrypoint` (a string is split as a shell would); the image's CMD is then not used",
  },
  {
    key: "services.<service>.environment",
    becomes:
      "`env`; a value holding a secret variable of the `.env` goes to `secretEnv`; a name without a value takes `secretEnv`'s, an env file's or the `.env`'s, and is unset when none has it (as Compose; never the deployer's shell)",
  },
  {
    key: "services.<service>.env_file",
    becomes:
      "`env` and `secretEnv`: each file beside the compose file, read as Compose reads a `.env` (a name that says secret, or one in `secretVariables`, becomes a secret); `environment` wins",
  },
  { key: "services.<service>.env_file[].path", becomes: "the file" },
  {
    key: "services.<service>.env_file[].required",
    becomes: "`false`: a missing file is skipped",
  },
  { key: "services.<service>.ports", becomes: '`ports`: `"[ip:]host:container[/udp]"`' },
  { key: "services.<service>.ports[].target", becomes: "`internal`" },
  { key: "services.<service>.ports[].published", becomes: "`external`" },
  { key: "services.<service>.ports[].host_ip", becomes: "`hostIp`" },
  { key: "services.<service>.ports[].protocol", becomes: "`protocol`" },
  { key: "services.<service>.expose", becomes: "accepted, no effect (networks join containers)" },
  {
    key: "services.<service>.volumes",
    becomes:
      '`volumes`: `"<volume>:/path[:ro]"`, `"/host/path:/path[:ro,z]"`; `"./file-or-dir:/path"` beside the compose file: shipped to the host (`files`, by content; a change replaces only the containers that mount it); `"./data:/path"` absent or empty: a volume `dir-<path>` of its own; `"~/data:/path"` (a home directory on the deployer): a volume `home-<path>`; `"/path"` alone: a volume `<service>-anon-<path>`; a mount of what the Dockerfile COPYs from the service\'s own build context: refused (live reload)',
  },

  { key: "services.<service>.volumes[].type", becomes: "`volume` or `bind`" },
  { key: "services.<service>.volumes[].source", becomes: "`volumeName` or `hostPath`" },
  { key: "services.<service>.volumes[].target", becomes: "`containerPath`" },
  { key: "services.<service>.volumes[].read_only", becomes: "`readOnly`" },
  { key: "services.<service>.volumes[].bind.selinux", becomes: "`shared` when `z`" },
  { key: "services.<service>.networks", becomes: "`networks` (list, or map with aliases)" },
  { key: "services.<service>.networks.<network>.aliases", becomes: "`networks[].aliases`" },
  {
    key: "services.<service>.depends_on",
    becomes: "`startAfter` (start order), as Compose's short form and `service_started`",
  },
  {
    key: "services.<service>.depends_on.<service>.condition",
    becomes:
      "`service_healthy`: `dependsOn` (waits until healthy); `service_started`: `startAfter`; `service_completed_successfully`: `afterCompleted` (waits until the other exited 0), and the other `runsToCompletion` (a one-off job, run once; a restart policy refused)",
  },
  {
    key: "services.<service>.depends_on.<service>.required",
    becomes: "`false`: a service the app does not run (another profile's) is no dependency",
  },
  {
    key: "services.<service>.healthcheck.test",
    becomes: "`healthcheck.test` (a string: CMD-SHELL)",
  },
  { key: "services.<service>.healthcheck.interval", becomes: "`healthcheck.interval`" },
  { key: "services.<service>.healthcheck.timeout", becomes: "`healthcheck.timeout`" },
  { key: "services.<service>.healthcheck.retries", becomes: "`healthcheck.retries`" },
  { key: "services.<service>.healthcheck.start_period", becomes: "`healthcheck.startPeriod`" },
  { key: "services.<service>.healthcheck.disable", becomes: '`healthcheck.test: ["NONE"]`' },
  {
    key: "services.<service>.x-dockerhost.proxy.host",
    becomes:
      "`proxy.host`: the host's HTTPS edge serves the service at this name (an extension key: Docker Compose ignores it)",
  },
  { key: "services.<service>.x-dockerhost.proxy.pathPrefix", becomes: "`proxy.pathPrefix`" },
  {
    key: "services.<service>.x-dockerhost.proxy.port",
    becomes: "`proxy.port`: the port the service listens on (default 80)",
  },
  { key: "services.<service>.restart", becomes: "`restart` (no `on-failure:N`)" },
  {
    key: "services.<service>.deploy.restart_policy.condition",
    becomes: "`restart`: none is `no`, on-failure is `on-failure`, any is `always`",
  },
  { key: "services.<service>.mem_limit", becomes: '`memoryMb` (e.g. `"256m"`)' },
  { key: "services.<service>.deploy.resources.limits.memory", becomes: "`memoryMb`" },
  { key: "services.<service>.cpus", becomes: "`cpus`" },
  { key: "services.<service>.deploy.resources.limits.cpus", becomes: "`cpus`" },
  { key: "services.<service>.labels", becomes: "`labels`" },
  { key: "services.<service>.user", becomes: "`user`" },
  { key: "services.<service>.read_only", becomes: "`readOnlyRootFs`" },
  {
    key: "services.<service>.cap_add",
    becomes:
      "`capAdd`: what the container keeps (without it: the root-start set, none under strict)",
  },
  {
    key: "services.<service>.cap_drop",
    becomes: "only `ALL`: the container keeps only `cap_add` (none without it)",
  },
  {
    key: "services.<service>.profiles",
    becomes: "deployed only when `composeServices(file, { profiles })` lists one of them",
  },
  {
    key: "services.<service>.links",
    becomes: "`startAfter` (start order; services reach each other by name on their networks)",
  },
  {
    key: "services.<service>.pull_policy",
    becomes: "`missing` (what dockerhost does: a missing image is pulled once); others refused",
  },
  {
    key: "services.<service>.security_opt",
    becomes: "only `no-new-privileges:true`, which every container has; others refused",
  },
  { key: "services.<service>.hostname", becomes: "`hostname`" },
  { key: "services.<service>.working_dir", becomes: "`workingDir`" },
  { key: "services.<service>.tty", becomes: "`tty`" },
  { key: "services.<service>.stdin_open", becomes: "`stdinOpen`" },
  { key: "services.<service>.init", becomes: "`init`" },
  { key: "services.<service>.stop_signal", becomes: "`stopSignal`" },
  {
    key: "services.<service>.stop_grace_period",
    becomes: "`stopTimeoutSeconds` (the duration in whole seconds, rounded up)",
  },
  { key: "services.<service>.shm_size", becomes: "`shmSizeMb`" },
  { key: "services.<service>.extra_hosts", becomes: "`extraHosts` (list or map)" },
  { key: "services.<service>.dns", becomes: "`dns` (addresses, one or a list)" },
  {
    key: "services.<service>.ulimits",
    becomes: "`ulimits` (a number for both, or `soft` and `hard`)",
  },
  { key: "services.<service>.ulimits.<limit>.soft", becomes: "`ulimits.<limit>.soft`" },
  { key: "services.<service>.ulimits.<limit>.hard", becomes: "`ulimits.<limit>.hard`" },
  { key: "services.<service>.tmpfs", becomes: "`tmpfs` (`/path[:options]`)" },
  {
    key: "services.<service>.logging.driver",
    becomes:
      "`logging.driver` (the engine's own drivers; default the host's: json-file, journald under strict)",
  },
  {
    key: "services.<service>.logging.options",
    becomes: "`logging.options`; for the host's own driver, the host's options fill in the rest",
  },
  {
    key: "services.<service>.secrets",
    becomes:
      "a read-only file at `/run/secrets/<name>`, shipped to the host as a Pulumi secret (`files` with `secret`)",
  },
  { key: "services.<service>.secrets[].source", becomes: "the secret" },
  {
    key: "services.<service>.secrets[].target",
    becomes: "its file name under `/run/secrets/`, or an absolute path",
  },
  {
    key: "services.<service>.secrets[].uid",
    becomes: "refused, as `gid` and `mode`: on one host a secret is a read-only file (0444)",
  },
  { key: "services.<service>.secrets[].gid", becomes: "refused (above)" },
  { key: "services.<service>.secrets[].mode", becomes: "refused (above)" },
  { key: "secrets.<secret>", becomes: "a secret the services may mount" },
  {
    key: "secrets.<secret>.file",
    becomes: "its content: a file beside the compose file, read at deploy",
  },
  {
    key: "secrets.<secret>.environment",
    becomes: "its content: a variable of the `.env` beside the compose file",
  },
  { key: "networks.<network>", becomes: "`networks[]` (named `<component>_<network>`)" },
  { key: "networks.<network>.internal", becomes: "`internal`" },
  { key: "networks.<network>.driver", becomes: "only `bridge`" },
  { key: "volumes.<volume>", becomes: "`volumes[]` (named `<component>_<volume>`)" },
  { key: "volumes.<volume>.driver", becomes: "only `local`" },
  {
    key: "volumes.<volume>.external",
    becomes: "`external`: an existing volume, mounted and never created or deleted",
  },
  { key: "volumes.<volume>.name", becomes: "the external volume's Docker name" },
  {
    key: "networks.<network>.external",
    becomes: "`external`: an existing network, joined and never created or deleted",
  },
  { key: "networks.<network>.name", becomes: "the external network's Docker name" },
  ...SWARM_KEYS,
];

/** The table of the keys above in docs/compose.md. */
export function composeKeysTable(): string {
  return [
    "| Compose key | In dockerhost |",
    "| --- | --- |",
    ...COMPOSE_KEYS.map((k) => `| \`${k.key}\` | ${k.becomes} |`),
  ].join("\n");
}

const PATTERNS = COMPOSE_KEYS.filter((k) => !k.swarmOnly).map((k) => k.key.split("."));
const SWARM_PATTERNS = COMPOSE_KEYS.map((k) => k.key.split("."));

/** The keys a pattern path may hold: names ("<...>"), known keys, or anything (a leaf). */
function childrenOf(
  parent: string[],
  patterns: string[][],
): { name?: string; keys: Set<string>; leaf: boolean } {
  const below = patterns
    .filter((p) => p.length > parent.length && parent.every((seg, i) => p[i] === seg))
    .map((p) => p[parent.length]);
  const name = below.find((seg) => seg.startsWith("<"));
  return { name, keys: new Set(below), leaf: below.length === 0 };
}

/** The dotted path a user reads: services.web.ports[0].host_ip. */
function shown(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("");
}

/** Every key of a compose document that is not in COMPOSE_KEYS, as its path. */
export function unsupportedComposeKeys(doc: unknown, swarm = false): string[] {
  const patterns = swarm ? SWARM_PATTERNS : PATTERNS;
  const found: string[] = [];
  const walk = (value: unknown, pattern: string[], at: (string | number)[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === "object" && item !== null)
          walk(item, [...pattern.slice(0, -1), `${pattern.at(-1)}[]`], [...at, i]);
      });
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const { name, keys, leaf } = childrenOf(pattern, patterns);
    if (leaf && pattern.length) return;
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith("x-")) continue;
      if (name) walk(child, [...pattern, name], [...at, key]);
      else if (keys.has(key) || keys.has(`${key}[]`)) walk(child, [...pattern, key], [...at, key]);
      else found.push(shown([...at, key]));
    }
  };
  walk(doc, [], []);
  return found;
}
