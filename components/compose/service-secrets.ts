import * as fs from "node:fs";
import * as path from "node:path";
import type { ContainerVolumeSpec, ShippedFilesSpec } from "../core/container-spec";
import { asMap, isMap, type Doc } from "./compose-values";
import type { Variables } from "./interpolate";
import type { ServiceReader } from "./service-reader";

// Compose's `secrets` on one host: each a read-only file at /run/secrets/<name> (or the target
// the service names), from a file beside the compose file or a variable of its .env, bind-mounted
// into the container as Compose does without a swarm. Here the file is shipped to the host as a
// secret shipment (ShippedFilesSpec.secret): a Pulumi secret in state, never in the environment.

/** Every secret the file declares, read: name to its shipment, or undefined after a problem. */
export function declaredSecrets(
  doc: Doc,
  file: string,
  dir: string,
  vars: Variables | undefined,
  problems: string[],
): Map<string, ShippedFilesSpec | undefined> {
  const secrets = new Map<string, ShippedFilesSpec | undefined>();
  for (const [name, value] of Object.entries(asMap(doc.secrets))) {
    const decl = asMap(value);
    const at = `${file}: secrets.${name}`;
    let content: Buffer | undefined;
    if (decl.file !== undefined) {
      const full = path.resolve(dir, String(decl.file));
      if (fs.existsSync(full) && fs.statSync(full).isFile()) content = fs.readFileSync(full);
      else
        problems.push(
          `${at}.file: ${JSON.stringify(decl.file)} is not a file beside ${file}. Create it (and keep it out of version control), or take the secret from the .env: environment: <VARIABLE>.`,
        );
    } else if (decl.environment !== undefined) {
      const v = vars?.values.get(String(decl.environment));
      if (v !== undefined) content = Buffer.from(v);
      else
        problems.push(
          `${at}.environment: ${vars?.from ?? "the .env beside the file"} does not set ${String(decl.environment)}; dockerhost does not read your shell's variables. Set it there.`,
        );
    } else
      problems.push(
        `${at}: give file or environment; ${decl.external ? "an external secret is a swarm's (a fleet's SwarmServices take secrets)" : "nothing else makes a secret on one host"}.`,
      );
    secrets.set(
      name,
      content && {
        name: `secret-${name}`,
        entries: [{ path: name, contentBase64: content.toString("base64") }],
        file: name,
        secret: true,
      },
    );
  }
  return secrets;
}

/** A service's `secrets`, short or long form, as read-only mounts of their shipments. */
export function serviceSecrets(
  r: ServiceReader,
  declared: Map<string, ShippedFilesSpec | undefined>,
): ContainerVolumeSpec[] {
  const value = r.svc.secrets;
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry, i): ContainerVolumeSpec[] => {
    const key = `secrets[${i}]`;
    const long = isMap(entry) ? entry : undefined;
    const source = String(long ? long.source : entry);
    for (const field of ["uid", "gid", "mode"])
      if (long?.[field] !== undefined)
        r.problem(
          `${key}.${field}`,
          "is not supported: on one host a secret is a read-only file (0444), as Compose mounts it without a swarm. Leave it out.",
        );
    if (!declared.has(source)) {
      r.problem(
        key,
        `secret ${JSON.stringify(source)} is not declared. Declare it under the top-level secrets key.`,
      );
      return [];
    }
    const files = declared.get(source);
    if (!files) return [];
    const target = long?.target === undefined ? source : String(long.target);
    const containerPath = target.startsWith("/") ? target : `/run/secrets/${target}`;
    return [{ containerPath, files, readOnly: true }];
  });
}
