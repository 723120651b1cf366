import type { ProxySpec } from "../core/edge-spec";
import { isMap, type Doc } from "./compose-values";

// `x-dockerhost.proxy` on a compose service: the hostname (and path prefix, and the port the
// service listens on) that the host's edge serves it at, as `proxy` on a container spec. An
// extension key, so Docker Compose itself ignores it and the same file still runs there (the
// Compose Specification: "extension fields ... are ignored by Compose", a key starting "x-").
// Its shape is checked here, by its compose key; the hostname's rules are the edge's
// (validate-edge.ts), reported under the same key.

const EXTENSION = "x-dockerhost";
const PROXY_KEYS = ["host", "pathPrefix", "port"];

export function readProxy(
  svc: Doc,
  problem: (key: string, text: string) => void,
): ProxySpec | undefined {
  const ext = svc[EXTENSION];
  if (ext === undefined) return undefined;
  if (!isMap(ext)) {
    problem(EXTENSION, 'must be a map, e.g. { proxy: { host: "app.example.com" } }.');
    return undefined;
  }
  for (const key of Object.keys(ext))
    if (key !== "proxy")
      problem(`${EXTENSION}.${key}`, "is not a dockerhost setting of a service. Use proxy.");
  const proxy = ext.proxy;
  if (proxy === undefined) return undefined;
  const at = `${EXTENSION}.proxy`;
  if (!isMap(proxy) || typeof proxy.host !== "string") {
    problem(at, 'must be a map with the host it answers, e.g. { host: "app.example.com" }.');
    return undefined;
  }
  for (const key of Object.keys(proxy))
    if (!PROXY_KEYS.includes(key))
      problem(`${at}.${key}`, `is not a proxy setting. Use ${PROXY_KEYS.join(", ")}.`);
  if (proxy.pathPrefix !== undefined && typeof proxy.pathPrefix !== "string")
    problem(`${at}.pathPrefix`, 'must be a text, e.g. "/api".');
  const port =
    typeof proxy.port === "string" && /^\d+$/.test(proxy.port) ? Number(proxy.port) : proxy.port;
  if (port !== undefined && typeof port !== "number")
    problem(`${at}.port`, "must be a number: the port the service listens on.");
  return {
    host: proxy.host,
    ...(typeof proxy.pathPrefix === "string" ? { pathPrefix: proxy.pathPrefix } : {}),
    ...(typeof port === "number" ? { port } : {}),
  };
}
