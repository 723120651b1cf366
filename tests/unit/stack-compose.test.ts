import { afterAll, describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { readStack, type ConfigSource } from "../../stacks/config";
import { toConfigProblem } from "../../stacks/config-keys";
import { readDoc } from "../support/docs-page";

// The stack file and compose file of docs/compose.md, read together as `pulumi up` would: the services
// join the host's containers, the secret comes from secretEnv, problems name the file's keys.

const section = readDoc("compose.md").split("## In a stack's config, from a compose file")[1] ?? "";
const [stackYaml, composeYaml] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkQ2Y3p1Wt7y0wN4yJm1z5Zq9Ck1n8o8vX0lq0mZf7d dev";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-stack-compose-"));
fs.writeFileSync(path.join(dir, "compose.yaml"), composeYaml ?? "");
fs.mkdirSync(path.join(dir, "web"));
fs.writeFileSync(path.join(dir, "web", "Dockerfile"), "FROM scratch\n");
const cwd = process.cwd();
afterAll(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The stack config of docs/compose.md, plus the secrets `pulumi config set --secret` would add. */
function source(secrets: Record<string, string>): ConfigSource {
  const config = (parse(stackYaml ?? "") as { config: Record<string, unknown> }).config;
  const values: Record<string, string> = { sshPublicKey: KEY, ...secrets };
  for (const [k, v] of Object.entries(config))
    values[k.replace(/^dockerhost:/, "")] = typeof v === "string" ? v : JSON.stringify(v);
  return {
    project: "dockerhost",
    get: (key) => values[key],
    isSecret: (key) => key in secrets,
  };
}

describe("a stack's compose file (the one in docs/compose.md)", () => {
  it("gives the host its services, networks and volume, the password a secret", async () => {
    process.chdir(dir);
    const plan = readStack(source({ secretEnv: JSON.stringify({ db: { DB_PASSWORD: "pw" } }) }));
    expect(plan.cloud).toBe("local");
    expect(plan.compose).toStrictEqual({
      file: "compose.yaml",
      firstContainer: 0,
      firstNetwork: 0,
      firstVolume: 0,
    });
    const containers = plan.args.containers ?? [];
    expect(containers.map((c) => c.name)).toStrictEqual(["web", "api", "db"]);
    expect(containers[0].build).toStrictEqual({ context: "web" });
    expect(containers[2].env).toStrictEqual({ POSTGRES_DB: "shop" });
    const password = containers[2].secretEnv?.DB_PASSWORD;
    expect(pulumi.Output.isInstance(password)).toBe(true);
    expect(await pulumi.isSecret(password as pulumi.Output<string>)).toBe(true);
    expect(plan.args.networks).toStrictEqual([{ name: "backend", internal: true }]);
    expect(plan.args.volumes).toStrictEqual([{ name: "db-data" }]);
  });

  it("leaves the variable unset when the stack gives no secret for it, as Compose does", () => {
    process.chdir(dir);
    const db = (readStack(source({})).args.containers ?? [])[2];
    expect(db.env).toStrictEqual({ POSTGRES_DB: "shop" });
    expect(db.secretEnv).toBeUndefined();
  });

  it("words the host's own checks of a compose service by the file's key", () => {
    process.chdir(dir);
    const plan = readStack(source({ secretEnv: JSON.stringify({ db: { DB_PASSWORD: "pw" } }) }));
    expect(
      toConfigProblem(
        'containers[1].dependsOn[0]: "db" has no healthcheck, so nothing tells when it is ready.',
        plan,
        "dockerhost",
      ),
    ).toBe(
      'dockerhost:compose: compose.yaml: services.api.depends_on[0]: "db" has no healthcheck, so nothing tells when it is ready.',
    );
    // A depends_on cycle, named at its first service in the file the user wrote.
    expect(
      toConfigProblem(
        "containers[1].dependsOn: makes a cycle (api -> db -> api); no container of it could start first.",
        plan,
        "dockerhost",
      ),
    ).toBe(
      "dockerhost:compose: compose.yaml: services.api.depends_on: makes a cycle (api -> db -> api); no container of it could start first.",
    );
    expect(toConfigProblem("containers[1].env.X: bad.", plan, "dockerhost")).toBe(
      "dockerhost:compose: compose.yaml: services.api.environment.X: bad.",
    );
    expect(toConfigProblem("networks[0].name: taken.", plan, "dockerhost")).toBe(
      "dockerhost:compose: compose.yaml: networks.backend.name: taken.",
    );
    expect(toConfigProblem("containers[2].secretEnv.DB_PASSWORD: plain.", plan, "dockerhost")).toBe(
      "dockerhost:secretEnv.db.DB_PASSWORD: plain.",
    );
  });

  it("names a compose file that is not there", () => {
    process.chdir(dir);
    const missing: ConfigSource = {
      ...source({}),
      get: (k) => (k === "compose" ? "nope.yaml" : source({}).get(k)),
    };
    expect(() => readStack(missing)).toThrow(
      "dockerhost:compose: nope.yaml: cannot be read (ENOENT). Give the compose file's path relative to the program's directory.",
    );
  });
});
