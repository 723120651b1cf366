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
      "PODINFO_PORT=3000",
      "PODINFO_LEVEL=info",
      "DATABASE_PASSWORD=from-secret-config",
    ]);
    expect(byName(recorded, "app-services-web").inputs.readOnly).toBe(true);
    // sshAccess: session: SSH names the instance, and Session Manager carries it.
    expect(await valueOf(stack.dockerHost)).toBe("ssh://ec2-user@i-0abc123");
    expect(String(await valueOf(stack.sshCommand))).toMatch(
      /^ssh -o StrictHostKeyChecking=yes .* -o 'ProxyCommand=aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-west-1' ec2-user@i-0abc123$/,
    );
    expect(byName(recorded, "app-ready").type).toBe("command:local:Command");
    expect(await valueOf(stack.dockerContext)).toBe("dev-app");
    expect(await valueOf(stack.sshConfigInclude)).toBe(
      `Include ${process.env.DOCKERHOST_STATE_DIR}/ssh/*.conf`,
    );
    const entry = JSON.parse(String(plain(byName(recorded, "app-workstation").inputs.stdin))) as {
      address: string;
      user: string;
      alias: string;
      proxyCommand: string;
    };
    expect([entry.alias, entry.address, entry.user, entry.proxyCommand]).toStrictEqual([
      "dockerhost-dev-app",
      "i-0abc123",
      "ec2-user",
      "aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-west-1",
    ]);
  });

  const read = async (values: Record<string, string>) => {
    const { readStack } = await import("../../stacks/config");
    return readStack({ project: "dockerhost", get: (key) => values[key], isSecret: () => false });
  };

  it("reads dockerContext as a flag, naming the key when it is not one", async () => {
    const local = { cloud: "local", sshPublicKey: DEPLOYER };
    expect((await read({ ...local, dockerContext: "false" })).args.dockerContext).toBe(false);
    expect((await read(local)).args.dockerContext).toBe(undefined);
    await expect(read({ ...local, dockerContext: "no" })).rejects.toThrow(
      new Error(
        'dockerhost:dockerContext: "no" is not true or false. Set it with: pulumi config set dockerContext true',
      ),
    );
  });

  it("reads bakeImage, and gives the image exactly the host settings that decide the install", async () => {
    const local = { cloud: "local", sshPublicKey: DEPLOYER };
    const plan = await read({
      ...local,
      bakeImage: "true",
      hardening: "strict",
      dockerVersion: "20.10.24+dfsg1-1+deb12u1",
      localImage: "/images/base.qcow2",
      localAccelerator: "tcg",
      localMemoryMb: "4096",
    });
    expect(plan.bake).toBe(true);
    expect((await read(local)).bake).toBe(undefined);
    const { imageArgsOf, localImageArgsOf } = await import("../../stacks/bake");
    expect(localImageArgsOf(plan.args as never)).toStrictEqual({
      os: undefined,
      arch: undefined,
      docker: { source: undefined, version: "20.10.24+dfsg1-1+deb12u1" },
      hardening: "strict",
      selinux: undefined,
      image: "/images/base.qcow2",
      accelerator: "tcg",
    });
    expect(
      imageArgsOf({ sshPublicKey: DEPLOYER, os: "rhel-9", selinux: "enforcing" }),
    ).toStrictEqual({
      os: "rhel-9",
      arch: undefined,
      docker: { source: undefined, version: undefined },
      hardening: undefined,
      selinux: "enforcing",
    });
    await expect(read({ ...local, bakeImage: "maybe" })).rejects.toThrow(
      new Error(
        'dockerhost:bakeImage: "maybe" is not true or false. Set it with: pulumi config set bakeImage true',
      ),
    );
  });

  it("asks for a key on a local stack without one, naming the command that makes one", async () => {
    await expect(read({ cloud: "local" })).rejects.toThrow(
      new Error(
        `dockerhost:sshPublicKey: not set. Set it with: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)" (or run npm run local once: it generates a key for this stack)`,
      ),
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
