import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { isMap, keyValues } from "./compose-values";
import { parseEnvFile } from "./env-file";
import type { Variables } from "./interpolate";
import type { ServiceReader } from "./service-reader";

// A compose service's environment: its `env_file` files and its `environment`, ranked as Compose
// ranks them (environment wins), each value plain or a secret.

/** The entries of a service's env files, each with whether it is a secret. */
export type EnvFromFiles = Map<string, { value: string; secret: boolean }>;

export interface ServiceEnv {
  env?: Record<string, string>;
  secretEnv?: Record<string, pulumi.Input<string>>;
}

/**
 * `env_file`: each file (relative to the compose file, in order, a later one winning) read as
 * Compose reads it (env-file.ts). A missing file is a problem unless `required: false`.
 */
export function readEnvFiles(
  r: ServiceReader,
  dir: string,
  vars: Variables | undefined,
  isSecret: (name: string) => boolean,
): EnvFromFiles {
  const value = r.svc.env_file;
  const entries = new Map<string, { value: string; secret: boolean }>();
  if (value === undefined || value === null) return entries;
  const files = (Array.isArray(value) ? value : [value]).map((f) =>
    isMap(f)
      ? { path: String(f.path), required: f.required !== false }
      : { path: String(f), required: true },
  );
  files.forEach((f, i) => {
    const key = Array.isArray(value) ? `env_file[${i}]` : "env_file";
    const full = path.resolve(dir, f.path);
    if (!fs.existsSync(full)) {
      if (f.required)
        r.problem(
          key,
          `${JSON.stringify(f.path)} does not exist beside ${r.file}. Create it, or mark it optional: { path: ${JSON.stringify(f.path)}, required: false }.`,
        );
      return;
    }
    const shown = path.join(path.dirname(r.file), f.path);
    const parsed = parseEnvFile(fs.readFileSync(full, "utf8"), shown, vars);
    r.problems.push(...parsed.problems);
    for (const [k, v] of parsed.values) entries.set(k, { value: v, secret: isSecret(k) });
  });
  return entries;
}

/**
 * `environment` over the `env_file` entries, as Compose ranks them. A value is secret (a Pulumi
 * secret in `secretEnv`) when its name says so in an env file, or when a secret variable went
 * into it (`usesSecret`, with the entry's key under the service: `environment.DATABASE_URL`).
 */
export function readServiceEnv(
  r: ServiceReader,
  secrets: Record<string, pulumi.Input<string>>,
  fromFiles: EnvFromFiles,
  usesSecret: (at: string) => boolean,
  vars?: Variables,
  isSecretVariable: (name: string) => boolean = () => false,
): ServiceEnv {
  const listed = Array.isArray(r.svc.environment);
  const values = keyValues(r.svc.environment);
  const env: Record<string, string> = {};
  const secretValues: Record<string, pulumi.Input<string>> = {};
  // A secret read from a file is a Pulumi secret from here on, in state and in every output.
  const put = (key: string, value: string, secret: boolean) => {
    if (secret) secretValues[key] = pulumi.secret(value);
    else env[key] = value;
  };
  for (const [key, entry] of fromFiles)
    if (!(key in values) && !(key in secrets)) put(key, entry.value, entry.secret);
  Object.entries(values).forEach(([key, value], i) => {
    if (value !== null) {
      if (key in secrets)
        r.problem(
          `environment.${key}`,
          "has a value in the compose file and a secret in secretEnv. Leave it without a value in the file: a secret does not belong there.",
        );
      else put(key, value, usesSecret(listed ? `environment[${i}]` : `environment.${key}`));
    } else if (fromFiles.has(key) && !(key in secrets)) {
      const entry = fromFiles.get(key)!;
      put(key, entry.value, entry.secret);
    } else if (vars?.values.has(key) && !(key in secrets)) {
      // Listed without a value: Compose passes the project's variable of that name.
      put(key, vars.values.get(key)!, isSecretVariable(key));
    }
    // Else unset, as in Compose: "If the value is not resolved, the variable is unset and is
    // removed from the service container environment" (compose-spec 05-services.md,
    // "environment"). dockerhost never reads the deployer's shell; a secret goes in secretEnv.
  });
  for (const key of Object.keys(secrets))
    if (!(key in values))
      r.problem(
        "environment",
        `does not list ${key}, given in secretEnv. List it without a value (environment: [${key}]).`,
      );
  for (const [k, v] of Object.entries(secrets)) if (k in values) secretValues[k] = v;
  return {
    ...(Object.keys(env).length ? { env } : {}),
    ...(Object.keys(secretValues).length ? { secretEnv: secretValues } : {}),
  };
}
