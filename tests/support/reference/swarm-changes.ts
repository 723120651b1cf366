import * as pulumi from "@pulumi/pulumi";
import type { DockerSwarmArgs, SwarmNodeArgs } from "../../../components/swarm/swarm-args";
import { HOST_PUBLIC_KEY } from "../pulumi-mocks";
import type { ChangeRun } from "./field-changes";
import { hostRuns, type HostChange } from "./host-changes";

// A DockerSwarm's inputs, one change each. Deployed: three managers and a worker, each node a
// host as the stack's fleet passes it (connection, private address, gate, machine id).

const node = (name: string, role: SwarmNodeArgs["role"], n: number): SwarmNodeArgs => ({
  name,
  role,
  connection: {
    host: `198.51.100.${n}`,
    user: "debian",
    hostPublicKey: HOST_PUBLIC_KEY,
    privateKey: pulumi.secret("PRIVATE"),
  },
  privateAddress: pulumi.output(`10.0.1.${n}`),
  ready: pulumi.output("27.3.1"),
  machineId: pulumi.output(`i-0${n}`),
});

const NODES = [
  node("m1", "manager", 11),
  node("m2", "manager", 12),
  node("m3", "manager", 13),
  node("w1", "worker", 21),
];

export const SWARM_DEPLOYED: DockerSwarmArgs = { nodes: NODES };

export const SWARM_CHANGES: Record<keyof DockerSwarmArgs, HostChange<DockerSwarmArgs>> = {
  nodes: { change: { nodes: [...NODES, node("w2", "worker", 22)] }, shown: "worker `w2` added" },
  autolock: { change: { autolock: true } },
  managersRunTasks: { change: { managersRunTasks: true } },
  rotateJoinTokens: { change: { rotateJoinTokens: "2026-12-07" } },
};

export function swarmRuns(): ChangeRun[] {
  return hostRuns(SWARM_DEPLOYED, SWARM_CHANGES, (m, args) => [
    new m.DockerSwarm("sw", args).nodeIds as pulumi.Output<unknown>,
  ]);
}
