import type { ContainerSpec, NetworkSpec, VolumeSpec } from "../core/container-spec";
import type { EdgeSpec } from "../core/edge-spec";
import { containerNetworks } from "./app-topology";
import { EDGE_DATA_VOLUME, EDGE_NETWORK, edgeContainerSpec } from "./edge-config";

// An app as the host runs it once containers are proxied: the edge's network joined by every
// proxied container (beside its own networks), the edge's data volume, and the edge container.
// Pure; DockerServices builds its resources from it, the hosts their firewall rules.

export interface HostedApp {
  containers: ContainerSpec[];
  networks: NetworkSpec[];
  volumes: VolumeSpec[];
  /** The edge's container, made after the routes it reads (edge.ts); none without proxies. */
  edge?: ContainerSpec;
}

export function hostedApp(
  component: string,
  app: { containers: ContainerSpec[]; networks?: NetworkSpec[]; volumes?: VolumeSpec[] },
  edge: EdgeSpec | undefined,
): HostedApp {
  const networks = app.networks ?? [];
  const volumes = app.volumes ?? [];
  if (!app.containers.some((c) => c.proxy))
    return { containers: app.containers, networks, volumes };
  return {
    containers: app.containers.map((c) =>
      c.proxy ? { ...c, networks: [...containerNetworks(c), { name: EDGE_NETWORK }] } : c,
    ),
    networks: [...networks, { name: EDGE_NETWORK }],
    volumes: [...volumes, { name: EDGE_DATA_VOLUME }],
    edge: edgeContainerSpec(component, edge),
  };
}

/** The containers whose ports the host's firewall opens: the edge's 80 and 443 among them. */
export function withEdge(
  component: string,
  containers: ContainerSpec[],
  edge: EdgeSpec | undefined,
): ContainerSpec[] {
  return containers.some((c) => c.proxy)
    ? [...containers, edgeContainerSpec(component, edge)]
    : containers;
}
