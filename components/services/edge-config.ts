import type { ContainerSpec } from "../core/container-spec";
import type { EdgeSpec } from "../core/edge-spec";
import { SHIPPED_ROOT } from "./shipped-files";

// The edge: one Caddy per host that owns ports 80 and 443, routes hostnames (and path prefixes)
// to the proxied containers by their Docker names, and gets certificates by ACME. Pure: the
// Caddyfile it reads and the container it runs in, as data; edge.ts makes the resources.
//
// Caddy's behaviour relied on here (Caddy's docs, caddyserver.com/docs, and caddyserver/caddy):
// - a site with a hostname gets a certificate by ACME from `acme_ca`, and Caddy "redirects HTTP
//   ... to HTTPS automatically" (docs "Automatic HTTPS"; a 308, modules/caddyhttp/autohttps.go
//   http.StatusPermanentRedirect), on port 80, which is also where it answers HTTP-01;
// - certificates and the ACME account are stored under $XDG_DATA_HOME/caddy (docs "Data
//   directory"), here a named volume on the Docker data disk, so a new edge container or a
//   replaced host (the disk moves with it) reuses them and orders nothing;
// - `caddy reload` applies a new config through the admin API: it will "gracefully replace the
//   active configuration without downtime" (docs "Getting started"), and "if the new config
//   fails for any reason, the old config is rolled back into place without downtime" (docs
//   "API"); `--force` reloads even an unchanged config (since v2.4.0); the certificate cache is kept
//   through a reload since v2.7.0 (caddyserver/caddy#5623; before it, a handshake during a reload
//   could find no certificate, #5589), so EDGE_IMAGE is 2.7 or newer;
// - TLS 1.2 is the servers' minimum by default (modules/caddytls/connpolicy.go: "Minimum TLS
//   protocol version to allow. Default: `tls1.2`");
//   under strict the Caddyfile says so itself, and adds HSTS.

/** Caddy's official image, pinned (the digest as public Dockerfiles pin caddy:2.10.2). */
export const EDGE_IMAGE =
  "caddy:2.10.2@sha256:c3d7ee5d2b11f9dc54f947f68a734c84e9c9666c92c88a7f30b9cba5da182adb";
export const LETS_ENCRYPT_DIRECTORY = "https://acme-v02.api.letsencrypt.org/directory";
/** The edge container's name: one per host, as ports 80 and 443 are. */
export const EDGE_CONTAINER = "dockerhost-edge";
/** Where the edge reads its routes, certificates and ACME root (a read-only bind). */
export const EDGE_CONFIG_DIR = "/etc/dockerhost-edge";
export const EDGE_CADDYFILE = `${EDGE_CONFIG_DIR}/Caddyfile`;
/** The network the edge and the proxied containers share (`<component>_dockerhost-edge`). */
export const EDGE_NETWORK = "dockerhost-edge";
/** Caddy's data: certificates and the ACME account (`<component>_dockerhost-edge-data`). */
export const EDGE_DATA_VOLUME = "dockerhost-edge-data";
export const DEFAULT_PROXY_PORT = 80;
/**
 * Seconds the routes step waits after a reload for the requests the old routes still serve.
 * `caddy reload` returns once the old servers stop accepting, without waiting for their requests
 * in flight (caddyhttp/app.go Stop, v2.10.2: "we don't really need to wait for the grace period
 * to finish if the process isn't exiting"), and those go to the old upstream, the container a
 * create-first replacement deletes after this step: an old container stopped sooner cuts them.
 */
export const EDGE_SWITCH_DRAIN_SECONDS = 10;
/**
 * HSTS under strict: a year and every subdomain, the HSTS preload list's floor (hstspreload.org);
 * asking to be preloaded (`preload`) stays the domain owner's choice.
 */
export const STRICT_HSTS = "max-age=31536000; includeSubDomains";

/** The host directory bound at EDGE_CONFIG_DIR. */
export function edgeHostDir(component: string): string {
  return `${SHIPPED_ROOT}/${component}/${EDGE_CONTAINER}`;
}

/** One route: a hostname (and path prefix) to a container's Docker name and port. */
export interface EdgeRoute {
  host: string;
  pathPrefix?: string;
  upstream: string;
}

export interface CaddyfileInput {
  routes: EdgeRoute[];
  edge: Pick<EdgeSpec, "acmeEmail" | "acmeDirectory" | "acmeCaRootPem">;
  /** Per host with a certificate of the user's own, its files' index (certificate-<i>.pem). */
  ownCertificates: Map<string, number>;
  strict: boolean;
}

/** "/api/" and "/api" are the same prefix; "/" is every path. */
export function normalPrefix(prefix: string | undefined): string {
  if (prefix === undefined) return "/";
  const trimmed = prefix.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

export function renderCaddyfile(input: CaddyfileInput): string {
  const { edge } = input;
  const global = [
    "{",
    // The admin API only inside the edge's own network namespace: `caddy reload` runs there.
    "\tadmin localhost:2019",
    ...(edge.acmeEmail ? [`\temail ${edge.acmeEmail}`] : []),
    `\tacme_ca ${edge.acmeDirectory ?? LETS_ENCRYPT_DIRECTORY}`,
    ...(edge.acmeCaRootPem ? [`\tacme_ca_root ${EDGE_CONFIG_DIR}/acme-ca-root.pem`] : []),
    // HTTP/3 would need 443/udp open in every firewall on the way; HTTP/1.1 and 2 do not.
    "\tservers {",
    "\t\tprotocols h1 h2",
    "\t}",
    "}",
  ];
  const hosts = [...new Set(input.routes.map((r) => r.host))].sort();
  const sites = hosts.map((host) => siteBlock(host, input));
  return [
    "# Written by dockerhost at each `pulumi up`: the routes of this host's edge.",
    ...global,
    ...sites.flatMap((s) => ["", ...s]),
    "",
  ].join("\n");
}

function siteBlock(host: string, input: CaddyfileInput): string[] {
  const own = input.ownCertificates.get(host);
  const protocols = input.strict ? ["\t\tprotocols tls1.2 tls1.3"] : [];
  const tls =
    own !== undefined
      ? [
          `\ttls ${EDGE_CONFIG_DIR}/certificate-${own}.pem ${EDGE_CONFIG_DIR}/key-${own}.pem${protocols.length ? " {" : ""}`,
          ...(protocols.length ? [...protocols, "\t}"] : []),
        ]
      : protocols.length
        ? ["\ttls {", ...protocols, "\t}"]
        : [];
  // Longest prefix first: Caddy keeps `handle` blocks with named matchers in the order written,
  // and the first that matches wins (they are mutually exclusive).
  const routes = input.routes
    .filter((r) => r.host === host)
    .map((r) => ({ ...r, prefix: normalPrefix(r.pathPrefix) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const handles = routes.flatMap((r, i) =>
    r.prefix === "/"
      ? ["\thandle {", `\t\treverse_proxy ${r.upstream}`, "\t}"]
      : [
          `\t@route${i} path ${r.prefix} ${r.prefix}/*`,
          `\thandle @route${i} {`,
          `\t\treverse_proxy ${r.upstream}`,
          "\t}",
        ],
  );
  const fallback = routes.some((r) => r.prefix === "/")
    ? []
    : ["\thandle {", '\t\trespond "no route for this path" 404', "\t}"];
  return [
    `${host} {`,
    ...tls,
    ...(input.strict ? [`\theader Strict-Transport-Security "${STRICT_HSTS}"`] : []),
    ...handles,
    ...fallback,
    "}",
  ];
}

/** The edge's container, as any other container of the component is declared. */
export function edgeContainerSpec(component: string, edge: EdgeSpec | undefined): ContainerSpec {
  const port = (internal: number) => ({
    internal,
    ...(edge?.hostIp ? { hostIp: edge.hostIp } : {}),
    ...(edge?.allowedCidrs ? { allowedCidrs: edge.allowedCidrs } : {}),
  });
  return {
    name: EDGE_CONTAINER,
    image: edge?.image ?? EDGE_IMAGE,
    command: ["caddy", "run", "--config", EDGE_CADDYFILE, "--adapter", "caddyfile"],
    ports: [port(80), port(443)],
    // Caddy's data and config directories, as its official image sets them.
    env: { XDG_DATA_HOME: "/data", XDG_CONFIG_HOME: "/config" },
    volumes: [
      { containerPath: "/data", volumeName: EDGE_DATA_VOLUME },
      { containerPath: EDGE_CONFIG_DIR, hostPath: edgeHostDir(component), readOnly: true },
    ],
    readOnlyRootFs: true,
    // /config holds only Caddy's autosave of the running config: nothing to keep.
    tmpfs: { "/config": "" },
    // Binding 80 and 443 is all it needs (as root of its user namespace under userns-remap).
    capAdd: ["NET_BIND_SERVICE"],
    // A reload hands Caddy's listeners over by SO_REUSEPORT: the new config opens its own socket
    // on the port, then the old config's is closed (caddyserver/caddy#4705; v2.10.2 listen_unix.go
    // reusePort, caddy.go: new config started, then the old stopped). "When a listener is
    // closed, in-flight request sockets during the handshake and established sockets in the
    // accept queue are aborted" (the kernel's ip-sysctl.rst; LWN 853637): a request in that moment
    // failed (`socket hang up`) in 2 of 2 loaded CI runs. tcp_migrate_req, per network
    // namespace, moves them to another listener of the port instead (Linux 5.14+: "This option
    // makes it possible to migrate such child sockets to another listener after close() or
    // shutdown()"). Debian 12, Ubuntu 24.04 and Amazon Linux 2023 run 6.x kernels; RHEL 9's
    // 5.14 base should carry it, not checked on a RHEL host here. A moved connection may wait
    // for the listener's next wake-up on a kernel without CVE-2026-46015's fix.
    sysctls: { "net.ipv4.tcp_migrate_req": "1" },
    memoryMb: 256,
    networks: [{ name: EDGE_NETWORK }],
  };
}
