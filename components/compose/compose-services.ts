import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type {
  ContainerSpec,
  ContainerVolumeSpec,
  NetworkSpec,
  VolumeSpec,
} from "../core/container-spec";
import { declaredSecrets, serviceSecrets } from "./service-secrets";
import { builtImageNameProblems } from "./built-image-names";
import { asMap, keyValues, type Doc } from "./compose-values";
import { ServiceReader } from "./service-reader";
import { readProcess } from "./service-process";
import { checkPullPolicy, checkSecurityOpt } from "./service-policies";
import { readComposeFile, type ComposeRead, type ComposeTarget } from "./compose-file";
import { SECRET_LOOKING_NAME } from "../core/secret-names";
import type { Variables } from "./interpolate";
import { readProxy } from "./service-proxy";

// A compose file (already checked by compose-file.ts) as DockerServices' own specs: containers,
// networks and volumes. Everything it cannot say the same way is a problem naming its key.

export interface ComposeOptions {
  /**
   * The values of variables the file lists without one (`environment: [DB_PASSWORD]`), per
   * service: Pulumi secrets, so they stay encrypted in state. A compose file holds no secret.
   */
  secretEnv?: Record<string, Record<string, pulumi.Input<string>>>;
  /**
   * Variables of the `.env` and the `env_file` files that hold secrets, beside those whose names
   * say so (*PASSWORD*, *TOKEN*, *SECRET*, *_KEY): what they go into becomes a Pulumi secret.
   */
  secretVariables?: string[];
  /** Compose profiles to run: a service with `profiles` is deployed only when one is listed. */
  profiles?: string[];
}

/** What DockerServices (or a DockerHost) takes: `{ ...composeServices("compose.yaml") }`. */
export interface ComposeApp {
  containers: ContainerSpec[];
  networks: NetworkSpec[];
  volumes: VolumeSpec[];
}

export interface ComposeSource {
  /** How the file is named in problems: the path as the user gave it. */
  file: string;
  /** The file's directory: build contexts and env files are relative to it. */
  dir: string;
  /** The program's directory: build contexts are handed on relative to it. */
  cwd: string;
  /** The `.env` beside the file (compose-file.ts): what env files may interpolate. */
  vars?: Variables;
  /** Each value's path mapped to the variables interpolated into it (compose-file.ts). */
  used?: ReadonlyMap<string, string[]>;
}

/**
 * A compose file read from the program's directory, with the `.env` beside it, and where it
 * lives: what every reader of a file (composeServices, composeSwarmServices, the stack) starts
 * from.
 */
export function readComposeProject(
  file: string,
  target: ComposeTarget = {},
): { read: ComposeRead; source: ComposeSource } {
  const cwd = process.cwd();
  const full = path.resolve(cwd, file);
  const read = readComposeFile(full, file, target);
  return { read, source: { file, dir: path.dirname(full), cwd, vars: read.vars, used: read.used } };
}

/** A checked compose document as specs, with every problem named by its compose key. */
export function composeApp(
  checked: Doc,
  source: ComposeSource,
  options: ComposeOptions = {},
): { app: ComposeApp; problems: string[] } {
  const { file } = source;
  const problems: string[] = [];
  const doc = asMap(checked);
  const isSecretVariable = (name: string) =>
    SECRET_LOOKING_NAME.test(name) || (options.secretVariables ?? []).includes(name);
  const secretsAt = new Map<string, string[]>();
  for (const [at, names] of source.used ?? []) {
    const secret = names.filter(isSecretVariable);
    if (secret.length) secretsAt.set(at, secret);
  }
  const volumes: VolumeSpec[] = [];
  for (const [name, opts] of Object.entries(asMap(doc.volumes))) {
    const driver = asMap(opts).driver;
    if (driver !== undefined && driver !== "local")
      problems.push(
        `${file}: volumes.${name}.driver: ${JSON.stringify(driver)} is not supported. Use "local" (or leave it out).`,
      );
    volumes.push({ name, ...external(asMap(opts), `volumes.${name}`, name, file, problems) });
  }
  const networks: NetworkSpec[] = [];
  for (const [name, opts] of Object.entries(asMap(doc.networks))) {
    const { driver, internal } = asMap(opts);
    if (driver !== undefined && driver !== "bridge")
      problems.push(
        `${file}: networks.${name}.driver: ${JSON.stringify(driver)} is not supported. Use "bridge" (or leave it out).`,
      );
    networks.push({
      name,
      ...(internal === true ? { internal: true } : {}),
      ...external(asMap(opts), `networks.${name}`, name, file, problems),
    });
  }
  // A service with `profiles` runs only when one of them is active (the Compose Specification,
  // services, profiles: "if assigned, it is only started if the profile is activated").
  const active = new Set(options.profiles ?? []);
  const services = Object.fromEntries(
    Object.entries(asMap(doc.services)).filter(([, svc]) => {
      const profiles = asMap(svc).profiles;
      return !Array.isArray(profiles) || profiles.some((p) => active.has(String(p)));
    }),
  );
  const secretEnv = options.secretEnv ?? {};
  for (const name of Object.keys(secretEnv))
    if (!(name in services))
      problems.push(`secretEnv.${name}: ${file} has no service named ${JSON.stringify(name)}.`);
  problems.push(...builtImageNameProblems(services, file));
  const present = new Set(Object.keys(services));
  const declared = new Set(volumes.map((v) => v.name));
  const secrets = declaredSecrets(doc, file, source.dir, source.vars, problems);
  const containers = Object.entries(services).map(([name, value]) => {
    const r = new ServiceReader(file, name, asMap(value), declared, source.dir);
    const svc = r.svc;
    const build = r.build(source.dir, source.cwd, source.vars);
    const fromFiles = r.envFiles(source.dir, source.vars, isSecretVariable);
    checkPullPolicy(r);
    checkSecurityOpt(r);
    for (const [at, secret] of secretsAt)
      if (
        at.startsWith(`services.${name}.`) &&
        !/^environment[.[]/.test(at.slice(`services.${name}.`.length))
      )
        problems.push(
          `${file}: ${at}: holds ${secret.map((v) => `\${${v}}`).join(", ")}, a secret: outside environment it is plain text in the stack's state and in docker inspect. Give it to the service in environment (a command or healthcheck reads it there as $$${secret[0]}).`,
        );
    const spec: ContainerSpec = {
      name,
      ...(build ? { build } : { image: svc.image as string | undefined }),
      ...optional("entrypoint", r.entrypoint()),
      ...optional("command", r.command()),
      ...r.env(
        secretEnv[name] ?? {},
        fromFiles,
        (at) => secretsAt.has(`services.${name}.${at}`),
        source.vars,
        isSecretVariable,
      ),
      ...optional("ports", r.ports()),
      ...optional("volumes", withSecrets(r.volumes(), serviceSecrets(r, secrets))),
      ...optional("networks", r.networks()),
      ...r.dependsOn(present),
      ...optional(
        "containerName",
        svc.container_name === undefined ? undefined : String(svc.container_name),
      ),
      ...optional("healthcheck", r.healthcheck()),
      ...optional(
        "proxy",
        readProxy(svc, (key, text) => r.problem(key, text)),
      ),
      ...optional("restart", r.restart()),
      ...r.limits(),
      ...optional(
        "labels",
        svc.labels === undefined ? undefined : (keyValues(svc.labels) as Record<string, string>),
      ),
      ...optional("user", svc.user === undefined ? undefined : String(svc.user)),
      ...optional("readOnlyRootFs", svc.read_only as boolean | undefined),
      ...optional("capAdd", r.capabilities()),
      ...readProcess(r),
    };
    problems.push(...r.problems);
    for (const made of r.anonymousVolumes)
      if (!volumes.some((v) => v.name === made)) volumes.push({ name: made });
    return spec;
  });
  problems.push(...markJobs(containers, services, file));
  return { app: { containers, networks, volumes }, problems };
}

/**
 * A service another one waits for with `service_completed_successfully` is a one-off job
 * (runsToCompletion): run once, to its end. A restart policy would run it again at each exit,
 * so one other than "no" is refused here, at the job's own key.
 */
function markJobs(containers: ContainerSpec[], services: Doc, file: string): string[] {
  const waiters = new Map<string, string>();
  for (const c of containers)
    for (const job of c.afterCompleted ?? []) if (!waiters.has(job)) waiters.set(job, c.name);
  const problems: string[] = [];
  for (const c of containers) {
    const waiter = waiters.get(c.name);
    if (!waiter) continue;
    c.runsToCompletion = true;
    const restart = asMap(services[c.name]).restart;
    if (c.restart !== undefined && c.restart !== "no")
      problems.push(
        `${file}: services.${c.name}.restart: ${JSON.stringify(restart)} would run it again at each exit, and services.${waiter}.depends_on waits for it to complete (service_completed_successfully): a one-off job runs once. Leave restart out (or "no").`,
      );
    delete c.restart;
  }
  return problems;
}

/**
 * `external: true` (with `name`, the Docker object's own name): an existing volume or network the
 * app uses and does not own. A `name` alone would rename a created one, which dockerhost names
 * `<component>_<key>`.
 */
function external(
  decl: Doc,
  at: string,
  key: string,
  file: string,
  problems: string[],
): { external?: string } {
  if (decl.external === true || decl.external === "true")
    return { external: decl.name === undefined ? key : String(decl.name) };
  if (decl.name !== undefined)
    problems.push(
      `${file}: ${at}.name: dockerhost names what it creates <component>_${key}. To use an existing one named ${JSON.stringify(decl.name)}, add external: true; else leave name out.`,
    );
  return {};
}

function withSecrets(
  volumes: ContainerVolumeSpec[] | undefined,
  secrets: ContainerVolumeSpec[],
): ContainerVolumeSpec[] | undefined {
  return secrets.length ? [...(volumes ?? []), ...secrets] : volumes;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
