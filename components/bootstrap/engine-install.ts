import {
  DOCKER_RELEASE_KEY_FINGERPRINT,
  DOCKER_RPM_KEY_FINGERPRINT,
  type OsEntry,
} from "./os-catalog";
import * as path from "node:path";
import { DOCKER_DATA_DIR } from "./data-disk";
import { labelDockerDataLines } from "./selinux";
import { fail, shellQuote, shellScript } from "./shell";
import type { EngineSource } from "./types";

// One small function per step of installing the engine; each returns the exact shell text.

// Package lists stay gzip-compressed on disk: apt then neither downloads the xz lists nor
// decompresses them on update (7 s of an 11 s update under emulation); reading gzip is cheap.
const APT_LIST_OPTIONS = "-o Acquire::GzipIndexes=true -o Acquire::CompressionTypes::Order::=gz";

const APT_OPTIONS = [
  // Keeps the configuration files that cloud-init wrote before the install (daemon.json).
  "-o Dpkg::Options::=--force-confold",
  // The disk is fresh; fsync per file only slows the unpack down.
  "-o Dpkg::Options::=--force-unsafe-io",
].join(" ");

export function aptUpdate(): string {
  // Translations are never read on a server; skipping them saves one download per source.
  return `apt-get -q -o Acquire::Languages=none -o Acquire::Retries=3 ${APT_LIST_OPTIONS} update`;
}

export function aptInstall(packages: string[]): string {
  return `apt-get -q -y --no-install-recommends ${APT_LIST_OPTIONS} ${APT_OPTIONS} install ${packages.map(shellQuote).join(" ")}`;
}

export function dnfInstall(packages: string[]): string {
  return `dnf -y -q install ${packages.map(shellQuote).join(" ")}`;
}

/**
 * Lines that install `pkg` where `binary` is missing. On a baked image apt may have no lists:
 * update, then try again.
 */
export function installIfMissing(manager: "apt" | "dnf", binary: string, pkg: string): string[] {
  const install =
    manager === "apt"
      ? `{ ${aptInstall([pkg])} || { ${aptUpdate()} && ${aptInstall([pkg])}; }; }`
      : dnfInstall([pkg]);
  return [
    `if ! command -v ${binary} >/dev/null 2>&1; then`,
    ...(manager === "apt" ? ["  export DEBIAN_FRONTEND=noninteractive"] : []),
    `  ${install} || ${fail(`could not install ${pkg}`)}`,
    "fi",
  ];
}

/** Blocks services from starting inside package scripts, so the engine starts once, configured. */
export function holdServiceStarts(): string[] {
  return [
    "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d",
    "chmod 0755 /usr/sbin/policy-rc.d",
    "trap 'rm -f /usr/sbin/policy-rc.d' EXIT",
  ];
}

export function engineAlreadyInstalled(): string {
  return "command -v dockerd >/dev/null 2>&1";
}

function pinned(name: string, version: string | undefined, separator: "=" | "-"): string {
  return version ? `${name}${separator}${version}` : name;
}

/** The distribution's own engine package, with an optional exact version pin. */
export function distroEnginePackages(os: OsEntry, version?: string): string[] {
  const packages = os.engine.distroPackages ?? [];
  const separator = os.packageManager === "apt" ? "=" : "-";
  return packages.map((p, i) => (i === 0 ? pinned(p, version, separator) : p));
}

/** Fetches Docker's signing key to a file and refuses it unless its fingerprint is the known one. */
export function fetchVerifiedKey(url: string, path: string, fingerprint: string): string[] {
  return [
    `curl -fsSL --retry 5 -o ${path} ${shellQuote(url)}`,
    `fpr=$(gpg --show-keys --with-colons ${path} | awk -F: '/^fpr:/ { print $10; exit }')`,
    `[ "$fpr" = ${fingerprint} ] || ${fail(`Docker's signing key at ${url} has an unexpected fingerprint`)}`,
  ];
}

export function addDockerCeAptRepo(os: OsEntry): string[] {
  const repo = os.engine.dockerCe;
  if (!repo?.suite) throw new Error(`${os.name}: no Docker apt repository in the catalog`);
  const key = "/etc/apt/keyrings/docker.asc";
  return [
    aptInstall(["ca-certificates", "curl", "gnupg"]),
    "install -d -m 0755 /etc/apt/keyrings",
    ...fetchVerifiedKey(`${repo.url}/gpg`, key, DOCKER_RELEASE_KEY_FINGERPRINT),
    `echo "deb [arch=$(dpkg --print-architecture) signed-by=${key}] ${repo.url} ${repo.suite} stable" > /etc/apt/sources.list.d/docker.list`,
    aptUpdate(),
  ];
}

export function addDockerCeDnfRepo(os: OsEntry): string[] {
  const repo = os.engine.dockerCe;
  if (!repo?.release) throw new Error(`${os.name}: no Docker rpm repository in the catalog`);
  const key = "/etc/pki/rpm-gpg/docker-ce.gpg";
  return [
    ...fetchVerifiedKey(`${repo.url}/gpg`, key, DOCKER_RPM_KEY_FINGERPRINT),
    `rpm --import ${key}`,
    "# shellcheck disable=SC2016 # $basearch is dnf's variable, not the shell's",
    `printf '%s\\n' ${[
      "[docker-ce-stable]",
      "name=Docker CE Stable",
      `baseurl=${repo.url}/${repo.release}/$basearch/stable`,
      "enabled=1",
      "gpgcheck=1",
      `gpgkey=file://${key}`,
    ]
      .map((l) => `'${l}'`)
      .join(" ")} > /etc/yum.repos.d/docker-ce.repo`,
  ];
}

/** docker-ce's packages; with apt the pin is resolved against the repository's version list. */
export function dockerCePackages(
  os: OsEntry,
  version?: string,
): { resolve: string[]; packages: string[] } {
  const names = ["docker-ce", "docker-ce-cli", "containerd.io"];
  if (!version) return { resolve: [], packages: names };
  if (os.packageManager === "dnf") {
    return {
      resolve: [],
      packages: [`docker-ce-${version}`, `docker-ce-cli-${version}`, "containerd.io"],
    };
  }
  return {
    resolve: [
      `ver=$(apt-cache madison docker-ce | awk -v want=${shellQuote(version)} '$3 ~ ("^([0-9]+:)?" want "-") { print $3; exit }')`,
      `[ -n "$ver" ] || ${fail(`docker.version ${version} is not in Docker's repository`)}`,
    ],
    packages: ['docker-ce="$ver"', 'docker-ce-cli="$ver"', "containerd.io"],
  };
}

export interface PackageStepInput {
  os: OsEntry;
  source: EngineSource;
  version?: string;
  /** Non-engine packages (audit, SELinux) installed in the same transaction, for speed. */
  extraPackages: string[];
}

/** The whole package step: repositories, engine (unless the image has one) and extras. */
export function installPackagesScript(input: PackageStepInput): string {
  return shellScript(
    "install the Docker engine and the host's packages",
    installPackagesLines(input),
  );
}

/** The package step's lines, shared by the first boot (cold path) and the bake. */
export function installPackagesLines(input: PackageStepInput): string[] {
  const { os, source, version, extraPackages } = input;
  const apt = os.packageManager === "apt";
  const install = (packages: string[]): string =>
    apt ? aptInstall(packages) : dnfInstall(packages);
  const engineLines: string[] = [];
  let enginePackages: string[];
  if (source === "docker-ce") {
    engineLines.push(...(apt ? addDockerCeAptRepo(os) : addDockerCeDnfRepo(os)));
    const ce = dockerCePackages(os, version);
    engineLines.push(...ce.resolve);
    enginePackages = ce.packages;
  } else {
    enginePackages = distroEnginePackages(os, version);
  }
  // needrestart (strict) would otherwise restart services from its apt hook mid-boot.
  const lines = apt
    ? ["export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1", ...holdServiceStarts()]
    : [];
  if (apt) lines.push(aptUpdate());
  lines.push(
    `if ${engineAlreadyInstalled()}; then`,
    '  echo "dockerhost: the image already has an engine: $(dockerd --version)"',
    ...(extraPackages.length ? [`  ${install(extraPackages)}`] : []),
    "else",
    ...engineLines.map((l) => `  ${l}`),
    `  ${install([...enginePackages, ...extraPackages])}`,
    "fi",
  );
  return lines;
}

/** The engine's units, enabled by its packages. */
export const ENGINE_UNITS = ["containerd.service", "docker.socket", "docker.service"];

/**
 * Written by step 40 before it starts the engine. A baked image holds the engine enabled but held
 * back until this exists (bakedEngineHold, baked-image.ts): a first boot must not start it before
 * its daemon.json, containerd config and data disk are in place.
 */
export const ENGINE_CONFIGURED_MARKER = "/var/lib/dockerhost/engine-configured";

/**
 * Starts the engine once with its final configuration, without waiting: the hardening steps run
 * while it comes up, and awaitEngineScript waits for it at the end.
 */
export function startEngineScript(): string {
  return shellScript("start the engine with its final configuration", [
    `install -d -m 0755 ${path.posix.dirname(ENGINE_CONFIGURED_MARKER)}`,
    `touch ${ENGINE_CONFIGURED_MARKER}`,
    "systemctl daemon-reload",
    // Package scripts enabled them already; `enable` again would rerun Debian's SysV sync (7 s).
    `for unit in ${ENGINE_UNITS.join(" ")}; do`,
    '  systemctl cat "$unit" >/dev/null 2>&1 || continue',
    '  systemctl is-enabled -q "$unit" || systemctl enable "$unit"',
    "done",
    ...labelDockerDataLines(DOCKER_DATA_DIR),
    // A preinstalled engine may already run with the image's configuration.
    "systemctl restart --no-block docker.service",
  ]);
}

/** Waits until the engine answers, then lets the login user at it. */
/**
 * Seconds the first boot waits for `docker info`. A replacement host on an old data disk loads
 * the old host's containers first: measured over 3 minutes of "activating" on an emulated guest
 * beside three others, so 120 s failed a healthy boot.
 */
export const ENGINE_WAIT_SECONDS = 300;

export function awaitEngineScript(sshUser: string): string {
  return shellScript("wait until the engine answers", [
    `timeout ${ENGINE_WAIT_SECONDS} sh -c 'until docker info >/dev/null 2>&1; do sleep 0.5; done' || { systemctl status --no-pager docker.service >&2; ${fail(`the engine did not answer "docker info" within ${ENGINE_WAIT_SECONDS} s`)}; }`,
    `usermod -aG docker ${shellQuote(sshUser)}`,
  ]);
}
