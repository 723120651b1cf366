import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { readStack, type ConfigSource } from "../../stacks/config";
import { isUnsetDefault, UNSET_DEFAULTS } from "../../stacks/unset-defaults";
import { DEPLOYER_PUBLIC_KEY } from "../support/pulumi-mocks";

// The CLI refuses a stack that leaves unset a key Pulumi.yaml declares without a default, and
// hands every default to the program as if the stack had set it (pulumi/pulumi
// sdk/go/common/workspace/config.go, mergeConfig). Observed through the real CLI in
// tests/engine/preview.test.ts; here, the rule's consequences for the project file and the reader.

interface Declared {
  type?: string;
  default?: unknown;
  secret?: boolean;
}
const declared = (
  parse(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8")) as {
    config: Record<string, Declared>;
  }
).config;

/** A source holding `values`, as the CLI hands them over (structures as JSON text). */
function source(values: Record<string, unknown>): ConfigSource {
  const text: Record<string, string> = {};
  for (const [k, v] of Object.entries(values))
    text[k] = typeof v === "string" ? v : JSON.stringify(v);
  return { project: "dockerhost", get: (key) => text[key], isSecret: () => false };
}

const defaults = Object.fromEntries(
  Object.entries(declared).flatMap(([k, d]) => (d.default === undefined ? [] : [[k, d.default]])),
);

describe("Pulumi.yaml's defaults", () => {
  it("every key has one, so a stack may leave any key unset; none is `secret: true`, which a default cannot be", () => {
    expect(Object.entries(declared).filter(([, d]) => d.default === undefined)).toStrictEqual([]);
    expect(Object.entries(declared).filter(([, d]) => d.secret)).toStrictEqual([]);
  });

  it("the optional keys' defaults are exactly the values the stack reads as not set", () => {
    const optional = Object.keys(UNSET_DEFAULTS).sort();
    expect(Object.fromEntries(optional.map((k) => [k, declared[k]?.default]))).toStrictEqual(
      UNSET_DEFAULTS,
    );
  });

  it.each<[string, string, boolean]>([
    ["compose", "", true],
    ["compose", "docker-compose.yml", false],
    ["containers", "[]", true],
    ["containers", " [ ] ", true],
    ["containers", '[{"name":"web"}]', false],
    ["fleet", "{}", true],
    ["fleet", '{"managers":1}', false],
    ["secretEnv", "{}", true],
    ["sshAllowedCidrs", "[]", false],
    ["hostName", "", false],
    ["fleet", "{", false],
  ])("%s = %j reads as not set: %s", (name, value, unset) => {
    expect(isUnsetDefault(name, value)).toBe(unset);
  });

  it("the other defaults are values, each the component's own default on every target", () => {
    // Each is what the component takes when the argument is absent (e.g. arch: aws-target.ts,
    // azure-target.ts, local-args.ts; hardening: validate-host.ts), with one exception said in
    // Pulumi.yaml: dockerVolumeSizeGb is 30 for a stack, where LocalDockerHost's own is 20.
    const values = Object.fromEntries(
      Object.entries(defaults).filter(([k]) => !Object.hasOwn(UNSET_DEFAULTS, k)),
    );
    expect(values).toStrictEqual({
      cloud: "aws",
      hostName: "app",
      arch: "x86_64",
      trustedLaunch: true,
      hardening: "baseline",
      dockerVolumeSizeGb: 30,
      sshAllowedCidrs: [],
      allowSshFromAnywhere: false,
      sshAccess: "direct",
      ssmEndpoints: false,
      logRetentionDays: 30,
      dockerContext: true,
      bakeImage: false,
      localSshPort: 2222,
      localMemoryMb: 2048,
      localCpus: 2,
      localAccelerator: "auto",
      removeVolumesOnDelete: false,
    });
  });

  it.each(["local", "aws", "azure"])(
    "a %s stack holding every default reads as one holding only the value defaults",
    (cloud) => {
      const values = Object.fromEntries(
        Object.entries(defaults).filter(([k]) => !Object.hasOwn(UNSET_DEFAULTS, k)),
      );
      const minimal = { cloud, sshPublicKey: DEPLOYER_PUBLIC_KEY };
      expect(readStack(source({ ...defaults, ...minimal }))).toStrictEqual(
        readStack(source({ ...values, ...minimal })),
      );
    },
  );
});
