import { describe, expect, it } from "@jest/globals";
import type * as pulumi from "@pulumi/pulumi";
import { byName, plain, settle, useMocks, valueOf } from "../support/pulumi-mocks";
import { loadStackConfig } from "../support/stack-config";

const recorded = useMocks("dev-azure");

describe("the dev-azure stack (Pulumi.dev-azure.yaml)", () => {
  it("builds the same host and containers on Azure, with the same outputs", async () => {
    loadStackConfig("Pulumi.dev-azure.yaml", {
      "dockerhost:sshPrivateKey":
        "-----BEGIN OPENSSH PRIVATE KEY-----\nk\n-----END OPENSSH PRIVATE KEY-----\n",
      "dockerhost:secretEnv": JSON.stringify({ api: { DATABASE_PASSWORD: "from-secret-config" } }),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stack = require("../../stacks/index") as Record<string, pulumi.Output<unknown>>;
    expect(await valueOf(stack.endpoints)).toStrictEqual({
      web: ["20.50.60.70:80"],
      api: ["127.0.0.1:3000"],
    });
    await settle(recorded);
    const vm = byName(recorded, "app-vm").inputs;
    expect(vm.hardwareProfile).toStrictEqual({ vmSize: "Standard_D2s_v5" });
    expect((plain(vm.osProfile) as Record<string, unknown>).adminUsername).toBe("azureuser");
    expect(plain(byName(recorded, "app-services-api").inputs.envs)).toStrictEqual([
      "PODINFO_PORT=3000",
      "PODINFO_LEVEL=info",
      "DATABASE_PASSWORD=from-secret-config",
    ]);
    expect(await valueOf(stack.dockerHost)).toBe("ssh://azureuser@20.50.60.70");
  });
});
