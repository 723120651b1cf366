import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { readStack, type ConfigSource } from "../../stacks/config";
import { fleetMembers } from "../../stacks/fleet";
import { toConfigProblem } from "../../stacks/config-keys";
import { configProblems } from "../support/config-problems";
import { DEPLOYER_PUBLIC_KEY } from "../support/pulumi-mocks";

// `dockerhost:fleet` and `dockerhost:services` as the stack reads them: every refusal exact.

function source(values: Record<string, unknown>): ConfigSource {
  const text: Record<string, string> = { sshPublicKey: DEPLOYER_PUBLIC_KEY };
  for (const [k, v] of Object.entries(values))
    text[k] = typeof v === "string" ? v : JSON.stringify(v);
  return { project: "dockerhost", get: (key) => text[key], isSecret: () => false };
}

const WEB = { name: "web", image: "nginx:1.27", ports: [{ internal: 80, mode: "ingress" }] };

describe("a stack's fleet config", () => {
  it("reads managers and workers (1 manager, no workers by default) and the services", () => {
    const plan = readStack(
      source({ cloud: "aws", fleet: { managers: 3, workers: 2 }, services: [WEB] }),
    );
    expect(plan.fleet).toStrictEqual({ managers: 3, workers: 2, services: [WEB] });
    expect(fleetMembers(plan.fleet!)).toStrictEqual([
      { node: "m1", role: "manager" },
      { node: "m2", role: "manager" },
      { node: "m3", role: "manager" },
      { node: "w1", role: "worker" },
      { node: "w2", role: "worker" },
    ]);
    expect(readStack(source({ cloud: "azure", fleet: { workers: 0 } })).fleet).toStrictEqual({
      managers: 1,
      workers: 0,
      services: [],
    });
    // `{}` is Pulumi.yaml's default, which the CLI hands to every stack that leaves fleet unset.
    expect(readStack(source({ cloud: "azure", fleet: {} })).fleet).toBeUndefined();
    expect(readStack(source({ cloud: "aws" })).fleet).toBeUndefined();
    // A local fleet: VMs on one bus on this machine (stack-fleet-local.test.ts).
    expect(
      readStack(source({ cloud: "local", fleet: { managers: 1, workers: 1 } })).fleet,
    ).toStrictEqual({ managers: 1, workers: 1, services: [] });
  });

  it("gives a fleet's service its secretEnv from dockerhost:secretEnv, as Pulumi secrets", async () => {
    const values = {
      cloud: "aws",
      fleet: { managers: 1 },
      services: [WEB],
      secretEnv: { web: { DB_PASSWORD: "s3cr3t" } },
    };
    const secret: ConfigSource = { ...source(values), isSecret: (k) => k === "secretEnv" };
    const service = readStack(secret).fleet!.services[0];
    const value = service.secretEnv!.DB_PASSWORD as pulumi.Output<string>;
    expect(await pulumi.isSecret(value)).toBe(true);
    expect(await new Promise((r) => value.apply(r))).toBe("s3cr3t");
    expect(
      configProblems(() =>
        readStack({
          ...secret,
          get: (k) =>
            k === "secretEnv" ? JSON.stringify({ api: { X: "y" } }) : source(values).get(k),
        }),
      ),
    ).toStrictEqual([
      'dockerhost:secretEnv.api: no container named "api" in dockerhost:containers, nor a service in dockerhost:services.',
    ]);
  });

  it("words a service's plain-text secretEnv as the config command that sets it as a secret", () => {
    const plan = readStack(source({ cloud: "aws", fleet: { managers: 1 }, services: [WEB] }));
    expect(
      toConfigProblem(
        "services[0].secretEnv.DB_PASSWORD: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)) so it stays encrypted in state.",
        plan,
        "dockerhost",
      ),
    ).toBe(
      "dockerhost:secretEnv.web.DB_PASSWORD: passed as plain text. Remove it from dockerhost:services and set it as a secret: pulumi config set --secret --path 'secretEnv.web.DB_PASSWORD' <value>",
    );
  });

  it("reads rotateJoinTokens, and refuses one that is not a text", () => {
    expect(
      readStack(source({ cloud: "aws", fleet: { managers: 3, rotateJoinTokens: "2026-12-02" } }))
        .fleet,
    ).toStrictEqual({ managers: 3, workers: 0, services: [], rotateJoinTokens: "2026-12-02" });
    expect(
      configProblems(() =>
        readStack(source({ cloud: "aws", fleet: { managers: 3, rotateJoinTokens: 20261202 } })),
      ),
    ).toStrictEqual([
      'dockerhost:fleet.rotateJoinTokens: 20261202 is not a text. Set a new value (e.g. today\'s date, "2026-12-02") each time the tokens should rotate.',
    ]);
  });

  it.each([
    [
      "an even manager count",
      { cloud: "aws", fleet: { managers: 2 } },
      "dockerhost:fleet.managers: 2 is not a manager count. Use 1, 3, 5 or 7: the swarm needs a majority of its managers, so an even count survives no more losses than one fewer, and more than 7 slows every write.",
    ],
    [
      "more than 7 managers",
      { cloud: "aws", fleet: { managers: 9 } },
      "dockerhost:fleet.managers: 9 is not a manager count. Use 1, 3, 5 or 7: the swarm needs a majority of its managers, so an even count survives no more losses than one fewer, and more than 7 slows every write.",
    ],
    [
      "no managers",
      { cloud: "aws", fleet: { managers: 0, workers: 2 } },
      "dockerhost:fleet.managers: 0 is not a manager count. Use 1, 3, 5 or 7: the swarm needs a majority of its managers, so an even count survives no more losses than one fewer, and more than 7 slows every write.",
    ],
    [
      "a worker count that is not a whole number",
      { cloud: "azure", fleet: { workers: "two" } },
      'dockerhost:fleet.workers: "two" is not a whole number of workers.',
    ],
    [
      "a setting a fleet does not have",
      { cloud: "aws", fleet: { managers: 1, target: "azure" } },
      "dockerhost:fleet.target: not a fleet setting. Use managers, workers and rotateJoinTokens.",
    ],
    [
      "a fleet that is not a map",
      { cloud: "aws", fleet: [3, 2] },
      "dockerhost:fleet: must be a map, e.g. { managers: 3, workers: 2 }.",
    ],
    [
      "plain containers in a fleet",
      { cloud: "aws", fleet: { managers: 1 }, containers: [{ name: "web", image: "nginx:1.27" }] },
      "dockerhost:containers: a fleet runs swarm services, not plain containers. List them under dockerhost:services (each published port with mode: ingress or host).",
    ],
    [
      "services without a fleet",
      { cloud: "aws", services: [WEB] },
      "dockerhost:services: swarm services need a fleet. Set dockerhost:fleet (managers: 1 makes a one-host swarm), or list plain containers under dockerhost:containers.",
    ],
  ])("refuses %s, naming the key", (_, config, problem) => {
    expect(configProblems(() => readStack(source(config)))).toStrictEqual([problem]);
  });
});
