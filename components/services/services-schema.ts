import { boolean, input, list, oneOf, record, string, wholeNumber } from "../core/schema-builders";
import { CONTAINER_SCHEMA, EDGE, NAMED_VOLUME, NETWORK } from "./container-schema";

// The JSON Schema of DockerServices' args, and of the parts the swarm's and the hosts' schemas
// share with it (a registry's login, an SSH connection). ajv checks them before any other check
// (core/shape.ts).

export const REGISTRY = record(
  { address: string, username: input(string), password: input(string) },
  ["address", "username", "password"],
);

/** An SshConnection (remote/ssh-connection.ts), each field a Pulumi input. */
export const CONNECTION = input(
  record(
    {
      host: input(string),
      port: input(wholeNumber(1, 65535)),
      user: input(string),
      hostPublicKey: input(string),
      privateKey: input(string),
      proxyCommand: input(string),
    },
    ["host", "user", "hostPublicKey"],
  ),
);

export const DOCKER_SERVICES_SCHEMA = record(
  {
    connection: CONNECTION,
    sshAccess: oneOf(["direct", "session"]),
    ready: input(string),
    containers: list(CONTAINER_SCHEMA),
    registries: list(REGISTRY),
    networks: list(NETWORK),
    volumes: list(NAMED_VOLUME),
    removeVolumesOnDelete: boolean,
    selinuxRelabel: boolean,
    readOnlyRootFsByDefault: boolean,
    strictContainers: boolean,
    publicAddress: input(string),
    platform: string,
    edge: EDGE,
  },
  ["connection", "containers"],
);
