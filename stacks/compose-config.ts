import type { ComposeApp, ComposeSwarmApp } from "../components";
import {
  composeApp,
  readComposeProject,
  type ComposeSource,
} from "../components/compose/compose-services";
import { composeSwarmApp } from "../components/compose/compose-swarm";
import { composeKeysOf } from "../components/compose/compose-swarm-parts";
import type { ComposeRead } from "../components/compose/compose-file";
import { isObject } from "./is-object";

// `dockerhost:compose: compose.yaml`: a stack's services from a compose file, beside (after) the
// ones its `containers` key lists. The file's variables without a value take their secrets from
// `secretEnv.<service>.<VARIABLE>`, as a container of the stack does. On a fleet
// (`dockerhost:fleet`), the file's services are swarm services after those `services` lists,
// read as docker stack deploy reads a file (composeSwarmServices).

/** Where the file's services, networks and volumes start in the host's lists. */
export interface ComposeOrigin {
  file: string;
  firstContainer: number;
  firstNetwork: number;
  firstVolume: number;
  /** On a fleet: where the file's services start in the fleet's services. */
  firstService?: number;
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
  const { read, source, named } = readFor(file, secretEnv, false);
  // Every stage's problems at once, as composeServices reports them.
  const { app, problems: found } = composeApp(read.doc, source, { secretEnv: named });
  return keep(app, [...read.problems, ...found], key, problems);
}

/** The same on a fleet: the file's services as swarm services (composeSwarmApp). */
export function readStackSwarmCompose(
  file: string,
  key: string,
  secretEnv: unknown,
  problems: string[],
): ComposeSwarmApp | undefined {
  const { read, source, named } = readFor(file, secretEnv, true);
  const { app, problems: found } = composeSwarmApp(read.doc, source, { secretEnv: named });
  return keep(app, [...read.problems, ...found], key, problems);
}

function keep<T>(app: T, found: string[], key: string, problems: string[]): T | undefined {
  if (!found.length) return app;
  problems.push(...found.map((p) => `${key}: ${p}`));
  return undefined;
}

function readFor(
  file: string,
  secretEnv: unknown,
  swarm: boolean,
): { read: ComposeRead; source: ComposeSource; named: Record<string, Record<string, string>> } {
  const { read, source } = readComposeProject(file, { swarm });
  const services = isObject(read.doc.services) ? Object.keys(read.doc.services) : [];
  const named = Object.fromEntries(
    Object.entries(isObject(secretEnv) ? secretEnv : {})
      .filter(([service]) => services.includes(service))
      .map(([service, vars]) => [
        service,
        Object.fromEntries(Object.keys(isObject(vars) ? vars : {}).map((v) => [v, ""])),
      ]),
  );
  return { read, source, named };
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
  names: {
    containers: string[];
    networks: string[];
    volumes: string[];
    services?: { name: string }[];
  },
  key: string,
): string | undefined {
  const onFleet = /^services\[(\d+)\](.*)$/.exec(field);
  if (onFleet && origin.firstService !== undefined) {
    const [, index, tail] = onFleet;
    if (Number(index) < origin.firstService) return undefined;
    const named = composeKeysOf(`services[${index}]${tail}${rest}`, names.services ?? [], []);
    return `${key}: ${origin.file}: ${named}`;
  }
  const m = /^(containers|networks|volumes)\[(\d+)\](.*)$/.exec(field);
  if (!m) return undefined;
  const [, list, index, tail] = m;
  const first = {
    containers: origin.firstContainer,
    networks: origin.firstNetwork,
    volumes: origin.firstVolume,
  }[list as "containers" | "networks" | "volumes"];
  if (Number(index) < first) return undefined;
  const name = names[list as "containers" | "networks" | "volumes"][Number(index)];
  const top = list === "containers" ? "services" : list;
  return `${key}: ${origin.file}: ${top}.${name}${composeTail(tail)}${rest}`;
}
