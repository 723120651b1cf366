import type { ContainerSpec } from "../core/container-spec";
import { durationProblem } from "../core/docker-grammar";
import { asMap, composeMemoryMb, isMap } from "./compose-values";
import type { ServiceReader } from "./service-reader";

// A compose service's process keys, as docker.Container fields: hostname, working_dir, tty,
// stdin_open, init, stop_signal, stop_grace_period, shm_size, extra_hosts, ulimits, tmpfs, dns, logging. The
// schema takes strings wherever interpolation may give one; the values are checked here.

const UNITS: Record<string, number> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
  us: 1e-6,
  µs: 1e-6,
  ns: 1e-9,
};

/** A Go duration ("1m30s") as whole seconds, rounded up: what Docker's stop timeout takes. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g))
    total += Number(n) * UNITS[unit];
  return Math.ceil(total);
}

const flag = (v: unknown): boolean | undefined =>
  v === undefined ? undefined : v === true || v === "true";

export function readProcess(r: ServiceReader): Partial<ContainerSpec> {
  const svc = r.svc;
  const spec: Partial<ContainerSpec> = {};
  if (svc.hostname !== undefined) spec.hostname = String(svc.hostname);
  if (svc.working_dir !== undefined) spec.workingDir = String(svc.working_dir);
  for (const [key, field] of [
    ["tty", "tty"],
    ["stdin_open", "stdinOpen"],
    ["init", "init"],
  ] as const) {
    const value = flag(svc[key]);
    if (value !== undefined) spec[field] = value;
  }
  if (svc.stop_signal !== undefined) spec.stopSignal = String(svc.stop_signal);
  if (svc.stop_grace_period !== undefined) {
    const text = String(svc.stop_grace_period);
    const problem = durationProblem(text);
    if (problem) r.problem("stop_grace_period", problem);
    else spec.stopTimeoutSeconds = seconds(text);
  }
  if (svc.shm_size !== undefined) {
    const mb = composeMemoryMb(svc.shm_size);
    if (mb === undefined)
      r.problem(
        "shm_size",
        `${JSON.stringify(svc.shm_size)} is not a size. Use e.g. "256m" or "1g".`,
      );
    else spec.shmSizeMb = mb;
  }
  if (svc.extra_hosts !== undefined) spec.extraHosts = extraHosts(r, svc.extra_hosts);
  if (svc.ulimits !== undefined)
    spec.ulimits = Object.fromEntries(
      Object.entries(asMap(svc.ulimits)).map(([name, v]) => [
        name,
        isMap(v)
          ? { soft: Number(v.soft), hard: Number(v.hard) }
          : { soft: Number(v), hard: Number(v) },
      ]),
    );
  if (svc.dns !== undefined) spec.dns = (Array.isArray(svc.dns) ? svc.dns : [svc.dns]).map(String);
  if (svc.logging !== undefined) {
    const { driver, options } = asMap(svc.logging);
    spec.logging = {
      ...(driver === undefined ? {} : { driver: String(driver) }),
      ...(options === undefined
        ? {}
        : {
            options: Object.fromEntries(
              Object.entries(asMap(options)).map(([k, v]) => [k, String(v)]),
            ),
          }),
    };
  }
  if (svc.tmpfs !== undefined) {
    const list = Array.isArray(svc.tmpfs) ? svc.tmpfs : [svc.tmpfs];
    spec.tmpfs = Object.fromEntries(
      list.map((t) => {
        const [target, ...options] = String(t).split(":");
        return [target, options.join(":")];
      }),
    );
  }
  return spec;
}

/** `extra_hosts` as a list ("name:ip", "name=ip") or a map, as name to address. */
function extraHosts(r: ServiceReader, value: unknown): Record<string, string> {
  if (!Array.isArray(value))
    return Object.fromEntries(Object.entries(asMap(value)).map(([k, v]) => [k, String(v)]));
  const hosts: Record<string, string> = {};
  value.forEach((entry, i) => {
    // "name=ip", or "name:ip" where the address may be IPv6 (its own colons).
    const m = /^([^:=]+)[:=](.+)$/.exec(String(entry));
    if (!m) r.problem(`extra_hosts[${i}]`, `${JSON.stringify(entry)}: write "name:address".`);
    else hosts[m[1]] = m[2].replace(/^\[(.*)\]$/, "$1");
  });
  return hosts;
}
