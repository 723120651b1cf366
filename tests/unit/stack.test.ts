import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { byName, isSecretInput, plain, settle, useMocks, valueOf } from "../support/pulumi-mocks";
import { loadStackConfig } from "../support/stack-config";

const DEPLOYER =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com";

const recorded = useMocks("dev");

describe("the dev stack (Pulumi.dev.yaml)", () => {
  it("builds one AWS host with the two declared containers and exports its outputs", async () => {
    loadStackConfig("Pulumi.dev.yaml", {
      "dockerhost:sshPrivateKey":
        "-----BEGIN OPENSSH PRIVATE KEY-----\nk\n-----END OPENSSH PRIVATE KEY-----\n",
      "dockerhost:secretEnv": JSON.stringify({ api: { DATABASE_PASSWORD: "from-secret-config" } }),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stack = require("../../stacks/index") as Record<string, pulumi.Output<unknown>>;
    expect(await valueOf(stack.endpoints)).toStrictEqual({
      web: ["203.0.113.10:80"],
      api: ["127.0.0.1:3000"],
    });
    await valueOf(stack.dockerVersion);
    await settle(recorded);
    const instance = byName(recorded, "app-instance").inputs;
    expect(instance.instanceType).toBe("t4g.small");
    expect(instance.ami).toBe(
      "ami-from-ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
    expect(
      String(plain(instance.userData)).includes(
        "AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example.com",
      ),
    ).toBeTruthy();
    const api = byName(recorded, "app-services-api").inputs;
    expect(isSecretInput(api.envs)).toBe(true);
    expect(plain(api.envs)).toStrictEqual([
      "NODE_ENV=production",
      "LOG_LEVEL=info",
      "DATABASE_PASSWORD=from-secret-config",
    ]);
    expect(byName(recorded, "app-services-web").inputs.readOnly).toBe(true);
    expect(await valueOf(stack.dockerHost)).toBe("ssh://ec2-user@203.0.113.10");
    expect(String(await valueOf(stack.sshCommand))).toMatch(
      /^ssh -o StrictHostKeyChecking=yes .* ec2-user@203\.0\.113\.10$/,
    );
  });

  it("refuses secret env stored as plain text in the stack file", async () => {
    const { readStack } = await import("../../stacks/config");
    const source = {
      project: "dockerhost",
      get: (key: string) =>
        ({
          cloud: "aws",
          sshPublicKey: DEPLOYER,
          sshAllowedCidrs: '["203.0.113.7/32"]',
          containers: '[{"name":"api","image":"api:1"}]',
          secretEnv: '{"api":{"DATABASE_PASSWORD":"oops"}}',
        })[key],
      isSecret: () => false,
    };
    expect(() => readStack(source)).toThrow(
      new Error(
        "dockerhost:secretEnv: stored as plain text in the stack file. Remove it and set it as a secret: pulumi config set --secret --path 'secretEnv.<container>.<VARIABLE>' <value>",
      ),
    );
  });
});
