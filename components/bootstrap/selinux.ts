import type { OsEntry } from "./os-catalog";
import { shellScript } from "./shell";
import type { SelinuxMode } from "./types";

/** The mode the host ends up in: the image's own one where the user leaves it to the OS. */
export function effectiveSelinuxMode(
  os: OsEntry,
  asked: SelinuxMode,
): Exclude<SelinuxMode, "os-default"> {
  return asked === "os-default" ? os.selinux.imageDefault : asked;
}

/** Whether dockerd should label containers (`selinux-enabled`). */
export function engineLabelsContainers(os: OsEntry, asked: SelinuxMode): boolean {
  return os.selinux.available && effectiveSelinuxMode(os, asked) !== "disabled";
}

/** Packages that must come with the engine for SELinux to confine containers. */
export function selinuxPackages(os: OsEntry, asked: SelinuxMode): string[] {
  return engineLabelsContainers(os, asked) ? os.selinux.packages : [];
}

/**
 * Sets the mode now and for later boots, before the engine starts, so that the engine's files
 * are created with the labels the mode expects. Undefined when the image is left as it is.
 */
export function selinuxModeScript(os: OsEntry, asked: SelinuxMode): string | undefined {
  if (asked === "os-default" || !os.selinux.available) return undefined;
  // Debian's image has no SELinux to turn off: no /etc/selinux/config, getenforce or setenforce.
  if (asked === "disabled" && os.selinux.imageDefault === "disabled") return undefined;
  const lines = [`sed -i 's/^SELINUX=.*/SELINUX=${asked}/' /etc/selinux/config`];
  if (asked === "disabled") {
    // RHEL 9 ignores SELINUX=disabled in the config file; only the kernel argument turns it off.
    lines.push(
      "if command -v grubby >/dev/null 2>&1; then grubby --update-kernel ALL --args selinux=0; fi",
      'if [ "$(getenforce)" != Disabled ]; then setenforce 0; fi',
    );
  } else {
    lines.push(
      'if [ "$(getenforce)" = Disabled ]; then',
      `  echo "dockerhost: SELinux is still disabled in the running kernel, so ${asked} cannot take effect; see the SELinux lines earlier in this log" >&2`,
      "  exit 1",
      "fi",
      `setenforce ${asked === "enforcing" ? 1 : 0}`,
    );
  }
  return shellScript(`set SELinux to ${asked}`, lines);
}

/**
 * Labels the engine's data directory before the engine first writes to it (step 40, after the
 * data disk is mounted): a fresh data disk carries no labels, and files inherit their directory's.
 */
export function labelDockerDataLines(dataDir: string): string[] {
  return [
    "if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled; then",
    `  install -d -m 0710 ${dataDir}`,
    `  restorecon -R ${dataDir}`,
    "fi",
  ];
}
