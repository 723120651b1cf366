import { boolean, input, list, oneOf, record, string, wholeNumber } from "../core/schema-builders";
import { RUNTIME_FIELDS, NETWORK } from "../services/container-schema";
import { CONNECTION, REGISTRY } from "../services/services-schema";
import { SWARM_ROLES } from "./swarm-nodes";

// The JSON Schema of DockerSwarm's and SwarmServices' args (ajv, core/shape.ts).

export const DOCKER_SWARM_SCHEMA = record(
  {
    nodes: list(
      record(
        {
          name: string,
          role: oneOf(SWARM_ROLES),
          connection: CONNECTION,
          sshAccess: oneOf(["direct", "session"]),
          privateAddress: input(string),
          ready: input(string),
          machineId: input(string),
        },
        ["name", "role", "connection", "privateAddress"],
      ),
    ),
    autolock: boolean,
    managersRunTasks: boolean,
    rotateJoinTokens: string,
  },
  ["nodes"],
);

const POLICY = {
  parallelism: wholeNumber(0),
  delay: string,
  order: oneOf(["start-first", "stop-first"]),
  monitor: string,
  maxFailureRatio: string,
};

export const SWARM_SERVICE_SCHEMA = record(
  {
    ...RUNTIME_FIELDS,
    ports: list(
      record(
        {
          // Ranges and modes: validate-swarm-services.ts, which words them for a swarm.
          internal: { type: "integer" },
          external: { type: "integer" },
          protocol: oneOf(["tcp", "udp"]),
          mode: { type: "string" },
        },
        ["internal"],
      ),
    ),
    replicas: { type: "integer" },
    global: boolean,
    placement: list(string),
    update: record({ ...POLICY, failureAction: oneOf(["rollback", "pause", "continue"]) }),
    rollback: record({ ...POLICY, failureAction: oneOf(["pause", "continue"]) }),
  },
  ["name", "image"],
);

export const SWARM_SERVICES_SCHEMA = record(
  {
    connection: CONNECTION,
    sshAccess: oneOf(["direct", "session"]),
    ready: input(string),
    services: list(SWARM_SERVICE_SCHEMA),
    networks: list(NETWORK),
    registries: list(REGISTRY),
    encryptedNetworks: boolean,
    readOnlyRootFsByDefault: boolean,
    strictServices: boolean,
  },
  ["connection", "services"],
);
