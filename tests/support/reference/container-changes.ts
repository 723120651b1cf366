import * as pulumi from "@pulumi/pulumi";
import type {
  ContainerSpec,
  NetworkSpec,
  VolumeSpec,
} from "../../../components/core/container-spec";
import type { EdgeSpec } from "../../../components/core/edge-spec";
import { TEST_CONNECTION } from "../pulumi-mocks";
import type { ChangeRun, Program } from "./field-changes";

// One change of each field of a container, made to a deployed DockerServices app: the reference's
// "on change" column is what the engine's rules give for it (on-change.ts). Each change sets a
// field the deployed container leaves out, or changes the value it has; `app` is what else the
// app needs for the field to mean something (a container to depend on, the edge for `proxy`).

export interface ContainerChange {
  change: Partial<ContainerSpec>;
  /** What else the row's app holds, in words (the page's change column). */
  note?: string;
  /** The container as deployed, where the field needs more of it (a proxy, a healthcheck). */
  deployed?: ContainerSpec;
  /** What else the change adds to the app (the edge, which a proxied container needs). */
  appChange?: { edge?: EdgeSpec };
  app?: {
    containers?: ContainerSpec[];
    networks?: NetworkSpec[];
    volumes?: VolumeSpec[];
    edge?: EdgeSpec;
  };
}

const HEALTH = { test: ["CMD", "true"], interval: "5s", retries: 3 };
export const DB: ContainerSpec = { name: "db", image: "postgres:16", healthcheck: HEALTH };
const JOB: ContainerSpec = { name: "migrate", image: "example/migrate:1", runsToCompletion: true };

/** The container as deployed: `web`, beside `db`. */
export const DEPLOYED: ContainerSpec = { name: "web", image: "nginx:1.27", command: ["nginx"] };

export const CONTAINER_CHANGES: Record<keyof ContainerSpec, ContainerChange> = {
  name: { change: { name: "web2" } },
  image: { change: { image: "nginx:1.28" } },
  pullOnHost: { change: { pullOnHost: true } },
  cloudSecrets: { change: { cloudSecrets: [{ name: "token", ssmParameter: "/app/token" }] } },
  build: {
    change: { image: undefined, build: { context: "tests/fixtures/web-build" } },
    note: "in place of `image`",
  },
  entrypoint: { change: { entrypoint: ["/bin/sh", "-c"] } },
  command: { change: { command: ["nginx", "-g", "daemon off;"] } },
  ports: { change: { ports: [{ internal: 8080, external: 80 }] } },
  env: { change: { env: { MODE: "production" } } },
  secretEnv: { change: { secretEnv: { TOKEN: pulumi.secret("t") } } },
  volumes: {
    change: { volumes: [{ containerPath: "/data", volumeName: "data" }] },
    app: { volumes: [{ name: "data" }] },
    note: "the app declares the volume",
  },
  restart: { change: { restart: "always" } },
  healthcheck: { change: { healthcheck: HEALTH } },
  memoryMb: { change: { memoryMb: 256 } },
  cpus: { change: { cpus: "0.5" } },
  labels: { change: { labels: { team: "web" } } },
  user: { change: { user: "101" } },
  readOnlyRootFs: { change: { readOnlyRootFs: true } },
  capAdd: { change: { capAdd: ["NET_ADMIN"] } },
  sysctls: { change: { sysctls: { "net.ipv4.tcp_migrate_req": "1" } } },
  networks: { change: { networks: [{ name: "default", aliases: ["www"] }] } },
  dependsOn: { change: { dependsOn: ["db"] } },
  containerName: { change: { containerName: "web-1" } },
  startAfter: { change: { startAfter: ["db"] } },
  runsToCompletion: { change: { runsToCompletion: true } },
  afterCompleted: {
    change: { afterCompleted: ["migrate"] },
    app: { containers: [JOB] },
    note: "the app runs the job `migrate`",
  },
  hostname: { change: { hostname: "www" } },
  workingDir: { change: { workingDir: "/srv" } },
  tty: { change: { tty: true } },
  stdinOpen: { change: { stdinOpen: true } },
  init: { change: { init: true } },
  stopSignal: { change: { stopSignal: "SIGQUIT" } },
  stopTimeoutSeconds: { change: { stopTimeoutSeconds: 30 } },
  shmSizeMb: { change: { shmSizeMb: 128 } },
  extraHosts: { change: { extraHosts: { "db.internal": "10.0.0.5" } } },
  ulimits: { change: { ulimits: { nofile: { soft: 1024, hard: 2048 } } } },
  tmpfs: { change: { tmpfs: { "/run": "" } } },
  dns: { change: { dns: ["192.0.2.53"] } },
  logging: { change: { logging: { options: { "max-size": "5m" } } } },
  proxy: {
    deployed: { name: "web", image: "nginx:1.27", command: ["nginx"], healthcheck: HEALTH },
    change: { proxy: { host: "app.example.com", port: 8080 } },
    appChange: { edge: { acmeEmail: "ops@example.com", allowedCidrs: ["0.0.0.0/0"] } },
    note: "with the app's `edge` added, and `web` deployed with a healthcheck",
  },
};

function app(spec: ContainerSpec, c: ContainerChange, changed: boolean): Program {
  return (m) => {
    const services = new m.DockerServices("app", {
      connection: { ...TEST_CONNECTION, privateKey: pulumi.secret("PRIVATE") },
      containers: [DB, ...(c.app?.containers ?? []), spec],
      ...(c.app?.volumes ? { volumes: c.app.volumes } : {}),
      ...(c.app?.edge ? { edge: c.app.edge } : {}),
      ...(changed && c.appChange?.edge ? { edge: c.appChange.edge } : {}),
    });
    return [services.containerIds as pulumi.Output<unknown>];
  };
}

/** A run per field: the app as deployed, then with that field's change. */
export function containerRuns(): ChangeRun[] {
  return Object.entries(CONTAINER_CHANGES).map(([field, c]) => {
    const deployed = c.deployed ?? DEPLOYED;
    return {
      field,
      change: (c.change as Record<string, unknown>)[field],
      note: c.note,
      deployedKey: JSON.stringify([deployed, c.app ?? {}]),
      deployed: app(deployed, c, false),
      changed: app({ ...deployed, ...c.change }, c, true),
    };
  });
}
