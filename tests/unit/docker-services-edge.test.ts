import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  TEST_CONNECTION,
  byName,
  isSecretInput,
  optionsRecorder,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { DockerServices } from "../../components/services/docker-services";
import { EDGE_IMAGE } from "../../components/services/edge-config";
import type { ContainerSpec } from "../../components/core/container-spec";

const HEALTH = { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"] };
const web: ContainerSpec = {
  name: "web",
  image: "ghcr.io/example/web:1",
  proxy: { host: "app.example.com", port: 8080 },
  healthcheck: HEALTH,
};
const api: ContainerSpec = {
  name: "api",
  image: "ghcr.io/example/api:1",
  proxy: { host: "app.example.com", pathPrefix: "/api" },
  healthcheck: HEALTH,
};

describe("DockerServices with proxied containers: the edge", () => {
  it("makes the edge's network, volume, routes command and container, in that order of dependence", async () => {
    const { byName: options, record } = optionsRecorder();
    const services = new DockerServices(
      "site",
      {
        connection: TEST_CONNECTION,
        containers: [web, api, { name: "db", image: "postgres:16" }],
        edge: {
          acmeEmail: "ops@example.com",
          allowedCidrs: ["0.0.0.0/0"],
          certificates: [
            // An Output that is not marked secret: the routes' stdin is made one anyway.
            { hosts: ["app.example.com"], certificate: "CERT", key: pulumi.output("KEY") },
          ],
        },
      },
      { transformations: [record] },
    );
    await valueOf(services.containerIds);
    await settle(recorded);
    const mine = recorded.filter((r) => r.name.startsWith("site-"));
    expect(mine.map((r) => `${r.type} ${r.name}`).sort()).toStrictEqual(
      [
        "command:remote:Command site-api-healthy",
        "command:remote:Command site-edge-routes",
        "command:remote:Command site-web-healthy",
        "docker:index/container:Container site-api",
        "docker:index/container:Container site-db",
        "docker:index/container:Container site-dockerhost-edge",
        "docker:index/container:Container site-web",
        "docker:index/network:Network site-network-default",
        "docker:index/network:Network site-network-dockerhost-edge",
        "docker:index/remoteImage:RemoteImage site-api-image",
        "docker:index/remoteImage:RemoteImage site-db-image",
        "docker:index/remoteImage:RemoteImage site-dockerhost-edge-image",
        "docker:index/remoteImage:RemoteImage site-web-image",
        "docker:index/volume:Volume site-volume-dockerhost-edge-data",
        "pulumi:providers:docker site-engine",
      ].sort(),
    );
    // A proxied container: no name of its own (autonamed), both networks, create-first with a drain.
    const webInputs = plain(byName(recorded, "site-web").inputs) as Record<string, unknown>;
    expect([webInputs.name, webInputs.destroyGraceSeconds, webInputs.ports]).toStrictEqual([
      undefined,
      10,
      [],
    ]);
    expect(webInputs.networksAdvanced).toStrictEqual([
      { name: "site_default", aliases: ["web"] },
      { name: "site_dockerhost-edge", aliases: ["web"] },
    ]);
    expect(options.get("site-web")?.deleteBeforeReplace).toBe(false);
    expect(options.get("site-db")?.deleteBeforeReplace).toBe(true);
    const db = plain(byName(recorded, "site-db").inputs) as Record<string, unknown>;
    expect([db.name, db.destroyGraceSeconds]).toStrictEqual(["db", undefined]);
    // The gate waits on the autonamed container.
    expect(String(plain(byName(recorded, "site-web-healthy").inputs.create))).toContain(
      "docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' site-web-a1b2c3d",
    );
    // The routes: after both gates, the key a secret, the Caddyfile naming the autonamed upstreams.
    const routes = byName(recorded, "site-edge-routes");
    expect(isSecretInput(routes.inputs.stdin)).toBe(true);
    const lines = String(plain(routes.inputs.stdin)).trim().split("\n");
    expect(lines.map((l) => l.split("\t").slice(0, 2).join(" "))).toStrictEqual([
      "Caddyfile 444",
      "certificate-0.pem 444",
      "key-0.pem 400",
    ]);
    const caddyfile = Buffer.from(lines[0].split("\t")[2], "base64").toString();
    expect(caddyfile).toContain("\t\treverse_proxy site-web-a1b2c3d:8080\n");
    expect(caddyfile).toContain("\t\treverse_proxy site-api-a1b2c3d:80\n");
    const dependsOn = async (name: string) =>
      Promise.all(
        ((options.get(name)?.dependsOn ?? []) as pulumi.Resource[]).map((d) =>
          valueOf(d.urn).then((u) => u.split("::").pop()),
        ),
      );
    expect(await dependsOn("site-edge-routes")).toStrictEqual([
      "site-web-healthy",
      "site-api-healthy",
    ]);
    expect(await dependsOn("site-dockerhost-edge")).toStrictEqual(["site-edge-routes"]);
    // The edge container: the pinned image, 80 and 443, its data volume and read-only routes.
    const edge = plain(byName(recorded, "site-dockerhost-edge").inputs) as Record<string, unknown>;
    expect(plain(byName(recorded, "site-dockerhost-edge-image").inputs.name)).toBe(EDGE_IMAGE);
    expect(edge.name).toBe("dockerhost-edge");
    expect(edge.ports).toStrictEqual([
      { internal: 80, external: 80, protocol: "tcp" },
      { internal: 443, external: 443, protocol: "tcp" },
    ]);
    expect(edge.volumes).toStrictEqual([
      { containerPath: "/data", volumeName: "site_dockerhost-edge-data", readOnly: false },
      {
        containerPath: "/etc/dockerhost-edge",
        hostPath: "/var/lib/docker/dockerhost-files/site/dockerhost-edge",
        readOnly: true,
      },
    ]);
    expect(edge.capabilities).toStrictEqual({ drops: ["ALL"], adds: ["NET_BIND_SERVICE"] });
    expect(edge.command).toStrictEqual([
      "caddy",
      "run",
      "--config",
      "/etc/dockerhost-edge/Caddyfile",
      "--adapter",
      "caddyfile",
    ]);
    expect(options.get("site-volume-dockerhost-edge-data")?.retainOnDelete).toBe(true);
    expect((await valueOf(services.endpoints))["dockerhost-edge"]).toStrictEqual([
      "198.51.100.20:80",
      "198.51.100.20:443",
    ]);
  });

  it("makes no edge when no container is proxied", async () => {
    const services = new DockerServices("plain", {
      connection: TEST_CONNECTION,
      containers: [{ name: "db", image: "postgres:16" }],
    });
    await valueOf(services.containerIds);
    await settle(recorded);
    expect(
      recorded
        .filter((r) => r.name.startsWith("plain-"))
        .map((r) => r.name)
        .sort(),
    ).toStrictEqual(["plain-db", "plain-db-image", "plain-engine", "plain-network-default"]);
  });
});
