import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  HOST_PUBLIC_KEY,
  TEST_CONNECTION,
  byName,
  optionsRecorder,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { DockerServices, type DockerServicesArgs } from "../../components/services/docker-services";
import { healthGateScript } from "../../components/services/health-gate";
import { buildDigest } from "../../components/services/build-context";

// A three-service app (web -> api -> db) as one DockerServices: its networks, its volume, the
// start order through the health gates, each as the exact child resources and inputs.

const HEALTH = { test: ["CMD", "/bin/busybox", "true"], interval: "2s" };

const APP: DockerServicesArgs = {
  connection: TEST_CONNECTION,
  networks: [{ name: "backend", internal: true }],
  volumes: [{ name: "db-data" }],
  containers: [
    {
      name: "web",
      image: "nginx:1.27",
      ports: [{ internal: 8080, hostIp: "127.0.0.1" }],
      dependsOn: ["api"],
    },
    {
      name: "api",
      image: "ghcr.io/example/api:1",
      networks: [{ name: "default" }, { name: "backend", aliases: ["app-api"] }],
      healthcheck: HEALTH,
      dependsOn: ["db"],
    },
    {
      name: "db",
      image: "postgres:16",
      networks: [{ name: "backend" }],
      volumes: [{ containerPath: "/var/lib/postgresql/data", volumeName: "db-data" }],
      healthcheck: HEALTH,
    },
  ],
};

const { byName: optionsByName, record: recordOptions } = optionsRecorder();

async function build(name: string, extra: Partial<DockerServicesArgs> = {}) {
  return await buildWith(name, extra);
}

async function buildWith(name: string, extra: Partial<DockerServicesArgs>) {
  const services = new DockerServices(
    name,
    { ...APP, ...extra },
    { transformations: [recordOptions] },
  );
  await valueOf(services.containerIds);
  await settle(recorded);
  return recorded.filter((r) => r.name.startsWith(`${name}-`));
}

/** The logical names of a dependsOn option (the mocks keep each resource's name). */
const names = (deps: unknown): string[] =>
  ((deps ?? []) as pulumi.Resource[]).map(
    (r) => (r as unknown as { __name?: string }).__name ?? "?",
  );

describe("DockerServices: an app of three services", () => {
  it("creates the project network, the declared internal network and the volume", async () => {
    const mine = await build("a1");
    expect(
      mine
        .filter((r) => r.type !== "docker:index/container:Container")
        .filter((r) => !r.type.includes("remoteImage"))
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual(
      [
        "command:remote:Command a1-api-healthy",
        "command:remote:Command a1-db-healthy",
        "docker:index/network:Network a1-network-backend",
        "docker:index/network:Network a1-network-default",
        "docker:index/volume:Volume a1-volume-db-data",
        "pulumi:providers:docker a1-engine",
      ].sort(),
    );
    const labels = [{ label: "dockerhost.managed-by", value: "pulumi" }];
    expect(byName(mine, "a1-network-default").inputs).toStrictEqual({
      name: "a1_default",
      driver: "bridge",
      internal: false,
      labels,
    });
    expect(byName(mine, "a1-network-backend").inputs).toStrictEqual({
      name: "a1_backend",
      driver: "bridge",
      internal: true,
      labels,
    });
    expect(byName(mine, "a1-volume-db-data").inputs).toStrictEqual({
      name: "a1_db-data",
      driver: "local",
      labels,
    });
    // Kept (with its data) when the component goes, unless asked otherwise.
    expect(optionsByName.get("a1-volume-db-data")?.retainOnDelete).toBe(true);
  });

  it("joins each container to its networks under its name, and mounts the volume by its Docker name", async () => {
    const mine = await build("a2");
    const inputs = (n: string) => byName(mine, `a2-${n}`).inputs;
    expect(plain(inputs("web").networksAdvanced)).toStrictEqual([
      { name: "a2_default", aliases: ["web"] },
    ]);
    expect(plain(inputs("api").networksAdvanced)).toStrictEqual([
      { name: "a2_default", aliases: ["api"] },
      { name: "a2_backend", aliases: ["api", "app-api"] },
    ]);
    expect(plain(inputs("db").networksAdvanced)).toStrictEqual([
      { name: "a2_backend", aliases: ["db"] },
    ]);
    expect(plain(inputs("db").volumes)).toStrictEqual([
      { containerPath: "/var/lib/postgresql/data", volumeName: "a2_db-data", readOnly: false },
    ]);
    expect(inputs("db").wait).toBe(undefined);
  });

  it("starts a container only after the health gates of those it depends on", async () => {
    const mine = await build("a3");
    expect(names(optionsByName.get("a3-db")?.dependsOn)).toStrictEqual([]);
    expect(names(optionsByName.get("a3-api")?.dependsOn)).toStrictEqual(["a3-db-healthy"]);
    expect(names(optionsByName.get("a3-web")?.dependsOn)).toStrictEqual(["a3-api-healthy"]);
    const gate = byName(mine, "a3-db-healthy").inputs;
    expect(gate.create).toBe(healthGateScript("db"));
    expect(plain(gate.connection)).toMatchObject({
      host: "198.51.100.20",
      port: 2222,
      user: "debian",
      hostKey: HOST_PUBLIC_KEY,
    });
    expect(names(optionsByName.get("a3-db-healthy")?.dependsOn)).toStrictEqual(["a3-db"]);
  });

  it("names the Docker container containerName where given: its inputs and its health gate", async () => {
    const services = new DockerServices("a10", {
      connection: TEST_CONNECTION,
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          containerName: "shop-web",
          healthcheck: { test: ["CMD", "true"] },
        },
      ],
    });
    await valueOf(services.containerIds);
    await settle(recorded);
    expect(byName(recorded, "a10-web").inputs.name).toBe("shop-web");
    expect(byName(recorded, "a10-web-healthy").inputs.create).toBe(healthGateScript("shop-web"));
  });

  it("starts a container after those it startAfter names, on their creation, with no health gate", async () => {
    const services = new DockerServices(
      "a9",
      {
        connection: TEST_CONNECTION,
        containers: [
          { name: "web", image: "nginx:1.27", startAfter: ["cache"] },
          { name: "cache", image: "redis:7" },
        ],
      },
      { transformations: [recordOptions] },
    );
    await valueOf(services.containerIds);
    await settle(recorded);
    expect(names(optionsByName.get("a9-web")?.dependsOn)).toStrictEqual(["a9-cache"]);
    expect(recorded.some((r) => r.name === "a9-cache-healthy")).toBe(false);
  });

  it("runs a one-off job to its end before what waits for it, which carries the job's exit code", async () => {
    const services = new DockerServices(
      "a11",
      {
        connection: TEST_CONNECTION,
        containers: [
          { name: "web", image: "nginx:1.27", afterCompleted: ["migrate"] },
          { name: "migrate", image: "shop/app:1", command: ["migrate"], runsToCompletion: true },
        ],
      },
      { transformations: [recordOptions] },
    );
    await valueOf(services.containerIds);
    await settle(recorded);
    const job = byName(recorded, "a11-migrate").inputs;
    expect([job.attach, job.logs, job.mustRun, job.restart]).toStrictEqual([
      true,
      true,
      false,
      "no",
    ]);
    expect(job.maxRetryCount).toBeUndefined();
    expect(optionsByName.get("a11-migrate")?.additionalSecretOutputs).toStrictEqual([
      "containerLogs",
    ]);
    expect(names(optionsByName.get("a11-web")?.dependsOn)).toStrictEqual(["a11-migrate"]);
    expect(byName(recorded, "a11-web").inputs.labels).toStrictEqual([
      { label: "dockerhost.managed-by", value: "pulumi" },
      { label: "dockerhost.completed.migrate", value: "0" },
    ]);
    expect(byName(recorded, "a11-web").inputs.mustRun).toBe(true);
    expect(recorded.some((r) => r.name === "a11-migrate-healthy")).toBe(false);
  });

  it("deletes the volumes with the component only when asked", async () => {
    await build("a4", { removeVolumesOnDelete: true });
    expect(optionsByName.get("a4-volume-db-data")?.retainOnDelete).toBe(false);
  });

  it("builds a service's image on the host's engine, named by its content, and runs the container from its id", async () => {
    const build = {
      context: "tests/fixtures/web-build",
      args: { GREETING: "hi" },
      target: "runtime",
    };
    const mine = await build_("a5", build);
    const digest = buildDigest(build, "linux/arm64");
    expect(byName(mine, "a5-web-image").type).toBe("docker:index/image:Image");
    expect(plain(byName(mine, "a5-web-image").inputs)).toStrictEqual({
      imageName: `a5-web:${digest.slice(0, 12)}`,
      skipPush: true,
      buildOnPreview: false,
      build: {
        context: "tests/fixtures/web-build",
        dockerfile: "tests/fixtures/web-build/Dockerfile",
        platform: "linux/arm64",
        builderVersion: "BuilderBuildKit",
        args: { GREETING: "hi" },
        target: "runtime",
      },
    });
    expect(optionsByName.get("a5-web-image")?.provider).toBeDefined();
    // The container follows the built image's id (the provider's repoDigest of a local build).
    expect(byName(mine, "a5-web").inputs.image).toBe("sha256:built4567");
    expect(mine.some((r) => r.name === "a5-web-image" && r.type.includes("remoteImage"))).toBe(
      false,
    );
  });

  it("builds with secrets as a RemoteImage through the engine API session: ids and sources in state, never a value", async () => {
    process.env.DOCKERHOST_TEST_NPM_TOKEN = "npm_value_never_in_state";
    const build = {
      context: "tests/fixtures/web-build",
      args: { GREETING: "hi" },
      secrets: {
        npm: { env: "DOCKERHOST_TEST_NPM_TOKEN" },
        pip: { file: "tests/fixtures/compose-app/compose.yaml" },
      },
    };
    const mine = await build_("a6", build);
    const digest = buildDigest(build, "linux/arm64");
    expect(byName(mine, "a6-web-image").type).toBe("docker:index/remoteImage:RemoteImage");
    expect(plain(byName(mine, "a6-web-image").inputs)).toStrictEqual({
      name: `a6-web:${digest.slice(0, 12)}`,
      keepLocally: true,
      build: {
        context: "tests/fixtures/web-build",
        dockerfile: "tests/fixtures/web-build/Dockerfile",
        platform: "linux/arm64",
        useLegacyBuilder: true,
        secrets: [
          { id: "npm", env: "DOCKERHOST_TEST_NPM_TOKEN" },
          { id: "pip", src: "tests/fixtures/compose-app/compose.yaml" },
        ],
        buildArgs: { GREETING: "hi" },
      },
    });
    expect(optionsByName.get("a6-web-image")?.provider).toBeDefined();
    expect(byName(mine, "a6-web").inputs.image).toBe("sha256:0123abcd");
    expect(JSON.stringify(mine.map((r) => r.inputs))).not.toContain("npm_value_never_in_state");
    // The sources are part of the digest; without secrets it is the one it always was.
    expect(digest).not.toBe(buildDigest({ ...build, secrets: undefined }, "linux/arm64"));
    delete process.env.DOCKERHOST_TEST_NPM_TOKEN;
  });
});

/** The app with web built from the fixture context instead of pulled, for an arm64 host. */
async function build_(
  name: string,
  build: NonNullable<DockerServicesArgs["containers"][0]["build"]>,
) {
  const containers = APP.containers.map((c) =>
    c.name === "web" ? { ...c, image: undefined, build } : c,
  );
  return await buildWith(name, { containers, platform: "linux/arm64" });
}
