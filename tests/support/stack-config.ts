import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

/** A stack file's config as the CLI hands it over, plus the secrets set on the side. */
export function loadStackConfig(stackFile: string, secrets: Record<string, string>): void {
  const file = path.join(__dirname, "..", "..", stackFile);
  const doc = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...doc.config, ...secrets })) {
    config[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const secretKeys = Object.keys(secrets);
  pulumi.runtime.setAllConfig(config, secretKeys);
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(secretKeys);
}
