import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { edgeProblems, type EdgeCheck } from "../../components/services/validate-edge";
import type { ContainerSpec } from "../../components/core/container-spec";

const HEALTH = { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1/"] };
const web = (over: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name: "web",
  image: "web:1",
  proxy: { host: "app.example.com" },
  healthcheck: HEALTH,
  ...over,
});
const check = (over: Partial<EdgeCheck>): string[] =>
  edgeProblems({ containers: [web()], strict: false, ...over });

describe("edgeProblems", () => {
  it("accepts a proxied container with a healthcheck, and no edge settings at all", () => {
    expect(check({})).toStrictEqual([]);
    expect(edgeProblems({ containers: [{ name: "db", image: "x" }], strict: true })).toStrictEqual(
      [],
    );
  });

  it.each<[string, Partial<EdgeCheck>, string[]]>([
    [
      "edge without a proxied container",
      { containers: [{ name: "db", image: "x" }], edge: {} },
      [
        "edge: set, but no container has proxy, so the host runs no edge. Add proxy: { host: ... } to the containers it should serve, or remove edge.",
      ],
    ],
    [
      "a wildcard host",
      { containers: [web({ proxy: { host: "*.example.com" } })] },
      [
        'containers[0].proxy.host: "*.example.com" is a wildcard, which ACME issues only by DNS-01; the edge answers HTTP-01. Name each host ("app.example.com"), or bring the wildcard certificate (edge.certificates).',
      ],
    ],
    [
      "capitals",
      { containers: [web({ proxy: { host: "App.example.com" } })] },
      [
        'containers[0].proxy.host: "App.example.com" has capitals; hostnames are matched in lowercase. Write "app.example.com".',
      ],
    ],
    [
      "one label, a bad prefix, a bad port",
      { containers: [web({ proxy: { host: "localhost", pathPrefix: "api", port: 70000 } })] },
      [
        'containers[0].proxy.host: "localhost" is not a hostname. Use a DNS name of two or more labels of letters, digits and "-", e.g. "app.example.com".',
        'containers[0].proxy.pathPrefix: "api" is not a path prefix. Start it with "/" and use only a URL path\'s characters, e.g. "/api".',
        "containers[0].proxy.port: 70000 is not a port. Use 1-65535: the port the container listens on.",
      ],
    ],
    [
      "ports, containerName and no healthcheck on a proxied container",
      {
        containers: [
          web({ ports: [{ internal: 8080 }], containerName: "web", healthcheck: undefined }),
        ],
      },
      [
        "containers[0].ports: a proxied container publishes no port of its own (the edge reaches it on their network, and the old and new containers of a deploy run side by side). Remove ports, or remove proxy to publish them.",
        'containers[0].containerName: a proxied container\'s Docker name is new at each replacement (the old and new run side by side while the edge switches). Remove containerName; other containers still reach it by "web".',
        'containers[0].healthcheck: a proxied container needs one: a deploy switches the edge to the new container only once its healthcheck passes, which is what makes it gap-free. Add healthcheck (e.g. test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:80/"]).',
      ],
    ],
    [
      "a one-off job proxied",
      { containers: [web({ runsToCompletion: true })] },
      [
        "containers[0].proxy: a one-off job (runsToCompletion) serves nothing to proxy. Remove proxy.",
      ],
    ],
    [
      "the same host and prefix twice ('/api' and '/api/' are one), the edge's names taken, port 443 elsewhere",
      {
        containers: [
          web({ proxy: { host: "app.example.com", pathPrefix: "/api" } }),
          web({ name: "api", proxy: { host: "app.example.com", pathPrefix: "/api/" } }),
          {
            name: "dockerhost-edge",
            image: "x",
            ports: [{ internal: 8443, external: 443 }],
            volumes: [
              {
                containerPath: "/run/secrets/x",
                files: { name: "dockerhost-edge", secret: true, entries: [] },
              },
            ],
          },
        ],
        networks: [{ name: "dockerhost-edge" }],
        volumes: [{ name: "dockerhost-edge-data" }],
      },
      [
        'containers[1].proxy: app.example.com with path prefix "/api" is already web\'s. Give one of them another host or pathPrefix.',
        'containers[2].name: "dockerhost-edge" is the edge\'s own container. Rename this one.',
        'containers[2].volumes[0].files.name: "dockerhost-edge" is the edge\'s own directory on the host. Rename this shipment.',
        "containers[2].ports[0]: port 443 is the edge's (containers are proxied on this host). Serve this container through the edge too (proxy: { host: ... }), or publish another port.",
        'networks[0].name: "dockerhost-edge" is the edge\'s own network. Rename this one.',
        'volumes[0].name: "dockerhost-edge-data" holds the edge\'s certificates. Rename this one.',
      ],
    ],
    [
      "the edge's settings, each wrong",
      {
        strict: true,
        edge: {
          acmeEmail: "ops",
          acmeDirectory: "http://acme.example.com/dir",
          acmeCaRootPem: "root",
          allowedCidrs: ["0.0.0.0"],
          hostIp: "localhost",
          image: "caddy:2",
        },
      },
      [
        'edge.acmeEmail: "ops" is not an email address. Use e.g. "ops@example.com", or leave it out.',
        'edge.acmeDirectory: "http://acme.example.com/dir" is not an https URL. Give the ACME directory\'s URL, e.g. "https://acme-staging-v02.api.letsencrypt.org/directory".',
        "edge.acmeCaRootPem: not a PEM certificate. Give the root's PEM text (-----BEGIN CERTIFICATE----- ...).",
        'edge.allowedCidrs[0]: "0.0.0.0" is not a CIDR. Use e.g. "203.0.113.7/32".',
        'edge.hostIp: "localhost" is not an IP address. Use e.g. "127.0.0.1", or leave it out to bind all addresses.',
        'edge.image: "caddy:2" names a tag, which can move to other content; the strict profile runs images pinned by digest (CIS Docker Benchmark 4.5). Use "caddy:2@sha256:<digest>" (`docker buildx imagetools inspect caddy:2` prints it), or build it from a Dockerfile (build).',
      ],
    ],
    [
      "certificates: a plain-text key, no hosts, a host nobody proxies, a host twice",
      {
        edge: {
          certificates: [
            { hosts: ["app.example.com"], certificate: "C", key: "K" },
            { hosts: [], certificate: "C", key: pulumi.secret("K") },
            {
              hosts: ["www.example.com", "app.example.com"],
              certificate: "C",
              key: pulumi.secret("K"),
            },
          ],
        },
      },
      [
        "edge.certificates[0].key: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)).",
        "edge.certificates[1].hosts: empty. Name the proxied hosts this certificate serves.",
        'edge.certificates[2].hosts: "www.example.com" is no container\'s proxy.host. Use one of: app.example.com.',
        "edge.certificates[2].hosts: app.example.com already has edge.certificates[0]. Give each host one certificate.",
      ],
    ],
  ])("%s", (_, over, expected) => {
    expect(check(over)).toStrictEqual(expected);
  });

  it("refuses what would break out of a Caddyfile token: quotes, braces, '#' in the email or the directory", () => {
    expect(
      check({
        edge: { acmeEmail: 'ops"}@example.com', acmeDirectory: "https://ca.example/dir#x" },
      }),
    ).toStrictEqual([
      'edge.acmeEmail: "ops\\"}@example.com" is not an email address. Use e.g. "ops@example.com", or leave it out.',
      'edge.acmeDirectory: "https://ca.example/dir#x" is not an https URL. Give the ACME directory\'s URL, e.g. "https://acme-staging-v02.api.letsencrypt.org/directory".',
    ]);
  });

  it("outside strict, a tagged edge image is the user's choice", () => {
    expect(check({ edge: { image: "caddy:2" } })).toStrictEqual([]);
  });
});
