import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  HOST_PUBLIC_KEY,
  byName,
  isSecretInput,
  optionsRecorder,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { DockerSwarm, type SwarmNodeArgs } from "../../components/swarm/docker-swarm";
import { SwarmServices } from "../../components/swarm/swarm-services";
import { sessionScript } from "../../components/remote/session-transport";
import { nodeRetireScript, swarmInitScript } from "../../components/swarm/swarm-commands";

// A fleet of AwsDockerHosts with sshAccess "session": every swarm step reaches its node through
// the node's ProxyCommand, as the host's own steps do (host-command.ts), the key still pinned.

const PROXY =
  "aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-west-1";
const DIAL = { attempts: 10, timeoutSeconds: 15 };
const { byName: optionsByName, record: recordOptions } = optionsRecorder();

const node = (name: string, role: SwarmNodeArgs["role"], n: number): SwarmNodeArgs => ({
  name,
  role,
  sshAccess: "session",
  connection: {
    host: `i-0000000000000000${n}`,
    user: "ec2-user",
    hostPublicKey: HOST_PUBLIC_KEY,
    privateKey: pulumi.secret("PRIVATE"),
    proxyCommand: PROXY,
  },
  privateAddress: pulumi.output(`10.0.1.${n}`),
  ready: pulumi.output("25.0.8"),
});

describe("a swarm over sessions", () => {
  it("runs every step as the system ssh through the node's ProxyCommand, the environment secret", async () => {
    const swarm = new DockerSwarm(
      "ss",
      {
        nodes: [
          node("m1", "manager", 1),
          node("m2", "manager", 2),
          node("m3", "manager", 3),
          node("w1", "worker", 4),
        ],
      },
      { transformations: [recordOptions] },
    );
    await valueOf(swarm.nodeIds);
    await settle(recorded);
    const mine = recorded.filter((r) => r.name.startsWith("ss-"));
    expect(new Set(mine.map((r) => r.type))).toStrictEqual(new Set(["command:local:Command"]));
    expect(mine.map((r) => r.name).sort()).toStrictEqual([
      "ss-m1-admit",
      "ss-m1-init",
      "ss-m2-admit",
      "ss-m2-join",
      "ss-m2-rejoin-token",
      "ss-m3-admit",
      "ss-m3-join",
      "ss-m3-rejoin-token",
      "ss-manager-token",
      "ss-w1-admit",
      "ss-w1-join",
      "ss-worker-token",
    ]);
    const init = byName(mine, "ss-m1-init").inputs;
    expect(plain(init.create)).toBe(
      sessionScript(
        swarmInitScript("m1", { address: "10.0.1.1", availability: "drain" }, false, true),
        DIAL,
      ),
    );
    // Each step on its own node: m2's join dials m2, the admission steps all dial m1.
    const target = (name: string) =>
      (plain(byName(mine, name).inputs.environment) as Record<string, string>)
        .DOCKERHOST_SSH_TARGET;
    expect(target("ss-m2-join")).toBe("ec2-user@i-00000000000000002");
    expect(target("ss-w1-admit")).toBe("ec2-user@i-00000000000000001");
    for (const r of mine) {
      expect(isSecretInput(r.inputs.environment)).toBe(true);
      expect((plain(r.inputs.environment) as Record<string, string>).DOCKERHOST_SSH_PROXY).toBe(
        PROXY,
      );
    }
    // A token's read stays secret in state, and so does the environment carrying the key.
    expect(optionsByName.get("ss-worker-token")?.additionalSecretOutputs).toStrictEqual([
      "stdout",
      "environment",
    ]);
    // The retirement (an Output: the node's id) runs over the session too.
    expect(plain(byName(mine, "ss-w1-admit").inputs.delete)).toBe(
      sessionScript(nodeRetireScript("w1", "id-ss-w1"), DIAL),
    );
  });

  it("waits for a global service's convergence through the manager's session", async () => {
    const services = new SwarmServices("sv", {
      connection: node("m1", "manager", 1).connection,
      sshAccess: "session",
      services: [{ name: "agent", image: "busybox:1.36", global: true }],
    });
    await valueOf(services.serviceIds);
    await settle(recorded);
    const converged = byName(recorded, "sv-agent-converged");
    expect(converged.type).toBe("command:local:Command");
    expect(isSecretInput(converged.inputs.environment)).toBe(true);
  });
});
