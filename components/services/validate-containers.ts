import { posix } from "node:path";
import { shipmentClashes, shippedProblems } from "./shipped-files";
import { processProblems } from "./validate-process";
import { imageSourceProblems } from "./validate-build";
import { DockerHostConfigError } from "../core/config-error";
import { RESTART_POLICIES } from "../core/container-spec";
import type { ContainerSpec, RegistryAuthSpec } from "../core/container-spec";
import { cidrProblem } from "../core/validate-network";
import { appProblems, type AppCheck } from "./validate-app";
import { cloudSecretsProblems } from "./cloud-secrets";
import {
  hostLogOptionProblems,
  shippedLogsHost,
  strictContainerProblems,
} from "./strict-containers";
import {
  durationProblem,
  hostIpProblem,
  userProblem,
  volumeNameProblem,
} from "../core/docker-grammar";

// Checks on the containers of one host, made before any resource exists. Pure: a value counts
// as plain text when it is a bare string (a Pulumi secret or config output is an object).

const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
// Docker checks only that a variable's name is not empty (docker/cli opts/env.go, ValidateEnv:
// "environment variable names are not validated"); "=" would end it, and a line break split it.
// Elasticsearch's `node.name` is one such name.
const ENV_NAME = /^[^=\0\n\r]+$/;
const CAPABILITY = /^[A-Z][A-Z_]*$/;
// Bind-mounting a system path with an SELinux relabel (`:z`/`:Z`) would relabel the host's own
// files as container files: sshd, the engine or the boot then fail under enforcing. Two kinds:
// trees that are the system's through and through (refused with everything under them), and
// directories that are the system's while what lies under them is a service's own (refused only
// as themselves: /srv/<name> is where a service's files belong). Paths are normalized first:
// `/etc/.`, `//etc` and `/srv/../etc` are /etc.
export const SYSTEM_TREES = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/sys",
  "/usr",
  "/var/lib/containerd",
  "/var/lib/docker",
  "/var/log",
];
export const SYSTEM_DIRECTORIES = [
  "/",
  "/home",
  "/mnt",
  "/opt",
  "/srv",
  "/tmp",
  "/var",
  "/var/lib",
];

/** Why relabeling this bind mount's host path would break the host, or undefined. */
export function relabelProblem(hostPath: string, container: string): string | undefined {
  const normal = posix.normalize(hostPath).replace(/(.)\/+$/, "$1");
  // A trailing slash is no rewrite worth naming; `/etc/.` and `//etc` are.
  const trimmed = hostPath.replace(/(.)\/+$/, "$1");
  const written = normal === trimmed ? "" : ` (written ${JSON.stringify(hostPath)})`;
  const fix = `Mount a directory of its own (e.g. /srv/${container}).`;
  const tree = SYSTEM_TREES.find((t) => normal === t || normal.startsWith(`${t}/`));
  if (tree && tree !== normal)
    return `${normal}${written} is inside ${tree}, a system directory; relabeling it for SELinux would break the host. ${fix}`;
  if (tree || SYSTEM_DIRECTORIES.includes(normal))
    return `${normal}${written} is a system directory; relabeling it for SELinux would break the host. ${fix}`;
  return undefined;
}

function portProblems(containers: ContainerSpec[]): string[] {
  const problems: string[] = [];
  const taken = new Map<string, string>();
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((p, pi) => {
      const field = `containers[${ci}].ports[${pi}]`;
      for (const key of ["internal", "external"] as const) {
        const value = p[key];
        if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 65535)) {
          problems.push(`${field}.${key}: ${value} is not a port number (1-65535).`);
        }
      }
      if (p.protocol !== undefined && p.protocol !== "tcp" && p.protocol !== "udp") {
        problems.push(
          `${field}.protocol: ${JSON.stringify(p.protocol)} is not supported. Use "tcp" or "udp".`,
        );
      }
      const external = p.external ?? p.internal;
      const key = `${external}/${p.protocol ?? "tcp"}`;
      const owner = taken.get(key);
      if (owner) {
        problems.push(
          `${field}.external: host port ${key} is already published by ${owner}. Pick another external port.`,
        );
      } else {
        taken.set(key, `containers[${ci}] (${JSON.stringify(c.name)})`);
      }
      if (p.hostIp !== undefined) {
        const problem = hostIpProblem(p.hostIp);
        if (problem) problems.push(`${field}.hostIp: ${problem}`);
      }
      (p.allowedCidrs ?? []).forEach((cidr, i) => {
        const problem = cidrProblem(cidr);
        if (problem) problems.push(`${field}.allowedCidrs[${i}]: ${problem}`);
      });
    });
  });
  return problems;
}

function envProblems(c: ContainerSpec, field: string): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(c.env ?? {})) {
    if (!ENV_NAME.test(name))
      problems.push(
        `${field}.env.${name}: not a valid environment variable name: it must not be empty or hold "=" or a line break.`,
      );
  }
  for (const [name, value] of Object.entries(c.secretEnv ?? {})) {
    if (!ENV_NAME.test(name))
      problems.push(
        `${field}.secretEnv.${name}: not a valid environment variable name: it must not be empty or hold "=" or a line break.`,
      );
    if (typeof value === "string") {
      problems.push(
        `${field}.secretEnv.${name}: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)) so it stays encrypted in state.`,
      );
    }
    if (c.env && name in c.env)
      problems.push(`${field}.secretEnv.${name}: also set in env. Set it in one place.`);
  }
  return problems;
}

function volumeProblems(c: ContainerSpec, field: string, selinuxRelabel: boolean): string[] {
  const problems: string[] = [];
  (c.volumes ?? []).forEach((v, i) => {
    const at = `${field}.volumes[${i}]`;
    if (!v.containerPath?.startsWith("/"))
      problems.push(`${at}.containerPath: must be an absolute path.`);
    if ([v.hostPath, v.volumeName, v.files].filter((x) => x !== undefined).length !== 1) {
      problems.push(
        `${at}: set exactly one of hostPath (bind mount), volumeName (named volume) or files (shipped files).`,
      );
    }
    if (v.files !== undefined) problems.push(...shippedProblems(v.files, `${at}.files`));
    if (v.volumeName !== undefined) {
      const problem = volumeNameProblem(v.volumeName);
      if (problem) problems.push(`${at}.volumeName: ${problem}`);
    }
    if (v.hostPath !== undefined) {
      const relabel = selinuxRelabel ? relabelProblem(v.hostPath, c.name) : undefined;
      if (!v.hostPath.startsWith("/")) problems.push(`${at}.hostPath: must be an absolute path.`);
      else if (relabel) problems.push(`${at}.hostPath: ${relabel}`);
    }
  });
  return problems;
}

function containerProblems(c: ContainerSpec, ci: number, selinuxRelabel: boolean): string[] {
  const field = `containers[${ci}]`;
  const problems: string[] = [];
  if (typeof c.name !== "string" || !CONTAINER_NAME.test(c.name)) {
    problems.push(
      `${field}.name: ${JSON.stringify(c.name)} is not a valid container name. Use letters, digits, "_", "." and "-", starting with a letter or digit.`,
    );
  }
  if (c.containerName !== undefined && !CONTAINER_NAME.test(c.containerName)) {
    problems.push(
      `${field}.containerName: ${JSON.stringify(c.containerName)} is not a valid container name. Use letters, digits, "_", "." and "-", starting with a letter or digit.`,
    );
  }
  problems.push(...imageSourceProblems(c, field));
  if (c.user !== undefined) {
    const problem = userProblem(c.user);
    if (problem) problems.push(`${field}.user: ${problem}`);
  }
  if (c.restart !== undefined && !RESTART_POLICIES.includes(c.restart)) {
    problems.push(
      `${field}.restart: ${JSON.stringify(c.restart)} is not supported. Use one of: ${RESTART_POLICIES.join(", ")}.`,
    );
  }
  if (c.memoryMb !== undefined && (!Number.isInteger(c.memoryMb) || c.memoryMb < 6)) {
    problems.push(
      `${field}.memoryMb: ${c.memoryMb} is too small or not whole; Docker needs at least 6 MiB.`,
    );
  }
  if (c.cpus !== undefined && (!/^\d+(\.\d+)?$/.test(c.cpus) || Number(c.cpus) <= 0)) {
    problems.push(
      `${field}.cpus: ${JSON.stringify(c.cpus)} is not a number of CPUs. Use e.g. "0.5".`,
    );
  }
  (c.capAdd ?? []).forEach((cap, i) => {
    if (!CAPABILITY.test(cap) || cap.startsWith("CAP_")) {
      problems.push(
        `${field}.capAdd[${i}]: ${JSON.stringify(cap)} is not a capability name. Use Docker's form, e.g. "NET_BIND_SERVICE".`,
      );
    }
  });
  for (const key of Object.keys(c.sysctls ?? {}))
    if (!NAMESPACED_SYSCTL.test(key))
      problems.push(
        `${field}.sysctls.${key}: not a kernel parameter of the container's own namespaces, which is all Docker sets. Use a net.*, kernel.shm*, kernel.msg*, kernel.sem or fs.mqueue.* parameter, or set it on the host.`,
      );
  for (const key of ["interval", "timeout", "startPeriod"] as const) {
    const value = c.healthcheck?.[key];
    const problem = value === undefined ? undefined : durationProblem(value);
    if (problem) problems.push(`${field}.healthcheck.${key}: ${problem}`);
  }
  const test = c.healthcheck?.test;
  if (c.healthcheck && (!test?.length || !["CMD", "CMD-SHELL", "NONE"].includes(test[0]))) {
    problems.push(
      `${field}.healthcheck.test: start with "CMD", "CMD-SHELL" or "NONE", e.g. ["CMD", "wget", "-q", "-O-", "http://localhost/"].`,
    );
  }
  return [...problems, ...envProblems(c, field), ...volumeProblems(c, field, selinuxRelabel)];
}

export interface ContainersCheck extends AppCheck {
  containers: ContainerSpec[];
  registries?: RegistryAuthSpec[];
  /** True when the host labels containers for SELinux and bind mounts get relabeled. */
  selinuxRelabel: boolean;
  /** The strict profile's container rules apply (strict-containers.ts). */
  strict?: boolean;
  /** The driver that ships the host's containers' logs (containerLogs "cloud": awslogs, syslog). */
  shippedLogDriver?: string;
}

/** The sysctls Docker sets in a container (its namespaces' own: "docker run", --sysctl). */
const NAMESPACED_SYSCTL =
  /^(net\.[a-z0-9_.-]+|kernel\.(shm[a-z_]+|msg[a-z_]+|sem)|fs\.mqueue\.[a-z_]+)$/;

export function containersProblems(input: ContainersCheck): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  // Each Docker name (containerName, else name) is unique: which container holds it, and how.
  const dockerNames = new Map<string, { ci: number; named: boolean }>();
  input.containers.forEach((c, ci) => {
    problems.push(...containerProblems(c, ci, input.selinuxRelabel));
    problems.push(...processProblems(c, `containers[${ci}]`));
    problems.push(...cloudSecretsProblems(c, `containers[${ci}]`));
    if (input.strict)
      problems.push(
        ...strictContainerProblems(c, `containers[${ci}]`, input.shippedLogDriver !== undefined),
      );
    if (input.shippedLogDriver)
      problems.push(
        ...hostLogOptionProblems(c, `containers[${ci}]`, shippedLogsHost(input.shippedLogDriver)),
      );
    const first = seen.get(c.name);
    if (first !== undefined) {
      problems.push(
        `containers[${ci}].name: ${JSON.stringify(c.name)} is already used by containers[${first}]. Container names are unique per host.`,
      );
    } else seen.set(c.name, ci);
    const named = c.containerName !== undefined;
    const dockerName = c.containerName ?? c.name;
    const owner = dockerNames.get(dockerName);
    // Two plain names that clash are the name check's above.
    if (owner && (named || owner.named))
      problems.push(
        `containers[${ci}].${named ? "containerName" : "name"}: ${JSON.stringify(dockerName)} is already the Docker name of containers[${owner.ci}]. Container names are unique per host.`,
      );
    else if (!owner) dockerNames.set(dockerName, { ci, named });
  });
  problems.push(...portProblems(input.containers));
  problems.push(...shipmentClashes(input.containers));
  problems.push(...appProblems(input));
  (input.registries ?? []).forEach((r, i) => {
    if (typeof r.password === "string") {
      problems.push(
        `registries[${i}].password: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)).`,
      );
    }
    if (!/^[a-z0-9.-]+(:\d+)?(\/.*)?$/i.test(r.address ?? "")) {
      problems.push(
        `registries[${i}].address: ${JSON.stringify(r.address)} is not a registry host, e.g. "ghcr.io".`,
      );
    }
  });
  return problems;
}

export function validateContainers(input: ContainersCheck): void {
  const problems = containersProblems(input);
  if (problems.length) throw new DockerHostConfigError(problems);
}
