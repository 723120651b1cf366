import { createHash } from "node:crypto";
import type { ShippedFilesSpec } from "./container-spec";

// What names a shipment of files (ShippedFilesSpec) and bounds it, shared by the services that
// ship it (services/shipped-files.ts) and the compose reader that shows it (compose-view.ts).

/** At most this much content per shipment: it travels in the command's input and in state. */
export const MAX_SHIPPED_BYTES = 1024 * 1024;

/** The content's digest (paths, modes and bytes, in path order): names the directory. */
export function shippedDigest(spec: ShippedFilesSpec): string {
  const hash = createHash("sha256");
  for (const e of [...spec.entries].sort((a, b) => (a.path < b.path ? -1 : 1)))
    hash.update(`${e.path}\0${e.executable ? 1 : 0}\0${e.contentBase64}\0`);
  return hash.digest("hex").slice(0, 16);
}
