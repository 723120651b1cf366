import { hardeningRules } from "../core/hardening-profile";
import { createHash } from "node:crypto";
import { installPackagesLines, installPackagesScript } from "./engine-install";
import { unattendedUpdates } from "./host-hardening";
import type { PackageManager } from "./os-catalog";
import { selinuxPackages } from "./selinux";
import { STRICT_PACKAGES } from "./strict-os";
import { selinuxNeedsReboot } from "./selinux-activation";
import type { ResolvedHostSpec } from "./validate-host";

// A host's install half: the packages its settings need (engine, audit, SELinux, updates),
// none of which depend on the host's identity. The first boot installs them (cold path), or a
// bake puts them in an image once (baked-image.ts) and the first boot only checks they are there.

/** The packages a host needs, by name (no version pins), and how its engine is pinned. */
export interface ImageContents {
  manager: PackageManager;
  /** The package whose version is the engine's (docker.io, docker-ce, docker). */
  enginePackage: string;
  packages: string[];
  /** docker.version, where the host pins one. */
  enginePin?: string;
}

/**
 * The non-engine packages: audit daemon, SELinux confinement, and under strict unattended security
 * updates and the audit tools of strict-os.ts.
 */
export function extraPackages(host: ResolvedHostSpec): string[] {
  const { entry, hardening, selinux } = host;
  const extras = [...selinuxPackages(entry, selinux)];
  const rules = hardeningRules(hardening);
  if (rules.auditRules) extras.push(entry.auditPackage);
  if (rules.unattendedUpdates) extras.push(...(unattendedUpdates(entry)?.packages ?? []));
  if (rules.strictOs) extras.push(...STRICT_PACKAGES[entry.packageManager]);
  return extras;
}

/** Where SELinux is turned on by a relabel and reboot (Debian): its policy packages. */
export function activationPackages(host: ResolvedHostSpec): string[] {
  const activation = host.entry.selinux.activation;
  return activation && selinuxNeedsReboot(host.entry, host.selinux) ? activation.packages : [];
}

function enginePackageNames(host: ResolvedHostSpec): string[] {
  if (host.engineSource === "docker-ce") return ["docker-ce", "docker-ce-cli", "containerd.io"];
  return host.entry.engine.distroPackages ?? [];
}

export function imageContents(host: ResolvedHostSpec): ImageContents {
  const engine = enginePackageNames(host);
  return {
    manager: host.entry.packageManager,
    enginePackage: engine[0],
    packages: [...engine, ...extraPackages(host), ...activationPackages(host)],
    ...(host.docker?.version ? { enginePin: host.docker.version } : {}),
  };
}

/** Everything the host installs at first boot on the cold path: the engine and the extras. */
export function packagesScript(host: ResolvedHostSpec): string {
  return installPackagesScript(packageStepInput(host));
}

export function packageStepInput(
  host: ResolvedHostSpec,
): Parameters<typeof installPackagesLines>[0] {
  return {
    os: host.entry,
    source: host.engineSource,
    version: host.docker?.version,
    extraPackages: extraPackages(host),
  };
}

/**
 * 12 hex of what went into a bake: the OS, arch, package list, pin and the install's exact shell
 * text. A local bake is cached under it; the image records it.
 */
export function installFingerprint(host: ResolvedHostSpec): string {
  const input = {
    os: host.os,
    arch: host.arch,
    contents: imageContents(host),
    lines: installPackagesLines(packageStepInput(host)),
  };
  return createHash("sha256").update(JSON.stringify(input)).digest("hex").slice(0, 12);
}
