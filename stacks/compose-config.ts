import * as path from "node:path";
import type { ComposeApp } from "../components";
import { composeApp } from "../components/compose/compose-services";
import { readComposeFile } from "../components/compose/compose-file";
import { isObject } from "./is-object";

// `dockerhost:compose: compose.yaml`: a stack's services from a compose file, beside (after) the
// ones its `containers` key lists. The file's variables without a value take their secrets from
// `secretEnv.<service>.<VARIABLE>`, as a container of the stack does.

/** Where the file's services, networks and volumes start in the host's lists. */
export interface ComposeOrigin {
  file: string;
  firstContainer: number;
  firstNetwork: number;
  firstVolume: number;
}

/**
 * The compose file's app, or undefined with its problems (each led by `key`). `secretEnv` is
 * the stack's secretEnv map: only which variables it names is read here; readSecretEnv sets the
 * secret values on the containers afterwards.
 */
export function readStackCompose(
  file: string,
  key: string,
  secretEnv: unknown,
  problems: string[],
): ComposeApp | undefined {
  const cwd = process.cwd();
  const full = path.resolve(cwd, file);
  const read = readComposeFile(full, file);
  const services = isObject(read.doc.services) ? Object.keys(read.doc.services) : [];
  const named = Object.fromEntries(
    Object.entries(isObject(secretEnv) ? secretEnv : {})
      .filter(([service]) => services.includes(service))
      .map(([service, vars]) => [
        service,
        Object.fromEntries(Object.keys(isObject(vars) ? vars : {}).map((v) => [v, ""])),
      ]),
  );
  // Every stage's problems at once, as composeServices reports them.
  const { app, problems: found } = composeApp(
    read.doc,
    { file, dir: path.dirname(full), cwd, vars: read.vars, used: read.used },
    { secretEnv: named },
  );
  if (read.problems.length || found.length) {
    problems.push(...[...read.problems, ...found].map((p) => `${key}: ${p}`));
    return undefined;
  }
  return app;
}

/** A component problem about a compose service, network or volume, in the file's terms. */
/** A container spec's field, as the compose key that the user wrote for it. */
const COMPOSE_KEY_OF: Record<string, string> = {
  dependsOn: "depends_on",
  startAfter: "depends_on",
  afterCompleted: "depends_on",
  containerName: "container_name",
  env: "environment",
  readOnlyRootFs: "read_only",
  capAdd: "cap_add",
  restart: "restart",
  proxy: "x-dockerhost.proxy",
};

function composeTail(tail: string): string {
  return tail.replace(/^\.([A-Za-z]+)/, (whole, field: string) =>
    COMPOSE_KEY_OF[field] ? `.${COMPOSE_KEY_OF[field]}` : whole,
  );
}

export function composeProblem(
  field: string,
  rest: string,
  origin: ComposeOrigin,
  names: { containers: string[]; networks: string[]; volumes: string[] },
  key: string,
): string | undefined {
  const m = /^(containers|networks|volumes)\[(\d+)\](.*)$/.exec(field);
  if (!m) return undefined;
  const [, list, index, tail] = m;
  const first = {
    containers: origin.firstContainer,
    networks: origin.firstNetwork,
    volumes: origin.firstVolume,
  }[list as "containers" | "networks" | "volumes"];
  if (Number(index) < first) return undefined;
  const name = names[list as keyof typeof names][Number(index)];
  const top = list === "containers" ? "services" : list;
  return `${key}: ${origin.file}: ${top}.${name}${composeTail(tail)}${rest}`;
}
