// Another team's stack, importing dockerhost as a package.
import * as pulumi from "@pulumi/pulumi";
import {
  AwsDockerHost,
  AzureDockerHost,
  DockerServices,
  composeServices,
  renderCloudInit,
  type ComposeApp,
  type ContainerSpec,
} from "dockerhost";

const config = new pulumi.Config();

// Under strict every choice is explicit (docs/security.md, "CIS Docker Benchmark v1.6"): the image pinned
// by digest (config webImage, e.g. "nginxinc/nginx-unprivileged:1.27-alpine@sha256:<digest>"),
// its user, its healthcheck, and the addresses its port is published on (all of them, behind the
// firewall's CIDRs).
const web: ContainerSpec = {
  name: "web",
  image: config.require("webImage"),
  user: "101:101",
  healthcheck: { test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"] },
  ports: [{ internal: 8080, external: 80, hostIp: "0.0.0.0", allowedCidrs: ["198.51.100.0/24"] }],
  readOnlyRootFs: true,
};

const host = new AwsDockerHost("edge", {
  os: "ubuntu-24.04",
  arch: "arm64",
  sshPublicKey: config.require("sshPublicKey"),
  sshPrivateKey: config.requireSecret("sshPrivateKey"),
  sshAllowedCidrs: ["203.0.113.7/32"],
  hardening: "strict",
  containers: [web],
});

// The same service on Azure, behind the same kind of firewall.
const azureHost = new AzureDockerHost("edge-azure", {
  os: "debian-12",
  sshPublicKey: config.require("sshPublicKey"),
  sshPrivateKey: config.requireSecret("sshPrivateKey"),
  sshAllowedCidrs: ["203.0.113.7/32"],
  location: "westeurope",
  encryptionAtHost: false,
  containers: [web],
});

// More containers on the same host, managed by a separate component.
new DockerServices("edge-workers", {
  connection: host.connection,
  ready: host.ready,
  containers: [
    {
      name: "worker",
      image: "ghcr.io/example/worker:3",
      secretEnv: { TOKEN: config.requireSecret("workerToken") },
    },
  ],
});

// An app of three services on that host: web -> api -> db. The api reaches db on an internal
// network of its own; web reaches api on the project network; db's data lives in a volume that
// outlives the container; each service starts once the ones it depends on are healthy.
const ready = ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"];
new DockerServices("shop", {
  connection: host.connection,
  ready: host.ready,
  networks: [{ name: "backend", internal: true }],
  volumes: [{ name: "db-data" }],
  containers: [
    {
      name: "web",
      image: "ghcr.io/example/web:1",
      ports: [{ internal: 8080, external: 8081, allowedCidrs: ["198.51.100.0/24"] }],
      dependsOn: ["api"],
    },
    {
      name: "api",
      image: "ghcr.io/example/api:1",
      networks: [{ name: "default" }, { name: "backend" }],
      healthcheck: { test: ready },
      dependsOn: ["db"],
      secretEnv: { DATABASE_PASSWORD: config.requireSecret("databasePassword") },
    },
    {
      name: "db",
      image: "postgres:16",
      networks: [{ name: "backend" }],
      volumes: [{ containerPath: "/var/lib/postgresql/data", volumeName: "db-data" }],
      healthcheck: { test: ["CMD", "pg_isready", "-U", "postgres"] },
      secretEnv: { POSTGRES_PASSWORD: config.requireSecret("databasePassword") },
    },
  ],
});

// The same app from the team's compose file, when the stack names one (its db password a secret).
const composeFile = config.get("composeFile");
if (composeFile) {
  const app: ComposeApp = composeServices(composeFile, {
    secretEnv: { db: { POSTGRES_PASSWORD: config.requireSecret("databasePassword") } },
  });
  new DockerServices("shop-compose", { connection: host.connection, ready: host.ready, ...app });
}

export const userDataPreview = renderCloudInit({
  os: "debian-12",
  arch: "x86_64",
  cloud: "aws",
  sshAuthorizedKeys: [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKey0000000000000000000000000000 me@laptop",
  ],
}).length;
export const endpoints = host.endpoints;
export const dockerHost = host.dockerHost;
export const azureIdentity = azureHost.principalId;
