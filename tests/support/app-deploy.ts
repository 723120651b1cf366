import type { ContainerSpec, NetworkSpec, VolumeSpec } from "../../components/host/container-spec";
import {
  appNetworks,
  containerNetworks,
  dockerObjectName,
  startOrder,
} from "../../components/host/app-topology";
import { healthGateScript } from "../../components/host/health-gate";
import { MANAGED_BY_LABEL } from "../../components/host/container-args";
import { SERVICE_DEFAULTS } from "./guest-boot";

// An app of several containers deployed with the docker CLI over ssh:// in the steps the
// component's resources take: its networks and volumes (named as DockerServices names them),
// then each container in start order (created, off the default bridge, joined to its networks
// with its aliases, started, the same security defaults), each healthchecked one passing the
// health gate's script over SSH before the containers that depend on it start.

export interface TestApp {
  component: string;
  networks: NetworkSpec[];
  volumes: VolumeSpec[];
  /** Healthchecks here are shell text (the CLI's --health-cmd), in `healthcheck.test[1]`. */
  containers: ContainerSpec[];
}

interface Engine {
  docker(args: string[], timeoutMs?: number): Promise<string>;
  ssh(command: string, timeoutMs?: number): Promise<string>;
}

export async function createAppObjects(engine: Engine, app: TestApp): Promise<void> {
  for (const net of appNetworks(app.networks, app.containers))
    await engine.docker([
      "network",
      "create",
      "--driver",
      "bridge",
      ...(net.internal ? ["--internal"] : []),
      "--label",
      `${MANAGED_BY_LABEL}=pulumi`,
      dockerObjectName(app.component, net.name),
    ]);
  for (const vol of app.volumes)
    await engine.docker([
      "volume",
      "create",
      "--label",
      `${MANAGED_BY_LABEL}=pulumi`,
      dockerObjectName(app.component, vol.name),
    ]);
}

/** One container as the provider makes it: created, networks joined, started; then its gate. */
export async function runAppContainer(
  engine: Engine,
  app: TestApp,
  spec: ContainerSpec,
  image: string,
): Promise<void> {
  const [first, ...rest] = containerNetworks(spec);
  const aliases = (n: { aliases?: string[] }) =>
    [spec.name, ...(n.aliases ?? [])].flatMap((a) => ["--network-alias", a]);
  const hc = spec.healthcheck;
  await engine.docker([
    "create",
    "--name",
    spec.name,
    "--network",
    dockerObjectName(app.component, first.name),
    ...aliases(first),
    ...(spec.volumes ?? []).flatMap((v) => [
      "--mount",
      `type=volume,source=${dockerObjectName(app.component, v.volumeName ?? "")},target=${v.containerPath}`,
    ]),
    ...(hc
      ? [
          "--health-cmd",
          hc.test[1] ?? "",
          "--health-interval",
          hc.interval ?? "2s",
          "--health-retries",
          String(hc.retries ?? 3),
        ]
      : []),
    ...SERVICE_DEFAULTS,
    image,
  ]);
  for (const n of rest)
    await engine.docker([
      "network",
      "connect",
      ...aliases(n).map((a) => (a === "--network-alias" ? "--alias" : a)),
      dockerObjectName(app.component, n.name),
      spec.name,
    ]);
  await engine.docker(["start", spec.name]);
  if (hc) await engine.ssh(healthGateScript(spec.name), 5 * 60_000);
}

export async function deployApp(engine: Engine, app: TestApp, image: string): Promise<void> {
  await createAppObjects(engine, app);
  for (const spec of startOrder(app.containers)) await runAppContainer(engine, app, spec, image);
}
