import { isIP } from "node:net";
import type { ContainerSpec } from "../core/container-spec";

// How a container's process runs (hostname, working directory, stop signal and grace, /dev/shm,
// extra hosts, ulimits, tmpfs): every value in the words of the field as the user wrote it. Pure.

// RFC 1123 labels, dot-separated, as Docker's --hostname takes them.
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const SIGNAL = /^(?:SIG)?[A-Z][A-Z0-9+-]*$|^\d+$/;
// The limits `docker run --ulimit` knows (docker/go-units ulimit.go, ulimitNameMapping; "as"
// is left out there).
const ULIMITS = [
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack",
];

// The engine's own logging drivers on Linux (docs.docker.com, "Configure logging drivers",
// supported logging drivers; etwlogs is Windows-only).
const LOG_DRIVERS = [
  "json-file",
  "local",
  "journald",
  "syslog",
  "gelf",
  "fluentd",
  "awslogs",
  "splunk",
  "gcplogs",
  "none",
];

const whole = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;

export function processProblems(c: ContainerSpec, field: string): string[] {
  const problems: string[] = [];
  if (c.hostname !== undefined && !HOSTNAME.test(c.hostname))
    problems.push(
      `${field}.hostname: ${JSON.stringify(c.hostname)} is not a hostname. Use letters, digits and "-" in dot-separated labels.`,
    );
  if (c.workingDir !== undefined && !c.workingDir.startsWith("/"))
    problems.push(`${field}.workingDir: must be an absolute path.`);
  if (c.stopSignal !== undefined && !SIGNAL.test(c.stopSignal))
    problems.push(
      `${field}.stopSignal: ${JSON.stringify(c.stopSignal)} is not a signal. Use a name such as "SIGQUIT", or a number.`,
    );
  if (c.stopTimeoutSeconds !== undefined && !whole(c.stopTimeoutSeconds, 0))
    problems.push(`${field}.stopTimeoutSeconds: must be a whole number of seconds.`);
  if (c.shmSizeMb !== undefined && !whole(c.shmSizeMb, 1))
    problems.push(`${field}.shmSizeMb: must be a whole number of MiB, at least 1.`);
  for (const [host, ip] of Object.entries(c.extraHosts ?? {})) {
    if (!HOSTNAME.test(host)) problems.push(`${field}.extraHosts.${host}: not a hostname.`);
    if (ip !== "host-gateway" && isIP(ip) === 0)
      problems.push(
        `${field}.extraHosts.${host}: ${JSON.stringify(ip)} is not an IP address. Give one, or "host-gateway" for the host.`,
      );
  }
  for (const [name, limit] of Object.entries(c.ulimits ?? {})) {
    if (!ULIMITS.includes(name))
      problems.push(
        `${field}.ulimits.${name}: not a limit Docker sets. Use one of: ${ULIMITS.join(", ")}.`,
      );
    const unlimited = (n: number) => (n === -1 ? Infinity : n);
    const ok =
      whole(limit?.soft, -1) &&
      whole(limit?.hard, -1) &&
      unlimited(limit.soft) <= unlimited(limit.hard);
    if (!ok)
      problems.push(
        `${field}.ulimits.${name}: give { soft, hard }, whole numbers with soft no more than hard (-1 for unlimited).`,
      );
  }
  for (const target of Object.keys(c.tmpfs ?? {}))
    if (!target.startsWith("/"))
      problems.push(`${field}.tmpfs.${target}: must be an absolute path.`);
  (c.dns ?? []).forEach((server, i) => {
    if (!isIP(server))
      problems.push(`${field}.dns[${i}]: ${JSON.stringify(server)} is not an IP address.`);
  });
  const driver = c.logging?.driver;
  if (driver !== undefined && !LOG_DRIVERS.includes(driver))
    problems.push(
      `${field}.logging.driver: ${JSON.stringify(driver)} is not a logging driver the engine has. Use one of: ${LOG_DRIVERS.join(", ")} (a plugin driver would need installing on the host first).`,
    );
  return problems;
}
