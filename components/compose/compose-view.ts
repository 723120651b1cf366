import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ShippedFilesSpec } from "../core/container-spec";
import { shippedDigest } from "../core/shipped-digest";
import type { ComposeApp } from "./compose-services";

// What `npm run render -- --compose <file>` prints, as `docker compose config` prints a file
// normalized: the specs composeServices made, as plain data. Nothing secret is shown: a Pulumi
// secret (a value that a secret variable went into) prints as SECRET, a secret shipment (a
// compose `secrets` file) as its paths and sizes only, and other shipped files as their paths,
// sizes and digests instead of their bytes.

export const SECRET_SHOWN_AS = "[secret]";

export interface ShipmentView {
  name: string;
  secret?: true;
  /** The digest that names a non-secret shipment's host directory (core/shipped-digest.ts). */
  digest?: string;
  file?: string;
  entries: { path: string; bytes: number; sha256?: string; executable?: true }[];
}

function shipmentView(spec: ShippedFilesSpec): ShipmentView {
  const entries = spec.entries.map((e) => {
    const bytes = Buffer.from(e.contentBase64, "base64");
    return {
      path: e.path,
      bytes: bytes.length,
      ...(spec.secret ? {} : { sha256: createHash("sha256").update(bytes).digest("hex") }),
      ...(e.executable ? { executable: true as const } : {}),
    };
  });
  return {
    name: spec.name,
    ...(spec.secret ? { secret: true as const } : { digest: shippedDigest(spec) }),
    ...(spec.file === undefined ? {} : { file: spec.file }),
    entries,
  };
}

/** A value as plain data: Outputs (the secrets composeServices makes) hidden, shipments summed up. */
function plain(value: unknown, key?: string): unknown {
  if (pulumi.Output.isInstance(value)) return SECRET_SHOWN_AS;
  if (Array.isArray(value)) return value.map((v) => plain(v));
  if (value && typeof value === "object") {
    if (key === "files" && "entries" in value) return shipmentView(value as ShippedFilesSpec);
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, plain(v, k)]),
    );
  }
  return value;
}

/** The app composeServices made from a file, as plain data to print. */
export function composeView(app: ComposeApp): Record<string, unknown> {
  return {
    containers: plain(app.containers),
    networks: plain(app.networks),
    volumes: plain(app.volumes),
  };
}
