import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  HOST_PUBLIC_KEY,
  TEST_CONNECTION,
  byName,
  isSecretInput,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { SwarmServices } from "../../components/swarm/swarm-services";
import { globalConvergedScript } from "../../components/swarm/global-converge";
import type { SwarmPortSpec, SwarmServiceSpec } from "../../components/core/swarm-service-spec";
import { swarmServicesProblems } from "../../components/swarm/validate-swarm-services";
import { configProblems } from "../support/config-problems";

const WEB: SwarmServiceSpec = {
  name: "web",
  image: "ghcr.io/example/web:2",
  replicas: 2,
  ports: [{ internal: 8080, external: 80, mode: "ingress" }],
  env: { MODE: "prod" },
  secretEnv: { DB_PASSWORD: pulumi.secret("s3cr3t") },
  volumes: [{ volumeName: "cache", containerPath: "/cache" }],
  healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"], interval: "2s" },
  user: "101",
  networks: [{ name: "default" }, { name: "backend", aliases: ["www"] }],
};
const AGENT: SwarmServiceSpec = {
  name: "agent",
  image: "ghcr.io/example/agent:1",
  global: true,
  placement: ["node.role==worker"],
  update: { order: "stop-first", parallelism: 2 },
  readOnlyRootFs: true,
  cpus: "0.25",
  networks: [{ name: "backend" }],
};

describe("SwarmServices", () => {
  it("creates overlay networks, one Docker secret per secretEnv key, and a service each", async () => {
    const swarm = new SwarmServices("app", {
      connection: TEST_CONNECTION,
      services: [WEB, AGENT],
      networks: [{ name: "backend", internal: true }],
      encryptedNetworks: true,
    });
    await valueOf(swarm.serviceIds);
    await settle(recorded);
    expect(
      recorded
        .filter((r) => r.name.startsWith("app-"))
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual([
      "command:remote:Command app-agent-converged",
      "docker:index/network:Network app-network-backend",
      "docker:index/network:Network app-network-default",
      "docker:index/secret:Secret app-web-db_password",
      "docker:index/service:Service app-agent",
      "docker:index/service:Service app-web",
      "pulumi:providers:docker app-engine",
    ]);
    expect(plain(byName(recorded, "app-engine").inputs.host)).toBe(
      "ssh://debian@198.51.100.20:2222",
    );
    const backend = byName(recorded, "app-network-backend").inputs;
    expect([backend.name, backend.driver, backend.internal, backend.options]).toStrictEqual([
      "app_backend",
      "overlay",
      true,
      { encrypted: "" },
    ]);
    const secret = byName(recorded, "app-web-db_password").inputs;
    expect(isSecretInput(secret.data)).toBe(true);
    expect(plain(secret.data)).toBe(Buffer.from("s3cr3t").toString("base64"));
    // Auto-named: a new value is a new secret the rolling update moves to.
    expect(secret.name).toBeUndefined();

    expect(plain(byName(recorded, "app-web").inputs)).toStrictEqual({
      name: "app_web",
      labels: [{ label: "dockerhost.managed-by", value: "pulumi" }],
      taskSpec: {
        containerSpec: {
          image: "ghcr.io/example/web:2",
          env: { MODE: "prod" },
          secrets: [
            {
              // secretName too, once the engine has auto-named the secret (mocks do not).
              secretId: "app-web-db_password-id",
              fileName: "DB_PASSWORD",
              fileMode: 0o444,
            },
          ],
          mounts: [{ type: "volume", source: "app_cache", target: "/cache", readOnly: false }],
          healthcheck: {
            tests: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"],
            interval: "2s",
            timeout: "5s",
            retries: 3,
            startPeriod: "10s",
          },
          user: "101",
          readOnly: false,
          capDrops: ["ALL"],
          capAdds: [],
          labels: [],
          stopGracePeriod: "10s",
        },
        resources: { limits: { memoryBytes: 512 * 1024 * 1024 } },
        restartPolicy: { condition: "any", delay: "5s", window: "60s" },
        networksAdvanceds: [
          { id: "app-network-default-id", aliases: ["web"] },
          { id: "app-network-backend-id", aliases: ["web", "www"] },
        ],
      },
      mode: { replicated: { replicas: 2 } },
      updateConfig: {
        parallelism: 1,
        delay: "5s",
        order: "start-first",
        monitor: "30s",
        failureAction: "rollback",
        maxFailureRatio: "0",
      },
      rollbackConfig: {
        parallelism: 1,
        delay: "0s",
        order: "start-first",
        monitor: "30s",
        failureAction: "pause",
        maxFailureRatio: "0",
      },
      endpointSpec: {
        ports: [{ targetPort: 8080, publishedPort: 80, protocol: "tcp", publishMode: "ingress" }],
      },
      convergeConfig: { delay: "2s", timeout: "5m" },
    });
    const agent = plain(byName(recorded, "app-agent").inputs) as Record<string, unknown>;
    expect(agent.mode).toStrictEqual({ global: true });
    // The provider refuses converge_config beside mode.global: a step on the manager waits.
    expect(agent.convergeConfig).toBe(undefined);
    const converged = plain(byName(recorded, "app-agent-converged").inputs) as Record<
      string,
      unknown
    >;
    expect(converged.connection).toStrictEqual({
      host: "198.51.100.20",
      port: 2222,
      user: "debian",
      privateKey: "PRIVATE",
      hostKey: HOST_PUBLIC_KEY,
      dialErrorLimit: 10,
      perDialTimeout: 15,
    });
    expect(converged.create).toBe(globalConvergedScript("app_agent"));
    expect(converged.logging).toBe("stderr");
    expect((converged.triggers as unknown[])[0]).toBe("app-agent-id");
    expect(recorded.some((r) => r.name === "app-web-converged")).toBe(false);
    expect(agent.updateConfig).toMatchObject({ order: "stop-first", parallelism: 2 });
    expect(agent.taskSpec).toMatchObject({
      placement: { constraints: ["node.role==worker"] },
      resources: { limits: { memoryBytes: 512 * 1024 * 1024, nanoCpus: 250_000_000 } },
      containerSpec: {
        readOnly: true,
        mounts: [{ type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: 64 * 1024 * 1024 } }],
      },
    });
    expect(await valueOf(swarm.endpoints)).toStrictEqual({
      web: ["198.51.100.20:80"],
      agent: [],
    });
  });

  it("refuses bad input before creating anything", () => {
    const before = recorded.length;
    expect(
      configProblems(
        () =>
          new SwarmServices("bad", {
            connection: TEST_CONNECTION,
            services: [{ ...WEB, secretEnv: { TOKEN: "plain" } }],
          }),
      ),
    ).toStrictEqual([
      "services[0].secretEnv.TOKEN: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)) so it stays encrypted in state.",
      'services[0].networks[1].name: "backend" is not declared. Declare it in networks or use "default".',
    ]);
    expect(recorded.length).toBe(before);
  });

  it("under strictServices, asks every service for a user, a digest and a healthcheck, and refuses plain secrets", () => {
    const before = recorded.length;
    expect(
      configProblems(
        () =>
          new SwarmServices("strict", {
            connection: TEST_CONNECTION,
            strictServices: true,
            services: [
              { name: "api", image: "ghcr.io/example/api:3", env: { API_TOKEN: "t0ken" } },
              { ...WEB, networks: undefined },
            ],
          }),
      ),
    ).toStrictEqual([
      'services[0].user: unset, so the service runs as its image\'s user, root for most images; the strict profile runs no service as root unless it says so (CIS Docker Benchmark 4.1). Set user to an unprivileged "uid:gid" (e.g. "10001:10001"), or "root" to accept root in this service (userns-remap still maps it to an unprivileged host user).',
      'services[0].image: "ghcr.io/example/api:3" names a tag, which can move to other content; the strict profile runs images pinned by digest (CIS Docker Benchmark 4.5). Use "ghcr.io/example/api:3@sha256:<digest>" (`docker buildx imagetools inspect ghcr.io/example/api:3` prints it), or build it from a Dockerfile (build).',
      'services[0].healthcheck: unset; the strict profile checks every service\'s health (CIS Docker Benchmark 4.6, 5.27). Add a healthcheck, e.g. { test: ["CMD", "wget", "-q", "-O-", "http://localhost/"] }, or { test: ["NONE"] } to opt out for this service.',
      'services[1].image: "ghcr.io/example/web:2" names a tag, which can move to other content; the strict profile runs images pinned by digest (CIS Docker Benchmark 4.5). Use "ghcr.io/example/web:2@sha256:<digest>" (`docker buildx imagetools inspect ghcr.io/example/web:2` prints it), or build it from a Dockerfile (build).',
      "services[0].env.API_TOKEN: the name says it is a secret, but the value is plain text, so it lands unmarked in the stack's state. Move it to secretEnv (a Docker secret, read by the service at /run/secrets/API_TOKEN).",
    ]);
    expect(recorded.length).toBe(before);
  });

  it("under readOnlyRootFsByDefault, gives read-only root filesystems to services that do not say", async () => {
    const pinned = `ghcr.io/example/web@sha256:${"a".repeat(64)}`;
    const swarm = new SwarmServices("ro", {
      connection: TEST_CONNECTION,
      readOnlyRootFsByDefault: true,
      strictServices: true,
      services: [
        { ...WEB, image: pinned, networks: undefined, secretEnv: undefined },
        {
          ...WEB,
          name: "rw",
          image: pinned,
          networks: undefined,
          secretEnv: undefined,
          readOnlyRootFs: false,
          ports: [],
        },
      ],
    });
    await valueOf(swarm.serviceIds);
    await settle(recorded);
    const readOnly = (n: string) =>
      (byName(recorded, n).inputs.taskSpec as { containerSpec: { readOnly: boolean } })
        .containerSpec.readOnly;
    expect([readOnly("ro-web"), readOnly("ro-rw")]).toStrictEqual([true, false]);
  });
});

describe("a swarm's services, checked", () => {
  const service = (extra: Partial<SwarmServiceSpec>): SwarmServiceSpec => ({
    name: "web",
    image: "nginx:1.27",
    ...extra,
  });
  it.each<[string, SwarmServiceSpec[], string[]]>([
    [
      "a port without a publish mode",
      [service({ ports: [{ internal: 80 } as SwarmPortSpec] })],
      [
        'services[0].ports[0].mode: say how the port is published: "ingress" (every node answers, the routing mesh picks a task) or "host" (only nodes running a task answer).',
      ],
    ],
    [
      "one published port for two services",
      [
        service({ ports: [{ internal: 80, mode: "ingress" }] }),
        service({ name: "api", ports: [{ internal: 8080, external: 80, mode: "host" }] }),
      ],
      [
        'services[1].ports[0].external: port 80/tcp is already published by services[0] ("web") (a published port is the whole swarm\'s). Pick another external port.',
      ],
    ],
    [
      "replicas on a global service",
      [service({ global: true, replicas: 3 })],
      [
        "services[0].replicas: a global service runs one task per node; leave replicas out, or global.",
      ],
    ],
    [
      "stop-first with one task",
      [service({ update: { order: "stop-first" } })],
      [
        'services[0].update.order: "stop-first" with one task stops serving during every update. Use "start-first", or more replicas.',
      ],
    ],
    ...[
      { replicas: 3, update: { order: "stop-first" as const, parallelism: 0 } },
      { global: true, update: { order: "stop-first" as const, parallelism: 0 } },
      { replicas: 2, update: { order: "stop-first" as const, parallelism: 2 } },
      { replicas: 2, update: { order: "stop-first" as const, parallelism: 5 } },
    ].map((extra): [string, SwarmServiceSpec[], string[]] => [
      `stop-first that stops every task at once: ${JSON.stringify(extra)}`,
      [service(extra)],
      [
        `services[0].update.parallelism: ${extra.update.parallelism} with "stop-first" stops every task at once during every update. Use "start-first", or a parallelism below the number of tasks (e.g. 1).`,
      ],
    ]),
    [
      "a rollback that rolls back",
      [service({ rollback: { failureAction: "rollback" as "pause" } })],
      [
        'services[0].rollback.failureAction: "rollback" is not supported here. Use one of: pause, continue.',
      ],
    ],
    [
      "a constraint that is not one",
      [service({ placement: ["workers only"] })],
      [
        'services[0].placement[0]: "workers only" is not a constraint. Use Docker\'s form, e.g. "node.role==worker" or "node.labels.dockerhost.node!=m1".',
      ],
    ],
    [
      "a name used twice, and one that is not a name",
      [service({}), service({}), service({ name: "Web_2" })],
      [
        'services[1].name: "web" is already used by services[0]. Service names are unique.',
        'services[2].name: "Web_2" is not a service name. Use lowercase letters, digits and "-", starting and ending with a letter or digit (other services reach it by this name).',
      ],
    ],
    [
      "durations and ratios Docker cannot read",
      [service({ update: { delay: "5 seconds", maxFailureRatio: "10%" } })],
      [
        'services[0].update.delay: "5 seconds" is not a duration. Use Go\'s form, e.g. "30s", "1m30s" or "500ms".',
        'services[0].update.maxFailureRatio: "10%" is not a ratio. Use a number from "0" to "1".',
      ],
    ],
  ])("refuses %s", (_, services, problems) => {
    expect(swarmServicesProblems({ services })).toStrictEqual(problems);
  });
});
