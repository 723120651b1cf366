import type { ContainerNetworkSpec, ContainerSpec, NetworkSpec } from "../core/container-spec";

// Which networks and volumes an app of several containers has, and which each container joins:
// pure, so the resource code only turns it into docker.Network / docker.Volume / Container.

export const PROJECT_NETWORK = "default";

/** Docker's names for a component's networks and volumes: `<component>_<name>`, as compose does. */
export function dockerObjectName(component: string, name: string): string {
  return `${component}_${name}`;
}

/** The networks a container joins: its own list, or the project network. */
export function containerNetworks(spec: ContainerSpec): ContainerNetworkSpec[] {
  return spec.networks?.length ? spec.networks : [{ name: PROJECT_NETWORK }];
}

/**
 * Every network the app needs: the declared ones, and the project network when a container
 * joins it without declaring it (then with Docker's defaults: not internal).
 */
export function appNetworks(declared: NetworkSpec[], containers: ContainerSpec[]): NetworkSpec[] {
  const used = containers.some((c) => containerNetworks(c).some((n) => n.name === PROJECT_NETWORK));
  const hasProject = declared.some((n) => n.name === PROJECT_NETWORK);
  return used && !hasProject ? [{ name: PROJECT_NETWORK }, ...declared] : declared;
}

/** A cycle in dependsOn, as the names from one container back to itself; undefined when none. */
/** What starts before a container: those it waits on healthy, or completed, or only starts after. */
export function prerequisites(c: ContainerSpec): string[] {
  return [...(c.dependsOn ?? []), ...(c.afterCompleted ?? []), ...(c.startAfter ?? [])];
}

export function dependencyCycle(containers: ContainerSpec[]): string[] | undefined {
  const deps = new Map(containers.map((c) => [c.name, prerequisites(c)]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done" || !deps.has(name)) return undefined;
    if (state.get(name) === "visiting") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "visiting");
    path.push(name);
    // A container naming itself is refused on its own (validate-app.ts).
    for (const dep of (deps.get(name) ?? []).filter((d) => d !== name)) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const c of containers) {
    const cycle = visit(c.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The containers, each after those it depends on; otherwise in the order given. No cycles (checked before). */
export function startOrder(containers: ContainerSpec[]): ContainerSpec[] {
  const byName = new Map(containers.map((c) => [c.name, c]));
  const ordered: ContainerSpec[] = [];
  const placed = new Set<string>();
  const place = (c: ContainerSpec): void => {
    if (placed.has(c.name)) return;
    placed.add(c.name);
    for (const dep of prerequisites(c)) {
      const target = byName.get(dep);
      if (target) place(target);
    }
    ordered.push(c);
  };
  containers.forEach(place);
  return ordered;
}
