import type { JsonSchema } from "../core/shape";
import { RESTART_POLICIES } from "../core/container-spec";
import {
  boolean,
  input,
  list,
  map,
  oneOf,
  record,
  string,
  wholeNumber,
} from "../core/schema-builders";

// The JSON Schema of a container, its ports, volumes (and shipped files) and healthcheck, and of
// the app's networks and volumes: the parts args-schema.ts builds the components' schemas from.

const PORT = record(
  {
    // Ranges and clashes: validate-containers.ts, which words them for ports.
    internal: { type: "integer" },
    external: { type: "integer" },
    protocol: oneOf(["tcp", "udp"]),
    hostIp: string,
    allowedCidrs: list(string),
  },
  ["internal"],
);

const VOLUME = record(
  {
    containerPath: string,
    hostPath: string,
    volumeName: string,
    files: record(
      {
        name: string,
        entries: list(
          record({ path: string, contentBase64: string, executable: boolean }, [
            "path",
            "contentBase64",
          ]),
        ),
        file: string,
        secret: boolean,
      },
      ["name", "entries"],
    ),
    readOnly: boolean,
    shared: boolean,
  },
  ["containerPath"],
);

const HEALTHCHECK = record(
  {
    test: list(string),
    interval: string,
    timeout: string,
    retries: wholeNumber(0),
    startPeriod: string,
  },
  ["test"],
);

/** What a container and a swarm service both have. */
export const RUNTIME_FIELDS: Record<string, JsonSchema> = {
  name: string,
  image: input(string),
  command: list(string),
  env: map(input(string)),
  secretEnv: map(input(string)),
  volumes: list(VOLUME),
  healthcheck: HEALTHCHECK,
  memoryMb: { type: "integer" },
  cpus: string,
  labels: map(string),
  user: string,
  readOnlyRootFs: boolean,
  capAdd: list(string),
  networks: list(record({ name: string, aliases: list(string) }, ["name"])),
};

export const CONTAINER_SCHEMA = record(
  {
    ...RUNTIME_FIELDS,
    build: record(
      {
        context: string,
        dockerfile: string,
        args: map(string),
        target: string,
        secrets: map(record({ env: string, file: string })),
      },
      ["context"],
    ),
    entrypoint: list(string),
    pullOnHost: boolean,
    sysctls: map(string),
    cloudSecrets: list(
      record({ name: string, ssmParameter: string, keyVaultSecret: string }, ["name"]),
    ),
    ports: list(PORT),
    restart: oneOf(RESTART_POLICIES),
    dependsOn: list(string),
    startAfter: list(string),
    runsToCompletion: boolean,
    afterCompleted: list(string),
    containerName: string,
    hostname: string,
    workingDir: string,
    tty: boolean,
    stdinOpen: boolean,
    init: boolean,
    stopSignal: string,
    stopTimeoutSeconds: wholeNumber(0),
    shmSizeMb: wholeNumber(1),
    extraHosts: map(string),
    ulimits: map(
      record({ soft: { type: "integer" }, hard: { type: "integer" } }, ["soft", "hard"]),
    ),
    tmpfs: map(string),
    dns: list(string),
    logging: record({ driver: string, options: map(string) }, []),
    proxy: record({ host: string, pathPrefix: string, port: { type: "integer" } }, ["host"]),
  },
  ["name"],
);

/** The host's edge (EdgeSpec): ACME settings, certificates of the user's own, its reach. */
export const EDGE = record({
  acmeEmail: string,
  acmeDirectory: string,
  acmeCaRootPem: string,
  certificates: list(
    record({ hosts: list(string), certificate: input(string), key: input(string) }, [
      "hosts",
      "certificate",
      "key",
    ]),
  ),
  allowedCidrs: list(string),
  hostIp: string,
  image: input(string),
});

export const NETWORK = record({ name: string, internal: boolean, external: string }, ["name"]);
export const NAMED_VOLUME = record({ name: string, external: string }, ["name"]);
