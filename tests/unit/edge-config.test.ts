import { describe, expect, it } from "@jest/globals";
import { containerArgs } from "../../components/services/container-args";
import {
  EDGE_IMAGE,
  edgeContainerSpec,
  normalPrefix,
  renderCaddyfile,
  type CaddyfileInput,
} from "../../components/services/edge-config";
import { hostedApp, withEdge } from "../../components/services/edge-app";
import type { ContainerSpec } from "../../components/core/container-spec";

const ROOT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const input = (over: Partial<CaddyfileInput>): CaddyfileInput => ({
  routes: [{ host: "app.example.com", upstream: "site-web-a1b2c3d:8080" }],
  edge: {},
  ownCertificates: new Map(),
  strict: false,
  ...over,
});

describe("normalPrefix", () => {
  it.each([
    [undefined, "/"],
    ["/", "/"],
    ["//", "/"],
    ["/api", "/api"],
    ["/api/", "/api"],
    ["/a/b//", "/a/b"],
  ])("%p is %p", (prefix, expected) => {
    expect(normalPrefix(prefix)).toBe(expected);
  });
});

describe("renderCaddyfile", () => {
  it("one host by ACME from Let's Encrypt: the global block and one catch-all route", () => {
    expect(renderCaddyfile(input({}))).toBe(
      [
        "# Written by dockerhost at each `pulumi up`: the routes of this host's edge.",
        "{",
        "\tadmin localhost:2019",
        "\tacme_ca https://acme-v02.api.letsencrypt.org/directory",
        "\tservers {",
        "\t\tprotocols h1 h2",
        "\t}",
        "}",
        "",
        "app.example.com {",
        "\thandle {",
        "\t\treverse_proxy site-web-a1b2c3d:8080",
        "\t}",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("an email, a private directory with its root, hosts sorted, prefixes longest first, a 404 where no route catches all", () => {
    const text = renderCaddyfile(
      input({
        edge: {
          acmeEmail: "ops@example.com",
          acmeDirectory: "https://10.0.2.2:14000/dir",
          acmeCaRootPem: ROOT,
        },
        routes: [
          { host: "b.example.com", pathPrefix: "/api/", upstream: "api:80" },
          { host: "a.example.com", upstream: "web:80" },
          { host: "b.example.com", pathPrefix: "/api/v2", upstream: "api2:80" },
        ],
      }),
    );
    expect(text).toBe(
      [
        "# Written by dockerhost at each `pulumi up`: the routes of this host's edge.",
        "{",
        "\tadmin localhost:2019",
        "\temail ops@example.com",
        "\tacme_ca https://10.0.2.2:14000/dir",
        "\tacme_ca_root /etc/dockerhost-edge/acme-ca-root.pem",
        "\tservers {",
        "\t\tprotocols h1 h2",
        "\t}",
        "}",
        "",
        "a.example.com {",
        "\thandle {",
        "\t\treverse_proxy web:80",
        "\t}",
        "}",
        "",
        "b.example.com {",
        "\t@route0 path /api/v2 /api/v2/*",
        "\thandle @route0 {",
        "\t\treverse_proxy api2:80",
        "\t}",
        "\t@route1 path /api /api/*",
        "\thandle @route1 {",
        "\t\treverse_proxy api:80",
        "\t}",
        "\thandle {",
        '\t\trespond "no route for this path" 404',
        "\t}",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("under strict: TLS 1.2 and 1.3 only, and HSTS", () => {
    expect(
      renderCaddyfile(input({ strict: true }))
        .split("\n")
        .slice(9),
    ).toStrictEqual([
      "app.example.com {",
      "\ttls {",
      "\t\tprotocols tls1.2 tls1.3",
      "\t}",
      '\theader Strict-Transport-Security "max-age=31536000; includeSubDomains"',
      "\thandle {",
      "\t\treverse_proxy site-web-a1b2c3d:8080",
      "\t}",
      "}",
      "",
    ]);
  });

  it.each([
    [false, ["\ttls /etc/dockerhost-edge/certificate-1.pem /etc/dockerhost-edge/key-1.pem"]],
    [
      true,
      [
        "\ttls /etc/dockerhost-edge/certificate-1.pem /etc/dockerhost-edge/key-1.pem {",
        "\t\tprotocols tls1.2 tls1.3",
        "\t}",
      ],
    ],
  ])("a certificate of the user's own (strict %p) names its files", (strict, tls) => {
    const lines = renderCaddyfile(
      input({ strict, ownCertificates: new Map([["app.example.com", 1]]) }),
    ).split("\n");
    const site = lines.indexOf("app.example.com {");
    expect(lines.slice(site + 1, site + 1 + tls.length)).toStrictEqual(tls);
  });
});

describe("edgeContainerSpec", () => {
  it("Caddy's image pinned, ports 80 and 443 with the firewall's CIDRs, its data on the volume, its config read-only", () => {
    expect(
      edgeContainerSpec("site", { allowedCidrs: ["0.0.0.0/0"], hostIp: "10.0.0.4" }),
    ).toStrictEqual({
      name: "dockerhost-edge",
      image: EDGE_IMAGE,
      command: [
        "caddy",
        "run",
        "--config",
        "/etc/dockerhost-edge/Caddyfile",
        "--adapter",
        "caddyfile",
      ],
      ports: [
        { internal: 80, hostIp: "10.0.0.4", allowedCidrs: ["0.0.0.0/0"] },
        { internal: 443, hostIp: "10.0.0.4", allowedCidrs: ["0.0.0.0/0"] },
      ],
      env: { XDG_DATA_HOME: "/data", XDG_CONFIG_HOME: "/config" },
      volumes: [
        { containerPath: "/data", volumeName: "dockerhost-edge-data" },
        {
          containerPath: "/etc/dockerhost-edge",
          hostPath: "/var/lib/docker/dockerhost-files/site/dockerhost-edge",
          readOnly: true,
        },
      ],
      readOnlyRootFs: true,
      sysctls: { "net.ipv4.tcp_migrate_req": "1" },
      tmpfs: { "/config": "" },
      capAdd: ["NET_BIND_SERVICE"],
      memoryMb: 256,
      networks: [{ name: "dockerhost-edge" }],
    });
    expect(EDGE_IMAGE).toMatch(/^caddy:2\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  });
});

describe("hostedApp", () => {
  const web: ContainerSpec = {
    name: "web",
    image: "web:1",
    networks: [{ name: "back" }],
    proxy: { host: "app.example.com" },
  };
  const db: ContainerSpec = { name: "db", image: "postgres:16", networks: [{ name: "back" }] };

  it("without a proxied container, the app as written and no edge", () => {
    expect(
      hostedApp("site", { containers: [db], networks: [{ name: "back" }] }, { acmeEmail: "x" }),
    ).toStrictEqual({ containers: [db], networks: [{ name: "back" }], volumes: [] });
  });

  it("proxied containers join the edge's network beside their own; the edge's network, volume and container are added", () => {
    const hosted = hostedApp(
      "site",
      { containers: [web, db], networks: [{ name: "back" }], volumes: [{ name: "data" }] },
      undefined,
    );
    expect([hosted.containers, hosted.networks, hosted.volumes]).toStrictEqual([
      [{ ...web, networks: [{ name: "back" }, { name: "dockerhost-edge" }] }, db],
      [{ name: "back" }, { name: "dockerhost-edge" }],
      [{ name: "data" }, { name: "dockerhost-edge-data" }],
    ]);
    expect(hosted.edge).toStrictEqual(edgeContainerSpec("site", undefined));
  });

  it("withEdge: the firewall sees the edge's ports only when something is proxied", () => {
    expect(withEdge("site", [db], undefined)).toStrictEqual([db]);
    expect(withEdge("site", [web], undefined).map((c) => c.name)).toStrictEqual([
      "web",
      "dockerhost-edge",
    ]);
  });
});

describe("the edge container's kernel parameter", () => {
  it("reaches docker.Container as sysctls, and a container without any gets none", () => {
    const defaults = { selinuxRelabel: false, readOnlyRootFs: false };
    const edge = edgeContainerSpec("site", undefined);
    expect(containerArgs(edge, "sha256:1", defaults).sysctls).toStrictEqual({
      "net.ipv4.tcp_migrate_req": "1",
    });
    expect(
      containerArgs({ name: "web", image: "nginx:1.27" }, "sha256:1", defaults).sysctls,
    ).toBeUndefined();
  });
});
