import { about } from "../support/about";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { AWS_TARGET } from "../../components/aws/aws-target";
import { AZURE_TARGET } from "../../components/azure/azure-target";
import { DockerHostConfigError } from "../../components/core/config-error";
import { resolveHostSpec } from "../../components/bootstrap/validate-host";
import type { HostSpec } from "../../components/bootstrap/types";
import { argsShape } from "../../components/core/args-shape";
import { problemField } from "../../components/core/shape";
import { checkHostArgs, type HostTarget } from "../../components/host/host-args";
import { LOCAL_TARGET } from "../../components/local/local-args";
import { readStack, type StackPlan } from "../../stacks/config";
import { CONFIG_KEYS, toConfigProblem } from "../../stacks/config-keys";

// Arbitrary junk in any field a user can write, on every path: the only outcome allowed is
// acceptance or a DockerHostConfigError whose every problem names a field the user can find.
// The run counts are printed so the closing note can say how many cases ran.

const RUNS = Number(process.env.DOCKERHOST_PROPERTY_RUNS ?? 300);
const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com";

/** Any JSON-ish value, and the near misses a hand-written config holds. */
const junk = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constantFrom("", " ", "0", "-1", "true", "null", "[]", "{}", "80/tcp", "1e9", "NaN"),
);

/** Outcome of a check: the problems, or [] when accepted. Any other exception fails the property. */
function outcome(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    expect(
      about("a refusal names at least one problem", Boolean(e.problems.length > 0)),
    ).toStrictEqual(about("a refusal names at least one problem", true));
    return e.problems;
  }
}

/** The first segment of a problem's field: "containers[0].ports[1].internal" -> "containers". */
const topField = (problem: string) => problemField(problem).split(/[.[]/)[0];

const counted: Record<string, number> = {};
function property<T>(name: string, arb: fc.Arbitrary<T>, check: (value: T) => void) {
  it(name, () => {
    let runs = 0;
    fc.assert(
      fc.property(arb, (value) => {
        runs++;
        check(value);
      }),
      { numRuns: RUNS },
    );
    counted[name] = runs;
    console.log(`property "${name}": ${runs} generated cases`);
  });
}

describe("property: junk in any field is a named problem, never another exception", () => {
  const specFields = [
    "os",
    "arch",
    "cloud",
    "sshUser",
    "sshAuthorizedKeys",
    "docker",
    "hardening",
    "selinux",
    "containerPidsLimit",
    "dataDisk",
  ];
  property(
    "resolveHostSpec (the pure bootstrap's own input)",
    fc.record(Object.fromEntries(specFields.map((f) => [f, junk])), { requiredKeys: [] }),
    (fields) => {
      const spec = { os: "debian-12", arch: "x86_64", cloud: "aws", sshAuthorizedKeys: [KEY] };
      for (const p of outcome(() => resolveHostSpec({ ...spec, ...fields } as HostSpec)))
        expect(about(p, Boolean(specFields.includes(topField(p))))).toStrictEqual(about(p, true));
    },
  );

  const hostCases: [string, HostTarget<never>, { properties: object }, Record<string, unknown>][] =
    [
      [
        "AwsDockerHost",
        AWS_TARGET as HostTarget<never>,
        argsShape("AwsDockerHost") as never,
        { sshAllowedCidrs: ["203.0.113.7/32"] },
      ],
      [
        "AzureDockerHost",
        AZURE_TARGET as HostTarget<never>,
        argsShape("AzureDockerHost") as never,
        { sshAllowedCidrs: ["203.0.113.7/32"] },
      ],
      [
        "LocalDockerHost",
        LOCAL_TARGET as HostTarget<never>,
        argsShape("LocalDockerHost") as never,
        {},
      ],
    ];
  for (const [component, target, schema, base] of hostCases) {
    const fields = Object.keys(schema.properties);
    const container = fc.record(
      {
        name: fc.oneof(fc.constant("web"), junk),
        image: fc.oneof(fc.constant("nginx:1.27"), junk),
        ports: fc.oneof(
          fc.array(
            fc.record({ internal: junk, external: junk, hostIp: junk }, { requiredKeys: [] }),
          ),
          junk,
        ),
        env: junk,
        healthcheck: junk,
        volumes: fc.oneof(
          fc.array(
            fc.record(
              { containerPath: junk, volumeName: junk, hostPath: junk },
              { requiredKeys: [] },
            ),
          ),
          junk,
        ),
        memoryMb: junk,
        user: junk,
      },
      { requiredKeys: ["name", "image"] },
    );
    property(
      `${component} args (component path)`,
      fc.record(
        {
          ...Object.fromEntries(fields.map((f) => [f, junk])),
          containers: fc.oneof(fc.array(container, { maxLength: 3 }), junk),
        },
        { requiredKeys: [] },
      ),
      (junkArgs) => {
        const args = { sshPublicKey: KEY, ...base, ...junkArgs } as never;
        for (const p of outcome(() => checkHostArgs(args, target)))
          expect(
            about(
              `${p}\n  is not about one of: ${fields.join(", ")}`,
              Boolean(fields.includes(topField(p))),
            ),
          ).toStrictEqual(about(`${p}\n  is not about one of: ${fields.join(", ")}`, true));
      },
    );
  }

  const configKeys = [
    "cloud",
    "hostName",
    "os",
    "arch",
    "instanceType",
    "vmSize",
    "trustedLaunch",
    "hardening",
    "selinux",
    "dockerVersion",
    "dockerVolumeSizeGb",
    "dockerDaemonConfig",
    "dockerRelaxDaemonKeys",
    "sshPublicKey",
    "sshPrivateKey",
    "sshAllowedCidrs",
    "allowSshFromAnywhere",
    "dockerContext",
    "networks",
    "volumes",
    "removeVolumesOnDelete",
    "compose",
    "bakeImage",
    "localImage",
    "localSshPort",
    "localMemoryMb",
    "localCpus",
    "localAccelerator",
    "containers",
    "secretEnv",
    "registries",
    "registryPasswords",
    "registryMirrors",
  ];
  const targets: Record<StackPlan["cloud"], HostTarget<never>> = {
    aws: AWS_TARGET as HostTarget<never>,
    azure: AZURE_TARGET as HostTarget<never>,
    local: LOCAL_TARGET as HostTarget<never>,
  };
  property(
    "the stack config reader and the stack's checks (stack path)",
    fc.record({
      cloud: fc.oneof(fc.constantFrom("aws", "azure", "local"), fc.string()),
      values: fc.dictionary(
        fc.constantFrom(...configKeys.filter((k) => k !== "cloud")),
        junk.map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)))),
      ),
      secret: fc.array(fc.constantFrom(...configKeys), { maxLength: 4 }),
    }),
    ({ cloud, values, secret }) => {
      const source = {
        project: "dockerhost",
        get: (key: string) =>
          key === "cloud" ? cloud : key === "sshPublicKey" && !(key in values) ? KEY : values[key],
        isSecret: (key: string) => secret.includes(key),
      };
      const problems = outcome(() => {
        const plan = readStack(source);
        try {
          checkHostArgs(plan.args as never, targets[plan.cloud]);
        } catch (e) {
          if (!(e instanceof DockerHostConfigError)) throw e;
          throw new DockerHostConfigError(
            e.problems.map((p) => toConfigProblem(p, plan, "dockerhost")),
          );
        }
      });
      const keys = new Set([...configKeys, ...Object.values(CONFIG_KEYS.aws)]);
      for (const p of problems) {
        expect(about(p, Boolean(p.startsWith("dockerhost:")))).toStrictEqual(about(p, true));
        expect(
          about(
            `${p}\n  names no config key`,
            Boolean(keys.has(topField(p.slice("dockerhost:".length)))),
          ),
        ).toStrictEqual(about(`${p}\n  names no config key`, true));
      }
    },
  );
});
