import type {
  ContainerHealthcheckSpec,
  ContainerSpec,
  NetworkSpec,
  VolumeSpec,
} from "../../components/core/container-spec";
import {
  appNetworks,
  containerNetworks,
  dockerObjectName,
  startOrder,
} from "../../components/services/app-topology";
import { healthGateScript } from "../../components/services/health-gate";
import { MANAGED_BY_LABEL } from "../../components/services/container-args";
import { SERVICE_DEFAULTS } from "./guest-boot";
import { buildDigest, buildPaths, builtImageName } from "../../components/services/build-context";

// An app of several containers deployed with the docker CLI over ssh:// in the steps the
// component's resources take: its networks and volumes (named as DockerServices names them),
// each built image (named by its build digest, built by the host's engine only when no image of
// that name is there: the provider's "no diff"), then each container in start order (created,
// off the default bridge, joined to its networks with its aliases, started, the same security
// defaults), each healthchecked one passing the health gate's script over SSH before the
// containers that depend on it start. The CLI here has no buildx, so it builds with the engine's
// classic builder; the provider sends the same context to the same engine with BuildKit.

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

/** The guests are x86_64 (what BUILD_PLATFORM gives a local host), as is this machine. */
export const GUEST_PLATFORM = "linux/amd64";

/** A built service's image name, as DockerServices names it. */
export function builtTag(app: TestApp, spec: ContainerSpec): string {
  return builtImageName(app.component, spec.name, buildDigest(spec.build!, GUEST_PLATFORM));
}

/** The image a container runs: pulled by name, or built on the host when its tag is new. */
export async function appImage(engine: Engine, app: TestApp, spec: ContainerSpec): Promise<string> {
  if (!spec.build) return String(spec.image);
  const tag = builtTag(app, spec);
  const present = await engine.docker(["image", "inspect", "-f", "{{.Id}}", tag]).then(
    () => true,
    () => false,
  );
  if (!present) {
    const { context, dockerfile } = buildPaths(spec.build);
    await engine.docker(
      [
        "build",
        "-t",
        tag,
        "-f",
        dockerfile,
        ...Object.entries(spec.build.args ?? {}).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]),
        ...(spec.build.target ? ["--target", spec.build.target] : []),
        context,
      ],
      5 * 60_000,
    );
  }
  return (await engine.docker(["image", "inspect", "-f", "{{.Id}}", tag])).trim();
}

/** One container as the provider makes it: created, networks joined, started; then its gate. */
export async function runAppContainer(
  engine: Engine,
  app: TestApp,
  spec: ContainerSpec,
  image?: string,
): Promise<void> {
  const runs = image ?? (await appImage(engine, app, spec));
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
    ...(hc ? healthFlags(hc) : []),
    ...(spec.ports ?? []).flatMap((p) => [
      "-p",
      `${p.hostIp ? `${p.hostIp}:` : ""}${p.external ?? p.internal}:${p.internal}/${p.protocol ?? "tcp"}`,
    ]),
    ...Object.entries({ ...spec.env, ...spec.secretEnv }).flatMap(([k, v]) => [
      "-e",
      `${k}=${String(v)}`,
    ]),
    ...SERVICE_DEFAULTS,
    runs,
  ]);
  for (const n of rest)
    await engine.docker([
      "network",
      "connect",
      ...aliases(n).map((a) => (a === "--network-alias" ? "--alias" : a)),
      dockerObjectName(app.component, n.name),
      spec.name,
    ]);
  // 5 minutes: CI's runs of 2026-12-02 and -03 saw `docker start front` outlive 120 s while the
  // bake and the strict guest shared the two cores with this one.
  await engine.docker(["start", spec.name], 5 * 60_000);
  if (hc) await engine.ssh(healthGateScript(spec.name), 5 * 60_000);
}

export async function deployApp(engine: Engine, app: TestApp): Promise<void> {
  await createAppObjects(engine, app);
  for (const spec of startOrder(app.containers)) await runAppContainer(engine, app, spec);
}

/**
 * A second `pulumi up` of one container: its image built again only if its tag is new, the
 * container replaced only if the image it runs changed. Says whether it was replaced.
 */
export async function redeployContainer(
  engine: Engine,
  app: TestApp,
  spec: ContainerSpec,
): Promise<boolean> {
  const image = await appImage(engine, app, spec);
  const running = (await engine.docker(["inspect", "-f", "{{.Image}}", spec.name])).trim();
  if (running === image) return false;
  await engine.docker(["rm", "-f", spec.name]);
  await runAppContainer(engine, app, spec, image);
  return true;
}

/** A healthcheck as `docker create` flags (its CMD-SHELL text, interval and retries). */
export function healthFlags(hc: ContainerHealthcheckSpec): string[] {
  return [
    "--health-cmd",
    hc.test[1] ?? "",
    "--health-interval",
    hc.interval ?? "2s",
    "--health-retries",
    String(hc.retries ?? 3),
  ];
}
