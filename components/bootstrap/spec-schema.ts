import type { JsonSchema } from "../core/shape";
import {
  ARCHES,
  CLOUDS,
  CredentialHelper,
  ENGINE_SOURCES,
  HARDENING_PROFILES,
  OS_NAMES,
  SELINUX_MODES,
} from "./types";

// The shape of a HostSpec (types.ts), checked by resolveHostSpec before it reads any field, so
// a caller from plain JavaScript or another language gets named problems, never a TypeError.

const text: JsonSchema = { type: "string" };
const oneOf = (values: readonly string[]): JsonSchema => ({ type: "string", enum: [...values] });
const list = (items: JsonSchema): JsonSchema => ({ type: "array", items });
const record = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

export const DOCKER_OPTIONS_SCHEMA = record({
  source: oneOf(ENGINE_SOURCES),
  version: text,
  daemonConfigJson: text,
  registryMirrors: list(text),
  relaxDaemonKeys: list(text),
});

/** Open at the top: a ResolvedHostSpec (a HostSpec plus its defaults) is a HostSpec too. */
export const HOST_SPEC_SCHEMA = {
  ...record(
    {
      os: oneOf(OS_NAMES),
      arch: oneOf(ARCHES),
      cloud: oneOf(CLOUDS),
      sshUser: text,
      sshAuthorizedKeys: list(text),
      hostKey: record({ ed25519Private: text, ed25519Public: text }, [
        "ed25519Private",
        "ed25519Public",
      ]),
      docker: DOCKER_OPTIONS_SCHEMA,
      hardening: oneOf(HARDENING_PROFILES),
      selinux: oneOf(SELINUX_MODES),
      dataDisk: record({ devices: list(text) }, ["devices"]),
      hostname: text,
      containerPidsLimit: { type: "integer" },
      bakedImage: { type: "boolean" },
      swarm: { type: "boolean" },
      containersReachMetadata: { type: "boolean" },
      shippedLogs: record(
        {
          driver: oneOf(["awslogs", "syslog"]),
          options: { type: "object", additionalProperties: text },
        },
        ["driver", "options"],
      ),
      credentialHelpers: {
        type: "object",
        additionalProperties: oneOf(Object.values(CredentialHelper)),
      },
      privateNetwork: record(
        { mac: text, address: text, prefixLength: { type: "integer", minimum: 8, maximum: 30 } },
        ["mac", "address", "prefixLength"],
      ),
    },
    ["os", "arch", "cloud", "sshAuthorizedKeys"],
  ),
  additionalProperties: true,
};
