import * as http from "node:http";
import * as https from "node:https";
import type { ContainerSpec } from "../../components/core/container-spec";
import type { EdgeSpec } from "../../components/core/edge-spec";
import { dockerObjectName } from "../../components/services/app-topology";
import { MANAGED_BY_LABEL } from "../../components/services/container-args";
import {
  EDGE_CONTAINER,
  EDGE_DATA_VOLUME,
  EDGE_NETWORK,
  edgeContainerSpec,
  edgeHostDir,
  renderCaddyfile,
  type EdgeRoute,
} from "../../components/services/edge-config";
import { edgeFilesScript, edgePayload, type EdgeFile } from "../../components/services/edge-files";
import { healthGateScript } from "../../components/services/health-gate";
import { PROXIED_DRAIN_SECONDS } from "../../components/services/service-container";
import { healthFlags } from "./app-deploy";
import { SERVICE_DEFAULTS } from "./guest-boot";

// The edge and its proxied containers deployed with the docker CLI over ssh:// in the steps the
// component's resources take (edge.ts, service-container.ts): the edge's network and data volume,
// each proxied container (under a name of its own, as the provider autonames it) and its health
// gate, the routes command's script with its payload, then the edge container with the flags its
// spec gives. A replacement runs in the engine's create-before-delete order: the new container
// and its gate, the routes command's update, then the old container stopped with its drain.

interface Engine {
  docker(args: string[], timeoutMs?: number): Promise<string>;
  ssh(command: string, timeoutMs?: number): Promise<string>;
  sshWithInput(command: string, input: string, timeoutMs?: number): Promise<string>;
}

export async function createEdgeObjects(engine: Engine, component: string): Promise<void> {
  const label = ["--label", `${MANAGED_BY_LABEL}=pulumi`];
  await engine.docker([
    "network",
    "create",
    "--driver",
    "bridge",
    ...label,
    dockerObjectName(component, EDGE_NETWORK),
  ]);
  await engine.docker([
    "volume",
    "create",
    ...label,
    dockerObjectName(component, EDGE_DATA_VOLUME),
  ]);
}

/** A proxied container under `dockerName`, on the edge's network (alias: its name), then its gate. */
export async function runProxied(
  engine: Engine,
  component: string,
  spec: ContainerSpec,
  dockerName: string,
): Promise<void> {
  const hc = spec.healthcheck!;
  await engine.docker([
    "create",
    "--name",
    dockerName,
    "--network",
    dockerObjectName(component, EDGE_NETWORK),
    "--network-alias",
    spec.name,
    ...healthFlags(hc),
    "--health-start-period",
    hc.startPeriod ?? "0s",
    "--stop-timeout",
    String(PROXIED_DRAIN_SECONDS),
    ...SERVICE_DEFAULTS,
    String(spec.image),
  ]);
  await engine.docker(["start", dockerName], 5 * 60_000);
  await engine.ssh(healthGateScript(dockerName), 5 * 60_000);
}

/** The routes command's create or update: the files written, the running edge reloaded. */
export async function writeRoutes(
  engine: Engine,
  component: string,
  routes: EdgeRoute[],
  edge: EdgeSpec,
  strict: boolean,
): Promise<string> {
  const files: EdgeFile[] = [
    {
      name: "Caddyfile",
      content: renderCaddyfile({ routes, edge, ownCertificates: new Map(), strict }),
    },
    ...(edge.acmeCaRootPem ? [{ name: "acme-ca-root.pem", content: edge.acmeCaRootPem }] : []),
  ];
  return engine.sshWithInput(edgeFilesScript(edgeHostDir(component)), edgePayload(files), 120_000);
}

/** The edge container as its spec (edgeContainerSpec) makes it. */
export async function runEdge(engine: Engine, component: string, edge: EdgeSpec): Promise<void> {
  const spec = edgeContainerSpec(component, edge);
  await engine.docker(
    [
      "run",
      "-d",
      "--name",
      EDGE_CONTAINER,
      "--network",
      dockerObjectName(component, EDGE_NETWORK),
      ...(spec.ports ?? []).flatMap((p) => ["-p", `${p.internal}:${p.internal}`]),
      "--mount",
      `type=volume,source=${dockerObjectName(component, EDGE_DATA_VOLUME)},target=/data`,
      "--mount",
      `type=bind,source=${edgeHostDir(component)},target=/etc/dockerhost-edge,readonly`,
      ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${String(v)}`]),
      "--tmpfs",
      "/config",
      "--tmpfs",
      "/tmp",
      "--read-only",
      "--cap-drop",
      "ALL",
      "--cap-add",
      "NET_BIND_SERVICE",
      ...Object.entries(spec.sysctls ?? {}).flatMap(([k, v]) => ["--sysctl", `${k}=${v}`]),
      "--security-opt",
      "no-new-privileges",
      "--memory",
      `${spec.memoryMb}m`,
      "--restart",
      "unless-stopped",
      String(spec.image),
      ...(spec.command ?? []),
    ],
    5 * 60_000,
  );
}

/** Removes a replaced container as the provider's delete does: stopped with its grace, removed. */
export async function retire(engine: Engine, dockerName: string): Promise<void> {
  await engine.docker(["stop", "-t", String(PROXIED_DRAIN_SECONDS), dockerName], 60_000);
  await engine.docker(["rm", "-f", dockerName]);
}

export interface HttpsAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** The served certificate's subject alternative names and serial. */
  altNames: string;
  serial: string;
  authorized: boolean;
}

/** GET https://host/path at 127.0.0.1:port, the name sent as SNI and Host, trusting `ca`. */
export function httpsGet(
  port: number,
  host: string,
  ca: string,
  timeoutMs = 5000,
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: "127.0.0.1",
        port,
        servername: host,
        headers: { host },
        ca,
        path: "/",
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const socket = res.socket as import("node:tls").TLSSocket;
        const cert = socket.getPeerCertificate();
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            headers: res.headers,
            altNames: cert.subjectaltname ?? "",
            serial: cert.serialNumber ?? "",
            authorized: socket.authorized,
          }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** GET http://host/path at 127.0.0.1:port (fetch cannot send its own Host header): status and Location. */
export function httpGetWithHost(
  port: number,
  host: string,
  urlPath: string,
  timeoutMs = 10_000,
): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        headers: { host },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}
