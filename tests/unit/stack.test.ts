import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { byName, isSecretInput, plain, settle, useMocks, valueOf } from "../support/pulumi-mocks";

const recorded = useMocks("dev");

/** The stack's config as the CLI hands it over: Pulumi.dev.yaml plus the secrets set on the side. */
function loadDevConfig(secrets: Record<string, string>) {
  const file = path.join(__dirname, "..", "..", "..", "Pulumi.dev.yaml");
  const doc = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...doc.config, ...secrets })) {
    config[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const secretKeys = Object.keys(secrets);
  pulumi.runtime.setAllConfig(config, secretKeys);
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(secretKeys);
}

describe("the dev stack (Pulumi.dev.yaml)", () => {
  it("builds one AWS host with the two declared containers and exports its outputs", async () => {
    loadDevConfig({
      "dockerhost:sshPrivateKey":
        "-----BEGIN OPENSSH PRIVATE KEY-----\nk\n-----END OPENSSH PRIVATE KEY-----\n",
      "dockerhost:secretEnv": JSON.stringify({ api: { DATABASE_PASSWORD: "from-secret-config" } }),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stack = require("../../stacks/index") as Record<string, pulumi.Output<unknown>>;
    assert.deepEqual(await valueOf(stack.endpoints), {
      web: ["203.0.113.10:80"],
      api: ["127.0.0.1:3000"],
    });
    await valueOf(stack.dockerVersion);
    await settle(recorded);
    const instance = byName(recorded, "app-instance").inputs;
    assert.equal(instance.instanceType, "t4g.small");
    assert.equal(
      instance.ami,
      "ami-from-ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
    assert.ok(
      String(plain(instance.userData)).includes(
        "AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example.com",
      ),
    );
    const api = byName(recorded, "app-services-api").inputs;
    assert.equal(isSecretInput(api.envs), true);
    assert.deepEqual(plain(api.envs), [
      "NODE_ENV=production",
      "LOG_LEVEL=info",
      "DATABASE_PASSWORD=from-secret-config",
    ]);
    assert.equal(byName(recorded, "app-services-web").inputs.readOnly, true);
    assert.equal(await valueOf(stack.dockerHost), "ssh://ec2-user@203.0.113.10");
    assert.match(
      String(await valueOf(stack.sshCommand)),
      /^ssh -o StrictHostKeyChecking=yes .* ec2-user@203\.0\.113\.10$/,
    );
  });

  it("refuses secret env stored as plain text in the stack file", async () => {
    loadDevConfig({});
    pulumi.runtime.setAllConfig(
      {
        ...pulumi.runtime.allConfig(),
        "dockerhost:secretEnv": JSON.stringify({ api: { DATABASE_PASSWORD: "oops" } }),
      },
      [],
    );
    process.env.PULUMI_CONFIG_SECRET_KEYS = "[]";
    const { readContainers } = await import("../../stacks/config");
    assert.throws(() => readContainers(new pulumi.Config("dockerhost"), "dockerhost"), {
      message:
        "dockerhost:secretEnv: stored as plain text in the stack file. Remove it and set each value as a secret: pulumi config set --secret --path 'secretEnv.<container>.<VARIABLE>' <value>",
    });
  });
});
