import type * as pulumi from "@pulumi/pulumi";

// The shape of a service container, as users declare it. Structural fields (names, ports) are
// plain values so that conflicts are found at preview; values may be Pulumi inputs.

export const PortProtocol = { Tcp: "tcp", Udp: "udp" } as const;
export type PortProtocol = (typeof PortProtocol)[keyof typeof PortProtocol];

export interface ContainerPortSpec {
  /** Port inside the container. */
  internal: number;
  /** Port on the host; the same as `internal` when absent. */
  external?: number;
  protocol?: PortProtocol;
  /** Host address to bind; all addresses when absent. Use "127.0.0.1" for host-local ports. */
  hostIp?: string;
  /** Who may reach the port through the cloud firewall. None: the firewall stays closed. */
  allowedCidrs?: string[];
}

export interface ContainerVolumeSpec {
  containerPath: string;
  /** A bind mount of this host directory ... */
  hostPath?: string;
  /** ... or a named Docker volume (kept on the Docker data disk). */
  volumeName?: string;
  readOnly?: boolean;
  /** With SELinux, relabel shared (`:z`) so other containers may use it, instead of private (`:Z`). */
  shared?: boolean;
}

export interface ContainerHealthcheckSpec {
  /** Docker's form: ["CMD", "curl", "-f", "http://localhost/"] or ["CMD-SHELL", "..."]. */
  test: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  startPeriod?: string;
}

export const RestartPolicy = {
  No: "no",
  OnFailure: "on-failure",
  Always: "always",
  UnlessStopped: "unless-stopped",
} as const;
export type RestartPolicy = (typeof RestartPolicy)[keyof typeof RestartPolicy];
export const RESTART_POLICIES: readonly RestartPolicy[] = Object.values(RestartPolicy);

export interface ContainerSpec {
  /** Container name on the host; also names its Pulumi resources. */
  name: string;
  image: pulumi.Input<string>;
  command?: string[];
  ports?: ContainerPortSpec[];
  env?: Record<string, pulumi.Input<string>>;
  /** Values must be Pulumi secrets; they stay encrypted in state. */
  secretEnv?: Record<string, pulumi.Input<string>>;
  volumes?: ContainerVolumeSpec[];
  /** Default `unless-stopped`: restarts on failure and comes back after a reboot. */
  restart?: RestartPolicy;
  healthcheck?: ContainerHealthcheckSpec;
  /** Memory limit in MiB (default 512). */
  memoryMb?: number;
  /** CPU limit, e.g. "0.5". */
  cpus?: string;
  labels?: Record<string, string>;
  user?: string;
  /** Root filesystem read-only; the `strict` profile's default. /tmp stays writable (tmpfs). */
  readOnlyRootFs?: boolean;
  /** Capabilities added back; all others are dropped. */
  capAdd?: string[];
}

export interface RegistryAuthSpec {
  /** Registry host, e.g. "ghcr.io" or "123456789012.dkr.ecr.eu-west-1.amazonaws.com". */
  address: string;
  username: pulumi.Input<string>;
  /** Must be a Pulumi secret. */
  password: pulumi.Input<string>;
}

export const DEFAULT_MEMORY_MB = 512;
export const DEFAULT_RESTART: RestartPolicy = "unless-stopped";
