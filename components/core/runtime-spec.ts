import type * as pulumi from "@pulumi/pulumi";
import type { ContainerHealthcheckSpec, ContainerNetworkSpec } from "./container-spec";

// What a container (ContainerSpec) and a swarm service (SwarmServiceSpec) declare alike: the
// process, its limits and its networks, written once. Each spec adds its own name, image, ports,
// volumes and secrets, whose meanings differ (a swarm's secrets are Docker secrets, its volumes
// each node's own).

export interface RuntimeSpec {
  command?: string[];
  env?: Record<string, pulumi.Input<string>>;
  healthcheck?: ContainerHealthcheckSpec;
  /** Memory limit in MiB, of the container or of each task of a service (default 512). */
  memoryMb?: number;
  /** CPU limit, of the container or of each task of a service, e.g. "0.5". */
  cpus?: string;
  labels?: Record<string, string>;
  user?: string;
  /** Root filesystem read-only; the `strict` profile's default. /tmp stays writable (tmpfs). */
  readOnlyRootFs?: boolean;
  /** Capabilities added back; all others are dropped. */
  capAdd?: string[];
  /**
   * The networks it joins (absent: the component's "default" network only), overlay networks
   * for a swarm service; two meet only on a network they share.
   */
  networks?: ContainerNetworkSpec[];
}
