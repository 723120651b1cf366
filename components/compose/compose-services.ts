import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { ContainerSpec, NetworkSpec, VolumeSpec } from "../services/container-spec";
import { asMap, isMap, keyValues, type Doc } from "./compose-values";
import { ServiceReader } from "./service-reader";
import { readComposeFile } from "./compose-file";
import { containersProblems } from "../services/validate-containers";
import { DockerHostConfigError } from "../core/config-error";

// A compose file (already checked by compose-file.ts) as DockerServices' own specs: containers,
// networks and volumes. Everything it cannot say the same way is a problem naming its key.

export interface ComposeOptions {
  /**
   * The values of variables the file lists without one (`environment: [DB_PASSWORD]`), per
   * service: Pulumi secrets, so they stay encrypted in state. A compose file holds no secret.
   */
  secretEnv?: Record<string, Record<string, pulumi.Input<string>>>;
}

/** What DockerServices (or a DockerHost) takes: `{ ...composeServices("compose.yaml") }`. */
export interface ComposeApp {
  containers: ContainerSpec[];
  networks: NetworkSpec[];
  volumes: VolumeSpec[];
}

/** `$$` is a literal "$"; any other "$" asks for interpolation, which dockerhost does not do. */
function withoutInterpolation(
  value: unknown,
  at: string,
  file: string,
  problems: string[],
): unknown {
  if (typeof value === "string") {
    if (/\$(?!\$)/.test(value.replace(/\$\$/g, "")))
      problems.push(
        `${file}: ${at}: ${JSON.stringify(value)} asks for variable interpolation. dockerhost does not read your shell's variables (a deploy must mean the same everywhere): write the value, or for a secret variable leave it without a value and give it in secretEnv. A literal "$" is written "$$".`,
      );
    return value.replace(/\$\$/g, "$");
  }
  if (Array.isArray(value))
    return value.map((v, i) => withoutInterpolation(v, `${at}[${i}]`, file, problems));
  if (isMap(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        withoutInterpolation(v, at ? `${at}.${k}` : k, file, problems),
      ]),
    );
  return value;
}

export interface ComposeSource {
  /** How the file is named in problems: the path as the user gave it. */
  file: string;
  /** The file's directory: build contexts are relative to it. */
  dir: string;
  /** The program's directory: build contexts are handed on relative to it. */
  cwd: string;
}

/** A checked compose document as specs, with every problem named by its compose key. */
export function composeApp(
  checked: Doc,
  source: ComposeSource,
  options: ComposeOptions = {},
): { app: ComposeApp; problems: string[] } {
  const { file } = source;
  const problems: string[] = [];
  const doc = asMap(withoutInterpolation(checked, "", file, problems));
  const volumes: VolumeSpec[] = [];
  for (const [name, opts] of Object.entries(asMap(doc.volumes))) {
    const driver = asMap(opts).driver;
    if (driver !== undefined && driver !== "local")
      problems.push(
        `${file}: volumes.${name}.driver: ${JSON.stringify(driver)} is not supported. Use "local" (or leave it out).`,
      );
    volumes.push({ name });
  }
  const networks: NetworkSpec[] = [];
  for (const [name, opts] of Object.entries(asMap(doc.networks))) {
    const { driver, internal } = asMap(opts);
    if (driver !== undefined && driver !== "bridge")
      problems.push(
        `${file}: networks.${name}.driver: ${JSON.stringify(driver)} is not supported. Use "bridge" (or leave it out).`,
      );
    networks.push({ name, ...(internal === true ? { internal: true } : {}) });
  }
  const services = asMap(doc.services);
  const secretEnv = options.secretEnv ?? {};
  for (const name of Object.keys(secretEnv))
    if (!(name in services))
      problems.push(`secretEnv.${name}: ${file} has no service named ${JSON.stringify(name)}.`);
  const declared = new Set(volumes.map((v) => v.name));
  const containers = Object.entries(services).map(([name, value]) => {
    const r = new ServiceReader(file, name, asMap(value), declared);
    const svc = r.svc;
    const build = r.build(source.dir, source.cwd);
    const spec: ContainerSpec = {
      name,
      ...(build ? { build } : { image: svc.image as string | undefined }),
      ...optional("command", r.command()),
      ...r.env(secretEnv[name] ?? {}),
      ...optional("ports", r.ports()),
      ...optional("volumes", r.volumes()),
      ...optional("networks", r.networks()),
      ...r.dependsOn(),
      ...optional(
        "containerName",
        svc.container_name === undefined ? undefined : String(svc.container_name),
      ),
      ...optional("healthcheck", r.healthcheck()),
      ...optional("restart", r.restart()),
      ...r.limits(),
      ...optional(
        "labels",
        svc.labels === undefined ? undefined : (keyValues(svc.labels) as Record<string, string>),
      ),
      ...optional("user", svc.user === undefined ? undefined : String(svc.user)),
      ...optional("readOnlyRootFs", svc.read_only as boolean | undefined),
      ...optional("capAdd", r.capabilities()),
    };
    problems.push(...r.problems);
    return spec;
  });
  return { app: { containers, networks, volumes }, problems };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The same checks DockerServices runs, named by the compose file's keys. */
function specProblems(app: ComposeApp, file: string): string[] {
  const rename = (text: string): string =>
    text
      .replace(
        /containers\[(\d+)\]/g,
        (_, i: string) => `services.${app.containers[Number(i)].name}`,
      )
      .replace(/^networks\[(\d+)\]/, (_, i: string) => `networks.${app.networks[Number(i)].name}`)
      .replace(/^volumes\[(\d+)\]/, (_, i: string) => `volumes.${app.volumes[Number(i)].name}`);
  return containersProblems({ ...app, selinuxRelabel: false }).map((p) => `${file}: ${rename(p)}`);
}

/**
 * Reads a compose file (the Compose Specification) into DockerServices' containers, networks
 * and volumes. Paths are relative to the program's directory; build contexts in the file are
 * relative to the file, as compose reads them. Throws, naming each key, on anything dockerhost
 * would not deploy as the file says.
 */
export function composeServices(file: string, options: ComposeOptions = {}): ComposeApp {
  const cwd = process.cwd();
  const full = path.resolve(cwd, file);
  const read = readComposeFile(full, file);
  if (read.problems.length) throw new DockerHostConfigError(read.problems);
  const { app, problems } = composeApp(read.doc, { file, dir: path.dirname(full), cwd }, options);
  if (problems.length) throw new DockerHostConfigError(problems);
  const later = specProblems(app, file);
  if (later.length) throw new DockerHostConfigError(later);
  return app;
}
