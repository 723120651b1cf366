import * as pulumi from "@pulumi/pulumi";
import { DEPLOYER_PUBLIC_KEY, settle, valueOf, type RecordedResource } from "./pulumi-mocks";

/**
 * A strict 3-manager + 2-worker fleet's stack config on `cloud`, with one swarm service; `extra`
 * keys (without the project prefix) added or overriding.
 */
export function setFleetStackConfig(
  cloud: "aws" | "azure" | "local",
  extra: Record<string, unknown> = {},
): void {
  const config: Record<string, unknown> = {
    "dockerhost:cloud": cloud,
    "dockerhost:hostName": "app",
    "dockerhost:os": "debian-12",
    "dockerhost:hardening": "strict",
    "dockerhost:sshPublicKey": DEPLOYER_PUBLIC_KEY,
    "dockerhost:sshPrivateKey":
      "-----BEGIN OPENSSH PRIVATE KEY-----\nk\n-----END OPENSSH PRIVATE KEY-----\n",
    "dockerhost:sshAllowedCidrs": ["203.0.113.7/32"],
    "dockerhost:fleet": { managers: 3, workers: 2 },
    "dockerhost:services": [
      {
        name: "web",
        image: "nginxinc/nginx-unprivileged:1.27-alpine@sha256:" + "a".repeat(64),
        replicas: 4,
        user: "101",
        cpus: "0.5",
        ports: [{ internal: 8080, external: 80, mode: "ingress" }],
        healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"] },
      },
    ],
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`dockerhost:${k}`, v])),
  };
  const text = Object.fromEntries(
    Object.entries(config)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  pulumi.runtime.setAllConfig(text, ["dockerhost:sshPrivateKey"]);
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(["dockerhost:sshPrivateKey"]);
}

/** The members' node names, managers first. */
export const FLEET_NODES = ["m1", "m2", "m3", "w1", "w2"] as const;

/** The commands DockerSwarm runs for that fleet. */
export const FLEET_COMMANDS = [
  "app-swarm-m1-admit",
  "app-swarm-m1-init",
  "app-swarm-m2-admit",
  "app-swarm-m2-join",
  "app-swarm-m2-rejoin-token",
  "app-swarm-m3-admit",
  "app-swarm-m3-join",
  "app-swarm-m3-rejoin-token",
  "app-swarm-manager-token",
  "app-swarm-unlock-key",
  "app-swarm-w1-admit",
  "app-swarm-w1-join",
  "app-swarm-w2-admit",
  "app-swarm-w2-join",
  "app-swarm-worker-token",
];

/** The stack program run on that config, settled: its outputs, and the names built per type. */
export async function runFleetStack(
  cloud: "aws" | "azure" | "local",
  recorded: RecordedResource[],
  extra: Record<string, unknown> = {},
): Promise<{ stack: Record<string, pulumi.Output<unknown>>; of: (type: string) => string[] }> {
  setFleetStackConfig(cloud, extra);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stack = require("../../stacks/index") as Record<string, pulumi.Output<unknown>>;
  await valueOf(stack.nodeIds);
  await valueOf(stack.endpoints);
  await settle(recorded);
  const of = (type: string) =>
    recorded
      .filter((r) => r.type === type)
      .map((r) => r.name)
      .sort();
  return { stack, of };
}
