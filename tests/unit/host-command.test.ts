import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  TEST_CONNECTION,
  byName,
  isSecretInput,
  optionsRecorder,
  plain,
  settle,
  useMocks,
} from "../support/pulumi-mocks";

const recorded = useMocks();
// Imported after the mocks are in place, as the stack program would be.
import { hostCommand } from "../../components/remote/host-command";

// One step, both ways: the options the caller gave stay, and a session's secret environment is
// added to the caller's secret outputs, not put in their place.
function build(name: string, access: "direct" | "session") {
  const options = optionsRecorder();
  const parent = new pulumi.ComponentResource(
    "test:index:Parent",
    name,
    {},
    { transformations: [options.record] },
  );
  hostCommand(
    `${name}-step`,
    {
      connection: pulumi.output(
        access === "session"
          ? { ...TEST_CONNECTION, proxyCommand: "stand-in %h %p" }
          : TEST_CONNECTION,
      ),
      access,
      create: "docker swarm join-token -q worker",
      delete: "true",
      logging: "stderr",
      triggers: ["t1"],
    },
    { parent, additionalSecretOutputs: ["stdout"] },
  );
  return options;
}

describe("hostCommand", () => {
  it("is a remote.Command for direct access, with the caller's options", async () => {
    const options = build("d1", "direct");
    await settle(recorded);
    const step = byName(recorded, "d1-step");
    expect(step.type).toBe("command:remote:Command");
    expect(step.inputs).toMatchObject({
      create: "docker swarm join-token -q worker",
      delete: "true",
      logging: "stderr",
      triggers: ["t1"],
    });
    // The SDK adds "connection" to every remote.Command (@pulumi/command remote/command.js).
    expect(options.byName.get("d1-step")?.additionalSecretOutputs).toStrictEqual([
      "stdout",
      "connection",
    ]);
  });

  it("is a local.Command over a session, its environment secret beside the caller's outputs", async () => {
    const options = build("s1", "session");
    await settle(recorded);
    const step = byName(recorded, "s1-step");
    expect(step.type).toBe("command:local:Command");
    expect(step.inputs).toMatchObject({ logging: "stderr", triggers: ["t1"] });
    expect(String(step.inputs.create)).toContain("'docker swarm join-token -q worker'");
    expect(String(step.inputs.delete)).toContain(` -- "$DOCKERHOST_SSH_TARGET" true 2>`);
    expect(isSecretInput(step.inputs.environment)).toBe(true);
    expect(plain(step.inputs.environment)).toMatchObject({
      DOCKERHOST_SSH_TARGET: "debian@198.51.100.20",
      DOCKERHOST_SSH_PORT: "2222",
      DOCKERHOST_SSH_PROXY: "stand-in %h %p",
      DOCKERHOST_SSH_KEY: "PRIVATE",
    });
    expect(options.byName.get("s1-step")?.additionalSecretOutputs).toStrictEqual([
      "stdout",
      "environment",
    ]);
  });
});
