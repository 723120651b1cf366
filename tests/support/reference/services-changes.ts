import * as pulumi from "@pulumi/pulumi";
import type { DockerServicesArgs } from "../../../components/services/docker-services";
import { TEST_CONNECTION } from "../pulumi-mocks";
import type { ChangeRun } from "./field-changes";
import { hostRuns, type HostChange } from "./host-changes";

// A DockerServices app's own inputs, one change each (its containers' fields are
// container-changes.ts's). Deployed: `web` and `db` on one host, over SSH.

const WEB = { name: "web", image: "nginx:1.27", ports: [{ internal: 80, external: 8080 }] };
const DB = {
  name: "db",
  image: "postgres:16",
  volumes: [{ containerPath: "/var/lib/postgresql/data", volumeName: "pg" }],
};
const STRICT_WEB = {
  ...WEB,
  image: `nginx:1.27@sha256:${"a".repeat(64)}`,
  user: "101:101",
  healthcheck: { test: ["CMD", "true"] },
  ports: [{ internal: 80, external: 8080, hostIp: "0.0.0.0" }],
};

export const SERVICES_DEPLOYED: DockerServicesArgs = {
  connection: TEST_CONNECTION,
  containers: [WEB, DB],
  volumes: [{ name: "pg" }],
};

export const SERVICES_CHANGES: Record<keyof DockerServicesArgs, HostChange<DockerServicesArgs>> = {
  connection: {
    change: { connection: { ...TEST_CONNECTION, host: "198.51.100.21" } },
    shown: { host: "198.51.100.21" },
    note: "the host's new address",
  },
  sshAccess: {
    change: {
      sshAccess: "session",
      connection: { ...TEST_CONNECTION, proxyCommand: "aws ssm start-session --target i-0abc123" },
    },
    note: "with the connection's `proxyCommand`",
  },
  ready: { change: { ready: "27.3.1" }, note: "the host's gate output, from none" },
  containers: {
    change: { containers: [WEB, DB, { name: "worker", image: "example/worker:1" }] },
    shown: "`worker` added",
  },
  registries: {
    change: {
      registries: [
        { address: "registry.example.com", username: "ci", password: pulumi.secret("p") },
      ],
    },
  },
  selinuxRelabel: {
    deployed: {
      containers: [
        { ...WEB, volumes: [{ containerPath: "/etc/nginx/conf.d", hostPath: "/srv/conf" }] },
        DB,
      ],
    },
    change: { selinuxRelabel: true },
    note: "`web` bind-mounts a host directory",
  },
  readOnlyRootFsByDefault: { change: { readOnlyRootFsByDefault: true } },
  strictContainers: {
    deployed: { containers: [STRICT_WEB], volumes: [] },
    change: { strictContainers: true },
    note: "`web` deployed to strict's rules",
  },
  publicAddress: { change: { publicAddress: "203.0.113.10" } },
  networks: {
    change: {
      networks: [{ name: "back" }],
      containers: [{ ...WEB, networks: [{ name: "back" }] }, DB],
    },
    note: "`web` joins it",
  },
  volumes: { change: { volumes: [{ name: "pg" }, { name: "cache" }] }, shown: "`cache` added" },
  removeVolumesOnDelete: { change: { removeVolumesOnDelete: true } },
  platform: {
    deployed: { containers: [{ name: "web", build: { context: "tests/fixtures/web-build" } }, DB] },
    change: { platform: "linux/arm64" },
    note: "`web` is built",
  },
  edge: {
    change: {
      edge: { acmeEmail: "ops@example.com", allowedCidrs: ["0.0.0.0/0"] },
      containers: [
        {
          ...WEB,
          ports: [],
          healthcheck: { test: ["CMD", "true"] },
          proxy: { host: "app.example.com", port: 80 },
        },
        DB,
      ],
    },
    note: "`web` served by it",
  },
};

export function servicesRuns(): ChangeRun[] {
  return hostRuns(SERVICES_DEPLOYED, SERVICES_CHANGES, (m, args) => [
    new m.DockerServices("app", args).containerIds as pulumi.Output<unknown>,
  ]);
}
