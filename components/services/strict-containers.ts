import type { ContainerSpec } from "../core/container-spec";

// The `strict` profile's rules for containers (CIS Docker Benchmark v1.6, container runtime): each
// one asks for an explicit decision rather than a silent default, so an auditor reads in the
// program which container runs as root, unpinned, unchecked or on every address.

/** An image reference pinned to its content (`name@sha256:<64 hex>`, with or without a tag). */
export const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;
/** CPU shares each container gets under strict when it sets no `cpus` limit (Docker's is 1024). */
export const STRICT_CPU_SHARES = 512;

export function imagePinProblem(image: string, field: string): string | undefined {
  if (DIGEST_PINNED.test(image)) return undefined;
  return `${field}.image: ${JSON.stringify(image)} names a tag, which can move to other content; the strict profile runs images pinned by digest (CIS Docker Benchmark 4.5). Use ${JSON.stringify(`${image.replace(/@.*$/, "")}@sha256:<digest>`)} (\`docker buildx imagetools inspect ${image}\` prints it), or build it from a Dockerfile (build).`;
}

/**
 * The refusal of containers[index]'s image when it is not pinned by digest (none when it is);
 * index -1 is the host's edge, which the user declares as `edge.image`.
 */
export function pinProblems(image: string, index: number): string[] {
  const problem = imagePinProblem(image, index < 0 ? "edge" : `containers[${index}]`);
  return problem ? [problem] : [];
}

/** What the strict rules read of a workload: a container (DockerServices) or a swarm service. */
export interface StrictWorkload {
  image?: unknown;
  user?: string;
  healthcheck?: unknown;
}

/**
 * The rules a container and a swarm service share under strict: an explicit user (CIS 4.1), an
 * image pinned by digest (4.5), a healthcheck (4.6, 5.27). `kind` names the workload in the
 * message, as the user declared it.
 */
export function strictWorkloadProblems(
  w: StrictWorkload,
  field: string,
  kind: "container" | "service" = "container",
): string[] {
  const problems: string[] = [];
  if (w.user === undefined) {
    problems.push(
      `${field}.user: unset, so the ${kind} runs as its image's user, root for most images; the strict profile runs no ${kind} as root unless it says so (CIS Docker Benchmark 4.1). Set user to an unprivileged "uid:gid" (e.g. "10001:10001"), or "root" to accept root in this ${kind} (userns-remap still maps it to an unprivileged host user).`,
    );
  }
  // A reference with "@" is a digest, or already refused by the image grammar.
  if (typeof w.image === "string" && !w.image.includes("@")) {
    const problem = imagePinProblem(w.image, field);
    if (problem) problems.push(problem);
  }
  if (!w.healthcheck) {
    problems.push(
      `${field}.healthcheck: unset; the strict profile checks every ${kind}'s health (CIS Docker Benchmark 4.6, 5.27). Add a healthcheck, e.g. { test: ["CMD", "wget", "-q", "-O-", "http://localhost/"] }, or { test: ["NONE"] } to opt out for this ${kind}.`,
    );
  }
  return problems;
}

/**
 * Log options without a driver go to the host's driver, and only the file drivers (json-file,
 * local) take rotation options: the engine refuses them at create for journald, awslogs or syslog.
 */
export function hostLogOptionProblems(c: ContainerSpec, field: string, host: string): string[] {
  if (c.logging?.driver !== undefined) return [];
  return Object.keys(c.logging?.options ?? {})
    .filter((option) => FILE_LOG_OPTIONS.includes(option))
    .map(
      (option) =>
        `${field}.logging.options.${option}: ${host}, which takes no ${option}. Give driver: "json-file" (or "local") with it, or leave it out.`,
    );
}

/** What a host that ships its containers' logs says of its driver (containerLogs "cloud"). */
export function shippedLogsHost(driver: string): string {
  return `the host ships containers' logs with ${driver} (containerLogs: "cloud")`;
}

/**
 * The strict profile's rules for one container; `logsShipped`: the host's driver is not the
 * profile's journald but the cloud's (hostLogOptionProblems then speaks for it).
 */
export function strictContainerProblems(
  c: ContainerSpec,
  field: string,
  logsShipped = false,
): string[] {
  const problems = strictWorkloadProblems(c, field);
  (c.ports ?? []).forEach((p, pi) => {
    if (p.hostIp !== undefined) return;
    problems.push(
      `${field}.ports[${pi}].hostIp: unset, so port ${p.external ?? p.internal} is published on every address of the host; the strict profile binds each published port to one address (CIS Docker Benchmark 5.14). Set hostIp to the address it serves on ("127.0.0.1" for a port reached over SSH only), or "0.0.0.0" to publish it on every address on purpose.`,
    );
  });
  // Under strict the host's driver is journald (daemon-config.ts), unless it ships its logs.
  if (!logsShipped)
    problems.push(...hostLogOptionProblems(c, field, "the strict profile's host logs to journald"));
  return problems;
}

/** Options only the file drivers (json-file, local) take: their rotation. */
const FILE_LOG_OPTIONS = ["max-size", "max-file", "compress"];
