import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

/**
 * A stack file's config as the CLI hands it over, plus the secrets set on the side: with
 * Pulumi.yaml's default for every declared key the stack leaves unset, as the CLI merges them in
 * (pulumi/pulumi sdk/go/common/workspace/config.go, mergeConfig).
 */
export function loadStackConfig(
  stackFile: string,
  secrets: Record<string, string>,
  /** Keys changed from the file's (full keys, "dockerhost:..."), given their parsed values. */
  change: (config: Record<string, unknown>) => Record<string, unknown> = () => ({}),
): void {
  const root = path.join(__dirname, "..", "..");
  const doc = parse(fs.readFileSync(path.join(root, stackFile), "utf8")) as {
    config: Record<string, unknown>;
  };
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config: Record<string, { default?: unknown }>;
  };
  const defaults = Object.fromEntries(
    Object.entries(project.config).map(([k, d]) => [`${project.name}:${k}`, d.default]),
  );
  const config: Record<string, string> = {};
  const merged = { ...defaults, ...doc.config };
  for (const [k, v] of Object.entries({ ...merged, ...change(merged), ...secrets })) {
    config[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const secretKeys = Object.keys(secrets);
  pulumi.runtime.setAllConfig(config, secretKeys);
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(secretKeys);
}
