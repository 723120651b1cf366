import * as pulumi from "@pulumi/pulumi";
import type { SwarmServiceSpec } from "../../../components/core/swarm-service-spec";
import type { SwarmServicesArgs } from "../../../components/swarm/swarm-services";
import { TEST_CONNECTION } from "../pulumi-mocks";
import type { ChangeRun } from "./field-changes";
import { hostRuns, type HostChange } from "./host-changes";

// A SwarmServices app's inputs and each field of its services, one change each. Deployed: the
// service `web` (two replicas behind the routing mesh) beside `db`, on a swarm's manager.

const HEALTH = { test: ["CMD", "true"], interval: "5s" };
const WEB: SwarmServiceSpec = {
  name: "web",
  image: "ghcr.io/example/web:2",
  replicas: 2,
  ports: [{ internal: 8080, external: 80, mode: "ingress" }],
};
const DB: SwarmServiceSpec = { name: "db", image: "postgres:16", healthcheck: HEALTH };
const STRICT = (s: SwarmServiceSpec): SwarmServiceSpec => ({
  ...s,
  image: `${s.image as string}@sha256:${"a".repeat(64)}`,
  user: "10001:10001",
  healthcheck: HEALTH,
});

export const SWARM_SERVICES_DEPLOYED: SwarmServicesArgs = {
  connection: TEST_CONNECTION,
  services: [WEB, DB],
};

export const SWARM_SERVICES_CHANGES: Record<
  keyof SwarmServicesArgs,
  HostChange<SwarmServicesArgs>
> = {
  connection: {
    change: { connection: { ...TEST_CONNECTION, host: "198.51.100.21" } },
    shown: { host: "198.51.100.21" },
    note: "another manager",
  },
  sshAccess: {
    change: {
      sshAccess: "session",
      connection: { ...TEST_CONNECTION, proxyCommand: "aws ssm start-session --target i-0abc123" },
    },
    note: "with the connection's `proxyCommand`",
  },
  ready: { change: { ready: "27.3.1" }, note: "the swarm's admission output, from none" },
  services: {
    change: { services: [WEB, DB, { name: "worker", image: "example/worker:1" }] },
    shown: "`worker` added",
  },
  networks: {
    change: {
      networks: [{ name: "back" }],
      services: [{ ...WEB, networks: [{ name: "back" }] }, DB],
    },
    note: "`web` joins it",
  },
  registries: {
    change: {
      registries: [
        { address: "registry.example.com", username: "ci", password: pulumi.secret("p") },
      ],
    },
  },
  encryptedNetworks: { change: { encryptedNetworks: true } },
  readOnlyRootFsByDefault: { change: { readOnlyRootFsByDefault: true } },
  strictServices: {
    deployed: { services: [STRICT(WEB), STRICT(DB)] },
    change: { strictServices: true },
    note: "the services deployed to strict's rules",
  },
};

/** The service as deployed, for the fields' rows: `web`. */
const field = (change: Partial<SwarmServiceSpec>, note?: string, deployed?: SwarmServiceSpec) => ({
  change,
  note,
  deployed,
});

export const SERVICE_CHANGES: Record<
  keyof SwarmServiceSpec,
  { change: Partial<SwarmServiceSpec>; note?: string; deployed?: SwarmServiceSpec }
> = {
  name: field({ name: "web2" }),
  image: field({ image: "ghcr.io/example/web:3" }),
  command: field({ command: ["web", "--verbose"] }),
  env: field({ env: { MODE: "production" } }),
  secretEnv: field({ secretEnv: { TOKEN: pulumi.secret("t") } }),
  ports: field({ ports: [{ internal: 8080, external: 8081, mode: "ingress" }] }),
  volumes: field({ volumes: [{ containerPath: "/cache", volumeName: "cache" }] }),
  healthcheck: field({ healthcheck: HEALTH }),
  memoryMb: field({ memoryMb: 256 }),
  cpus: field({ cpus: "0.5" }),
  labels: field({ labels: { team: "web" } }),
  user: field({ user: "101" }),
  readOnlyRootFs: field({ readOnlyRootFs: true }),
  capAdd: field({ capAdd: ["NET_ADMIN"] }),
  networks: field({ networks: [{ name: "default", aliases: ["www"] }] }),
  replicas: field({ replicas: 3 }),
  global: field({ global: true, replicas: undefined }, "in place of `replicas`"),
  placement: field({ placement: ["node.role==worker"] }),
  update: field({ update: { order: "stop-first" } }),
  rollback: field({ rollback: { parallelism: 2 } }),
};

export function swarmServicesRuns(): ChangeRun[] {
  return hostRuns(SWARM_SERVICES_DEPLOYED, SWARM_SERVICES_CHANGES, (m, args) => [
    new m.SwarmServices("app", args).serviceIds as pulumi.Output<unknown>,
  ]);
}

export function serviceFieldRuns(): ChangeRun[] {
  const changes = Object.fromEntries(
    Object.entries(SERVICE_CHANGES).map(([name, c]) => {
      const web = c.deployed ?? WEB;
      return [
        name,
        {
          deployed: { services: [web, DB] },
          change: { services: [{ ...web, ...c.change }, DB] },
          note: c.note,
          shown: (c.change as Record<string, unknown>)[name],
        },
      ];
    }),
  ) as Record<string, HostChange<SwarmServicesArgs>>;
  return hostRuns(SWARM_SERVICES_DEPLOYED, changes, (m, args) => [
    new m.SwarmServices("app", args).serviceIds as pulumi.Output<unknown>,
  ]);
}
