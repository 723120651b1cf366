import type { ContainerSpec, NetworkSpec, VolumeSpec } from "../core/container-spec";
import type { EdgeSpec } from "../core/edge-spec";
import { EDGE_CONTAINER, EDGE_DATA_VOLUME, EDGE_NETWORK, normalPrefix } from "./edge-config";
import { cidrProblem } from "../core/validate-network";
import { hostIpProblem } from "../core/docker-grammar";
import { imagePinProblem } from "./strict-containers";

// Checks on the edge and the containers it proxies, before any resource exists. Pure: a value
// counts as plain text when it is a bare string (a Pulumi secret is an object).

export interface EdgeCheck {
  containers: ContainerSpec[];
  networks?: NetworkSpec[];
  volumes?: VolumeSpec[];
  edge?: EdgeSpec;
  strict: boolean;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Written into the Caddyfile as bare tokens: no quotes, braces, "#" or spaces can get in.
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;
const CADDYFILE_UNSAFE = /[\s"'`{}#\\]/;
const PATH_PREFIX = /^\/[A-Za-z0-9._~!$&'()+,;=:@%/-]*$/;
const EDGE_PORTS = [80, 443];

/** Why a proxied hostname cannot have a certificate by HTTP-01, or undefined. */
export function proxyHostProblem(host: string): string | undefined {
  if (host.startsWith("*."))
    return `${JSON.stringify(host)} is a wildcard, which ACME issues only by DNS-01; the edge answers HTTP-01. Name each host ("app.example.com"), or bring the wildcard certificate (edge.certificates).`;
  if (host !== host.toLowerCase())
    return `${JSON.stringify(host)} has capitals; hostnames are matched in lowercase. Write ${JSON.stringify(host.toLowerCase())}.`;
  const labels = host.split(".");
  if (host.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)))
    return `${JSON.stringify(host)} is not a hostname. Use a DNS name of two or more labels of letters, digits and "-", e.g. "app.example.com".`;
  return undefined;
}

function proxyProblems(c: ContainerSpec, field: string): string[] {
  const proxy = c.proxy!;
  const f = `${field}.proxy`;
  const problems: string[] = [];
  const host = proxyHostProblem(proxy.host);
  if (host) problems.push(`${f}.host: ${host}`);
  if (proxy.pathPrefix !== undefined && !PATH_PREFIX.test(proxy.pathPrefix))
    problems.push(
      `${f}.pathPrefix: ${JSON.stringify(proxy.pathPrefix)} is not a path prefix. Start it with "/" and use only a URL path's characters, e.g. "/api".`,
    );
  if (
    proxy.port !== undefined &&
    (!Number.isInteger(proxy.port) || proxy.port < 1 || proxy.port > 65535)
  )
    problems.push(
      `${f}.port: ${proxy.port} is not a port. Use 1-65535: the port the container listens on.`,
    );
  if (c.ports?.length)
    problems.push(
      `${field}.ports: a proxied container publishes no port of its own (the edge reaches it on their network, and the old and new containers of a deploy run side by side). Remove ports, or remove proxy to publish them.`,
    );
  if (c.containerName !== undefined)
    problems.push(
      `${field}.containerName: a proxied container's Docker name is new at each replacement (the old and new run side by side while the edge switches). Remove containerName; other containers still reach it by ${JSON.stringify(c.name)}.`,
    );
  if (c.runsToCompletion)
    problems.push(
      `${field}.proxy: a one-off job (runsToCompletion) serves nothing to proxy. Remove proxy.`,
    );
  else if (!c.healthcheck || c.healthcheck.test[0] === "NONE")
    problems.push(
      `${field}.healthcheck: a proxied container needs one: a deploy switches the edge to the new container only once its healthcheck passes, which is what makes it gap-free. Add healthcheck (e.g. test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:${proxy.port ?? 80}/"]).`,
    );
  return problems;
}

export function edgeProblems(input: EdgeCheck): string[] {
  const { containers, edge } = input;
  const proxied = containers.filter((c) => c.proxy);
  if (!proxied.length)
    return edge
      ? [
          "edge: set, but no container has proxy, so the host runs no edge. Add proxy: { host: ... } to the containers it should serve, or remove edge.",
        ]
      : [];
  const problems: string[] = [];
  const routes = new Map<string, string>();
  containers.forEach((c, i) => {
    const field = `containers[${i}]`;
    if (c.name === EDGE_CONTAINER)
      problems.push(
        `${field}.name: ${JSON.stringify(EDGE_CONTAINER)} is the edge's own container. Rename this one.`,
      );
    // A secret shipment's directory is named without a digest (shipped-files.ts): this name
    // would be the edge's own directory, its Caddyfile and keys.
    for (const [j, v] of (c.volumes ?? []).entries())
      if (v.files?.secret && v.files.name === EDGE_CONTAINER)
        problems.push(
          `${field}.volumes[${j}].files.name: ${JSON.stringify(EDGE_CONTAINER)} is the edge's own directory on the host. Rename this shipment.`,
        );
    for (const [j, p] of (c.ports ?? []).entries())
      if (
        EDGE_PORTS.includes(p.external ?? p.internal) &&
        (p.protocol ?? "tcp") === "tcp" &&
        !c.proxy
      )
        problems.push(
          `${field}.ports[${j}]: port ${p.external ?? p.internal} is the edge's (containers are proxied on this host). Serve this container through the edge too (proxy: { host: ... }), or publish another port.`,
        );
    if (!c.proxy) return;
    problems.push(...proxyProblems(c, field));
    const key = `${c.proxy.host}${normalPrefix(c.proxy.pathPrefix)}`;
    const first = routes.get(key);
    if (first !== undefined)
      problems.push(
        `${field}.proxy: ${c.proxy.host} with path prefix ${JSON.stringify(normalPrefix(c.proxy.pathPrefix))} is already ${first}'s. Give one of them another host or pathPrefix.`,
      );
    else routes.set(key, c.name);
  });
  (input.networks ?? []).forEach((n, i) => {
    if (n.name === EDGE_NETWORK)
      problems.push(
        `networks[${i}].name: ${JSON.stringify(EDGE_NETWORK)} is the edge's own network. Rename this one.`,
      );
  });
  (input.volumes ?? []).forEach((v, i) => {
    if (v.name === EDGE_DATA_VOLUME)
      problems.push(
        `volumes[${i}].name: ${JSON.stringify(EDGE_DATA_VOLUME)} holds the edge's certificates. Rename this one.`,
      );
  });
  return [
    ...problems,
    ...edgeSpecProblems(edge ?? {}, new Set(proxied.map((c) => c.proxy!.host)), input.strict),
  ];
}

function edgeSpecProblems(edge: EdgeSpec, hosts: Set<string>, strict: boolean): string[] {
  const problems: string[] = [];
  if (edge.acmeEmail !== undefined && !EMAIL.test(edge.acmeEmail))
    problems.push(
      `edge.acmeEmail: ${JSON.stringify(edge.acmeEmail)} is not an email address. Use e.g. "ops@example.com", or leave it out.`,
    );
  if (edge.acmeDirectory !== undefined && !isHttpsUrl(edge.acmeDirectory))
    problems.push(
      `edge.acmeDirectory: ${JSON.stringify(edge.acmeDirectory)} is not an https URL. Give the ACME directory's URL, e.g. "https://acme-staging-v02.api.letsencrypt.org/directory".`,
    );
  if (
    edge.acmeCaRootPem !== undefined &&
    !edge.acmeCaRootPem.includes("-----BEGIN CERTIFICATE-----")
  )
    problems.push(
      "edge.acmeCaRootPem: not a PEM certificate. Give the root's PEM text (-----BEGIN CERTIFICATE----- ...).",
    );
  for (const [i, cidr] of (edge.allowedCidrs ?? []).entries()) {
    const problem = cidrProblem(cidr);
    if (problem) problems.push(`edge.allowedCidrs[${i}]: ${problem}`);
  }
  if (edge.hostIp !== undefined) {
    const problem = hostIpProblem(edge.hostIp);
    if (problem) problems.push(`edge.hostIp: ${problem}`);
  }
  if (strict && typeof edge.image === "string") {
    const problem = imagePinProblem(edge.image, "edge");
    if (problem) problems.push(problem);
  }
  const covered = new Map<string, number>();
  for (const [i, cert] of (edge.certificates ?? []).entries()) {
    const f = `edge.certificates[${i}]`;
    if (typeof cert.key === "string")
      problems.push(
        `${f}.key: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)).`,
      );
    if (!cert.hosts.length)
      problems.push(`${f}.hosts: empty. Name the proxied hosts this certificate serves.`);
    for (const host of cert.hosts) {
      if (!hosts.has(host))
        problems.push(
          `${f}.hosts: ${JSON.stringify(host)} is no container's proxy.host. Use one of: ${[...hosts].sort().join(", ")}.`,
        );
      else if (covered.has(host))
        problems.push(
          `${f}.hosts: ${host} already has edge.certificates[${covered.get(host)}]. Give each host one certificate.`,
        );
      else covered.set(host, i);
    }
  }
  return problems;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:" && !CADDYFILE_UNSAFE.test(value);
  } catch {
    return false;
  }
}
