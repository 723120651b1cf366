import { DEFAULT_HARDENING, hardeningRules } from "../core/hardening-profile";
import { daemonGuaranteeProblems } from "./daemon-config";
import { credentialHelperProblems } from "./credential-helpers";
import { privateNetworkProblems } from "./private-network";
import { OS_CATALOG, type OsEntry } from "./os-catalog";
import { engineLabelsContainers } from "./selinux";
import { checkShape, withoutShadowed } from "../core/shape";
import { HOST_SPEC_SCHEMA } from "./spec-schema";
import {
  type EngineSource,
  type HardeningProfile,
  type HostSpec,
  type JsonValue,
  type SelinuxMode,
} from "./types";
import { DockerHostConfigError } from "../core/config-error";

/** A HostSpec with every default filled in from the catalog. */
export interface ResolvedHostSpec extends HostSpec {
  entry: OsEntry;
  sshUser: string;
  hardening: HardeningProfile;
  selinux: SelinuxMode;
  engineSource: EngineSource;
  containerPidsLimit: number;
}

export const DEFAULT_CONTAINER_PIDS_LIMIT = 1024;

/** The daemon.json overrides as an object, or the problem with the text. */
export function parseDaemonConfig(
  text: string | undefined,
): { [key: string]: JsonValue } | string | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `docker.daemonConfigJson: not JSON (${(e as Error).message}). Pass a JSON object, e.g. '{"log-level":"warn"}'.`;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    return `docker.daemonConfigJson: must be a JSON object of daemon.json keys, e.g. '{"log-level":"warn"}'.`;
  return parsed as { [key: string]: JsonValue };
}
const SSH_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;
const LINUX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const PACKAGE_VERSION = /^[0-9][0-9A-Za-z.+~:_-]*$/;

export function isSshPublicKey(key: string): boolean {
  return SSH_KEY.test(key.trim());
}

function engineProblems(spec: HostSpec, entry: OsEntry, source: EngineSource): string[] {
  const problems: string[] = [];
  if (source === "docker-ce" && !entry.engine.dockerCe) {
    problems.push(
      `docker.source: Docker publishes no docker-ce repository for ${entry.name}. Use "distro" (the default).`,
    );
  }
  if (source === "distro" && !entry.engine.distroPackages) {
    problems.push(
      `docker.source: ${entry.name} ships no Docker engine package. Use "docker-ce" (the default).`,
    );
  }
  const version = spec.docker?.version;
  if (version !== undefined && !PACKAGE_VERSION.test(version)) {
    problems.push(
      `docker.version: ${JSON.stringify(version)} is not a package version. Use e.g. "27.3.1".`,
    );
  }
  const overrides = parseDaemonConfig(spec.docker?.daemonConfigJson);
  if (typeof overrides === "string") problems.push(overrides);
  else if (overrides && "hosts" in overrides) {
    problems.push(
      'docker.daemonConfigJson.hosts: the engine listens on its unix socket only and is reached over SSH; a "hosts" entry would open a TCP socket. Remove it.',
    );
  }
  (spec.docker?.registryMirrors ?? []).forEach((mirror, i) => {
    if (!/^https:\/\/[^\s/]+/.test(mirror)) {
      problems.push(
        `docker.registryMirrors[${i}]: ${JSON.stringify(mirror)} is not an https:// URL.`,
      );
    }
  });
  return problems;
}

/**
 * `strict` means enforcing where SELinux is the OS's own confinement (RHEL, Amazon Linux).
 * Debian confines containers with AppArmor out of the box; SELinux there is asked for explicitly.
 */
export function defaultSelinuxMode(entry: OsEntry, hardening: HardeningProfile): SelinuxMode {
  const builtIn = entry.selinux.available && entry.selinux.imageDefault !== "disabled";
  return hardeningRules(hardening).selinuxEnforcingByDefault && builtIn
    ? "enforcing"
    : "os-default";
}

function selinuxProblems(entry: OsEntry, mode: SelinuxMode): string[] {
  if (mode === "os-default" || mode === "disabled") return [];
  if (!entry.selinux.available) {
    return [
      `selinux: ${entry.name} has no SELinux; it confines containers with AppArmor, which Docker's default profile already uses. Use "os-default" or "disabled".`,
    ];
  }
  return [];
}

function accessProblems(spec: HostSpec, entry: OsEntry, sshUser: string): string[] {
  const problems: string[] = [];
  if (!LINUX_USER.test(sshUser)) {
    problems.push(
      `sshUser: ${JSON.stringify(sshUser)} is not a valid Linux user name. Use lowercase letters, digits, "-" and "_".`,
    );
  } else if (sshUser === "root") {
    problems.push(
      `sshUser: "root" is refused: root login is off on every host. Use ${JSON.stringify(entry.defaultUser[spec.cloud] ?? "admin")} or another name.`,
    );
  }
  if (!spec.sshAuthorizedKeys?.length) {
    problems.push(
      "sshAuthorizedKeys: at least one OpenSSH public key is needed to reach the host. Pass e.g. the contents of ~/.ssh/id_ed25519.pub.",
    );
  }
  (spec.sshAuthorizedKeys ?? []).forEach((key, i) => {
    if (!isSshPublicKey(key)) {
      problems.push(
        `sshAuthorizedKeys[${i}]: not an OpenSSH public key. Expected one line like "ssh-ed25519 AAAA... comment".`,
      );
    }
  });
  return problems;
}

/** Checks a HostSpec and fills in its defaults; throws DockerHostConfigError listing every problem. */
export function resolveHostSpec(
  input: HostSpec,
  /** A bake installs for hosts yet to come: it has no login user or keys of its own. */
  options: { forBake?: boolean } = {},
): ResolvedHostSpec {
  const shape = checkShape(HOST_SPEC_SCHEMA, input);
  const spec = shape.pruned;
  // Without a known OS, arch and cloud there is no catalog entry to check the rest against.
  const basics = shape.failedFields.filter((f) => ["os", "arch", "cloud"].includes(f));
  if (basics.length) throw new DockerHostConfigError(shape.problems);

  const entry = OS_CATALOG[spec.os];
  const sshUser = spec.sshUser ?? entry.defaultUser[spec.cloud];
  const hardening = spec.hardening ?? DEFAULT_HARDENING;
  const selinux = spec.selinux ?? defaultSelinuxMode(entry, hardening);
  const engineSource = spec.docker?.source ?? entry.engine.defaultSource;
  const containerPidsLimit = spec.containerPidsLimit ?? DEFAULT_CONTAINER_PIDS_LIMIT;

  const problems = [
    ...(options.forBake ? [] : accessProblems(spec, entry, sshUser)),
    ...engineProblems(spec, entry, engineSource),
    ...selinuxProblems(entry, selinux),
    ...credentialHelperProblems(spec.os, spec.credentialHelpers),
  ];
  // The shape check has already refused an unknown profile (and pruned it to the default).
  const overrides = parseDaemonConfig(spec.docker?.daemonConfigJson);
  if (typeof overrides !== "string") {
    problems.push(
      ...daemonGuaranteeProblems({
        hardening,
        selinuxEnabled: engineLabelsContainers(entry, selinux),
        swarm: spec.swarm ?? false,
        shippedLogs: spec.shippedLogs,
        overrides: overrides ?? {},
        relax: spec.docker?.relaxDaemonKeys ?? [],
      }),
    );
  }
  if (!Number.isInteger(containerPidsLimit) || containerPidsLimit < 0) {
    problems.push(
      `containerPidsLimit: ${containerPidsLimit} is not a whole number of processes. Use e.g. 1024, or 0 for no limit.`,
    );
  } else if (containerPidsLimit === 0 && hardeningRules(hardening).pidsLimitRequired) {
    problems.push(
      "containerPidsLimit: 0 lifts the per-container process limit, which the strict profile keeps (CIS Docker Benchmark 5.29: a fork bomb in one container must not starve the host). Set a limit, e.g. 4096, or use hardening: baseline.",
    );
  }
  (spec.dataDisk?.devices ?? []).forEach((device, i) => {
    if (!/^\/dev\/[A-Za-z0-9_./:-]+$/.test(device)) {
      problems.push(`dataDisk.devices[${i}]: ${JSON.stringify(device)} is not a /dev path.`);
    }
  });
  if (spec.dataDisk && spec.dataDisk.devices.length === 0) {
    problems.push("dataDisk.devices: empty. Name at least one device path, or leave dataDisk out.");
  }
  problems.push(...privateNetworkProblems(spec.privateNetwork, spec.cloud));
  const all = [...shape.problems, ...withoutShadowed(problems, shape.failedFields)];
  if (all.length) throw new DockerHostConfigError(all);
  return { ...spec, entry, sshUser, hardening, selinux, engineSource, containerPidsLimit };
}
