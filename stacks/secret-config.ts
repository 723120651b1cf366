import * as pulumi from "@pulumi/pulumi";
import { isObject } from "./is-object";
import type { Reader } from "./config-reader";

// The stack config that carries secrets (dockerhost:secretEnv, dockerhost:registryPasswords):
// each value wrapped as a Pulumi secret the moment it is read, so it never travels as plain text.

/** A map of VARIABLE: value, all text. */
const isTextMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x === "string");

/**
 * `dockerhost:secretEnv.<name>.<VARIABLE>`: a secret for the container or, in a fleet, the swarm
 * service of that name (a Docker secret there, read at /run/secrets/<VARIABLE>). Returns the
 * containers and the services with their secretEnv, every value a Pulumi secret.
 */
export function readSecretEnv(
  reader: Reader,
  containers: unknown[],
  services: unknown[] | undefined,
  secretEnv: unknown,
): { containers: unknown[]; services: unknown[] | undefined } {
  if (secretEnv === undefined) return { containers, services };
  const key = reader.key("secretEnv");
  if (!isObject(secretEnv)) {
    reader.problems.push(
      `${key}: must be a map of container (or fleet service) name to VARIABLE: value, set with: pulumi config set --secret --path 'secretEnv.<name>.<VARIABLE>' <value>`,
    );
    return { containers, services };
  }
  const nameOf = (c: unknown) => (isObject(c) ? c.name : undefined);
  const names = [...containers, ...(services ?? [])].map(nameOf);
  for (const [name, values] of Object.entries(secretEnv)) {
    if (!names.includes(name)) {
      reader.problems.push(
        `${key}.${name}: no container named ${JSON.stringify(name)} in ${reader.key("containers")}${services ? `, nor a service in ${reader.key("services")}` : ""}.`,
      );
    } else if (!isTextMap(values)) {
      reader.problems.push(`${key}.${name}: must be a map of VARIABLE: value (text).`);
    }
  }
  const withSecrets = (c: unknown) => {
    const values = isObject(c) && typeof c.name === "string" ? secretEnv[c.name] : undefined;
    if (!isTextMap(values)) return c;
    const secrets = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, pulumi.secret(String(v))]),
    );
    return {
      ...(c as object),
      secretEnv: { ...((c as { secretEnv?: object }).secretEnv ?? {}), ...secrets },
    };
  };
  return { containers: containers.map(withSecrets), services: services?.map(withSecrets) };
}

export function readRegistries(reader: Reader): unknown[] | undefined {
  const registries = reader.list("registries");
  if (!registries?.length) return registries;
  const { set, value } = reader.secretStructured(
    "registryPasswords",
    `pulumi config set --secret --path 'registryPasswords["<registry>"]' <password>`,
  );
  // Set in plain text: already reported; the per-registry lines would only repeat it.
  if (set && value === undefined) return registries;
  const passwords = set ? value : {};
  if (!isObject(passwords)) {
    reader.problems.push(
      `${reader.key("registryPasswords")}: must be a map of registry address to password.`,
    );
    return registries;
  }
  return registries.map((r) => {
    if (!isObject(r) || typeof r.address !== "string") return r;
    const password = passwords[r.address];
    if (typeof password !== "string") {
      reader.problems.push(
        `${reader.key("registryPasswords")}.${r.address}: missing. Set it with: pulumi config set --secret --path 'registryPasswords["${r.address}"]' <password>`,
      );
      return r;
    }
    return { ...r, password: pulumi.secret(password) };
  });
}
