import { afterAll, describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DockerHostConfigError } from "../../components";
import { composeSwarmServices } from "../../components/swarm/compose-swarm-app";
import { composeProject } from "../support/compose-project";

// The same compose file onto a swarm, as docker stack deploy reads it: the deploy keys as
// SwarmServices' fields, and every refusal with its compose key, why and the fix.

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-compose-swarm-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const project = (files: Record<string, string>) => composeProject(work, files);

function problemsOf(file: string): string[] {
  try {
    composeSwarmServices(file);
    return [];
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    return e.problems;
  }
}

async function unwrap(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  const out = pulumi.output(value as pulumi.Input<string>);
  return { value: await new Promise((r) => out.apply(r)), secret: await pulumi.isSecret(out) };
}

describe("composeSwarmServices", () => {
  it("maps deploy's mode, replicas, placement, update and rollback configs and limits; secrets become files", async () => {
    const file = project({
      "db_password.txt": "s3cret\n",
      "compose.yaml": [
        "services:",
        "  web:",
        "    image: nginx:1.27",
        "    ports: ['8080:80', {target: 443, published: 8443, mode: host}]",
        "    environment: {MODE: production}",
        "    container_name: web-1",
        "    depends_on: [db]",
        "    deploy:",
        "      replicas: 3",
        "      placement: {constraints: ['node.role==worker']}",
        "      update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback, max_failure_ratio: 0.1}",
        "      rollback_config: {parallelism: 1, failure_action: pause}",
        "      resources: {limits: {cpus: '0.5', memory: 256M}}",
        "      restart_policy: {condition: any}",
        "  db:",
        "    image: postgres:16",
        "    secrets: [db_password]",
        "    volumes: ['db-data:/var/lib/postgresql/data']",
        "    networks: [backend]",
        "  agent:",
        "    image: agent:1",
        "    deploy: {mode: global}",
        "networks:",
        "  backend: {internal: true}",
        "volumes:",
        "  db-data:",
        "secrets:",
        "  db_password: {file: ./db_password.txt}",
      ].join("\n"),
    });
    const app = composeSwarmServices(file);
    const [web, db, agent] = app.services;
    const { secretEnv, ...dbPlain } = db;
    expect(app.networks).toStrictEqual([{ name: "backend", internal: true }]);
    expect(web).toStrictEqual({
      name: "web",
      image: "nginx:1.27",
      ports: [
        { internal: 80, external: 8080, mode: "ingress" },
        { internal: 443, external: 8443, mode: "host" },
      ],
      env: { MODE: "production" },
      memoryMb: 256,
      cpus: "0.5",
      networks: [{ name: "default", aliases: ["web-1"] }],
      replicas: 3,
      placement: ["node.role==worker"],
      update: {
        parallelism: 2,
        delay: "10s",
        maxFailureRatio: "0.1",
        order: "start-first",
        failureAction: "rollback",
      },
      rollback: { parallelism: 1, failureAction: "pause" },
    });
    expect(dbPlain).toStrictEqual({
      name: "db",
      image: "postgres:16",
      volumes: [{ containerPath: "/var/lib/postgresql/data", volumeName: "db-data" }],
      networks: [{ name: "backend" }],
    });
    expect(Object.keys(secretEnv ?? {})).toStrictEqual(["db_password"]);
    expect(await unwrap(secretEnv?.db_password)).toStrictEqual({ value: "s3cret\n", secret: true });
    expect(agent).toStrictEqual({ name: "agent", image: "agent:1", global: true });
  });

  it("takes image over build, as stack deploy ignores build", () => {
    const file = project({
      "web/Dockerfile": "FROM scratch\n",
      "compose.yaml":
        "services:\n  web:\n    image: registry.example.com/web:1\n    build: ./web\n",
    });
    expect(composeSwarmServices(file).services).toStrictEqual([
      { name: "web", image: "registry.example.com/web:1" },
    ]);
  });

  it("refuses what a swarm cannot run as the file says, each by its compose key", () => {
    const file = project({
      ".env": "API_TOKEN=t0ken\n",
      "nginx.conf": "events {}\n",
      "web/Dockerfile": "FROM scratch\n",
      "compose.yaml": [
        "services:",
        "  built:",
        "    build: ./web",
        "  web:",
        "    image: nginx:1.27",
        "    hostname: web",
        "    ports: ['127.0.0.1:8080:80']",
        "    volumes: ['./nginx.conf:/etc/nginx/nginx.conf:ro']",
        "    environment: {API_TOKEN: '${API_TOKEN}'}",
        "    x-dockerhost: {proxy: {host: app.example.com}}",
        "    deploy:",
        "      mode: replicated-job",
        "      endpoint_mode: dnsrr",
        "      placement: {preferences: [{spread: node.labels.zone}]}",
        "      update_config: {failure_action: explode, order: stop-first}",
        "      resources: {reservations: {memory: 64M}}",
        "      restart_policy: {condition: on-failure}",
        "  one:",
        "    image: busybox:1",
        "    deploy: {update_config: {order: stop-first}}",
        "networks:",
        "  outside: {external: true}",
      ].join("\n"),
    });
    const at = `${file}: services`;
    const unknown = (key: string) =>
      `${file}: ${key}: not supported by dockerhost. Remove it, or see the "Compose keys" table in docs/compose.md for the keys it reads.`;
    expect(problemsOf(file)).toStrictEqual([
      unknown("services.web.deploy.endpoint_mode"),
      unknown("services.web.deploy.placement.preferences"),
      unknown("services.web.deploy.resources.reservations"),
      `${at}.built.build: docker stack deploy ignores build: every node of a swarm pulls the image. Build and push it, and give image.`,
      `${at}.web.hostname: SwarmServices has no field for it yet. Remove it for the swarm.`,
      `${at}.web.x-dockerhost.proxy: the edge is a single host's; a fleet has none.`,
      `${at}.web.environment.API_TOKEN: holds a secret, and a swarm service gets secrets as files (/run/secrets/<name>), never in its environment. Give it as a compose secret (many images read <NAME>_FILE).`,
      `${at}.web.deploy.restart_policy.condition: "on-failure": SwarmServices restarts every stopped task ("any").`,
      `${at}.web.ports[0]: 127.0.0.1: a swarm publishes on every address of every node. Leave the address out, or use a firewall.`,
      `${at}.web.volumes: /etc/nginx/nginx.conf mounts a file from beside the compose file: it is on the deployer, and a swarm task runs on any node. Build it into the image (COPY).`,
      `${at}.web.deploy.mode: "replicated-job": SwarmServices runs replicated or global.`,
      `${at}.web.deploy.update_config.failure_action: "explode" is not one of continue, rollback, pause.`,
      `${file}: networks.outside.external: SwarmServices makes its own overlay networks.`,
    ]);
  });

  it("names SwarmServices' own checks by the compose keys", () => {
    const file = project({
      "compose.yaml":
        "services:\n  one:\n    image: busybox:1\n    deploy: {update_config: {order: stop-first}}\n",
    });
    expect(problemsOf(file)).toStrictEqual([
      `${file}: services.one.deploy.update_config.order: "stop-first" with one task stops serving during every update. Use "start-first", or more replicas.`,
    ]);
  });

  it("refuses a port mode that is neither host nor ingress", () => {
    const file = project({
      "compose.yaml":
        "services:\n  dns:\n    image: coredns:1\n    ports: [{target: 53, published: 53, protocol: udp, mode: bridge}]\n",
    });
    expect(problemsOf(file)).toStrictEqual([
      `${file}: services.dns.ports[0].mode: "bridge" is not "host" or "ingress".`,
    ]);
  });
});
