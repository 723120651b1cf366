import type * as pulumi from "@pulumi/pulumi";
import type { ContainerVolumeSpec, PortProtocol } from "./container-spec";
import type { RuntimeSpec } from "./runtime-spec";

// A service on a swarm, as users declare it: the container vocabulary of DockerServices where it
// maps, plus what only a swarm has (replicas, placement, rolling updates and rollback).

export const PublishMode = {
  /** The routing mesh: the port answers on every node and reaches a task on any of them. */
  Ingress: "ingress",
  /** Only on the nodes that run a task, straight to that task (global services, one per node). */
  Host: "host",
} as const;
export type PublishMode = (typeof PublishMode)[keyof typeof PublishMode];

export interface SwarmPortSpec {
  /** Port inside the container. */
  internal: number;
  /** Port on the swarm's nodes; the same as `internal` when absent. */
  external?: number;
  protocol?: PortProtocol;
  /** Required: a published port answers on every node (ingress) or on its task's node (host). */
  mode: PublishMode;
}

export const UpdateOrder = { StartFirst: "start-first", StopFirst: "stop-first" } as const;
export type UpdateOrder = (typeof UpdateOrder)[keyof typeof UpdateOrder];

export const UpdateFailureAction = {
  Rollback: "rollback",
  Pause: "pause",
  Continue: "continue",
} as const;
export type UpdateFailureAction = (typeof UpdateFailureAction)[keyof typeof UpdateFailureAction];

/** How an update rolls through the tasks. */
export interface UpdatePolicySpec {
  /** Tasks updated at once (default 1). */
  parallelism?: number;
  /** Wait between batches (default "5s"). */
  delay?: string;
  /** Default "start-first": the new task runs (and is healthy) before the old one stops. */
  order?: UpdateOrder;
  /** How long each new task is watched for failure (default "30s"). */
  monitor?: string;
  /** Default "rollback": a failed update returns to the previous spec by itself. */
  failureAction?: UpdateFailureAction;
  /** Share of failed tasks tolerated, "0" to "1" (default "0"). */
  maxFailureRatio?: string;
}

export const RollbackFailureAction = { Pause: "pause", Continue: "continue" } as const;
export type RollbackFailureAction =
  (typeof RollbackFailureAction)[keyof typeof RollbackFailureAction];

/** How a rollback rolls through the tasks. */
export interface RollbackPolicySpec {
  parallelism?: number;
  delay?: string;
  order?: UpdateOrder;
  monitor?: string;
  failureAction?: RollbackFailureAction;
  maxFailureRatio?: string;
}

export interface SwarmServiceSpec extends RuntimeSpec {
  /** The service's name; Docker names it `<component>_<name>`, and other services reach it by it. */
  name: string;
  /** An image from a registry every node can pull from (or that every node holds). */
  image: pulumi.Input<string>;
  ports?: SwarmPortSpec[];
  /**
   * Values must be Pulumi secrets. Each becomes a Docker secret, mounted in the task as the file
   * `/run/secrets/<KEY>` (never an environment variable, so never in `docker inspect`).
   */
  secretEnv?: Record<string, pulumi.Input<string>>;
  /** Named volumes (`volumeName`, local to each node) or bind mounts (`hostPath`). */
  volumes?: ContainerVolumeSpec[];
  /** Tasks to run (default 1); not with `global`. */
  replicas?: number;
  /** One task on every node that the placement allows, instead of `replicas`. */
  global?: boolean;
  /** Placement constraints, Docker's form: "node.role==worker", "node.labels.dockerhost.node==w1". */
  placement?: string[];
  update?: UpdatePolicySpec;
  rollback?: RollbackPolicySpec;
}

/** An overlay network of one SwarmServices; Docker names it `<component>_<name>`. */
export interface SwarmNetworkSpec {
  name: string;
  /** Nothing its tasks send leaves the network. */
  internal?: boolean;
}

export const DEFAULT_UPDATE: Required<UpdatePolicySpec> = {
  parallelism: 1,
  delay: "5s",
  order: "start-first",
  monitor: "30s",
  failureAction: "rollback",
  maxFailureRatio: "0",
};

export const DEFAULT_ROLLBACK: Required<RollbackPolicySpec> = {
  parallelism: 1,
  delay: "0s",
  order: "start-first",
  monitor: "30s",
  failureAction: "pause",
  maxFailureRatio: "0",
};
