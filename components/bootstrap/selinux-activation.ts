import * as path from "node:path";
import { aptInstall, aptUpdate } from "./engine-install";
import type { OsEntry } from "./os-catalog";
import { effectiveSelinuxMode } from "./selinux";
import {
  CONTAINER_POLICY_CIL,
  CONTAINER_POLICY_PATH,
  CONTAINER_POLICY_SOURCE_NOTE,
  lxcContexts,
} from "./selinux-container-policy";
import { fail } from "./shell";
import { stableGzip } from "./stable-gzip";
import type { SelinuxMode } from "./types";

// Some modes need a reboot: SELinux off in the image (Debian: another LSM, no policy) or
// permissive with files that were never labeled for enforcing (Amazon Linux 2023). That reboot
// happens in bootcmd, in cloud-init's first stage: sshd and user logins wait for that stage, so
// the readiness gate only ever reaches the host after it, and no deploy is cut off by it.

export const SELINUX_ACTIVATED_MARKER = "/var/lib/dockerhost/selinux-activated";
export const SELINUX_KERNEL_ARG = "security=selinux";
export const SELINUX_GRUB_DROP_IN = "/etc/default/grub.d/60-dockerhost-selinux.cfg";
const REBOOT_GRACE_SECONDS = 600;
const SEMANAGE_CONF = "/etc/selinux/semanage.conf";
const UNCOMPRESSED_STORE = "bzip-blocksize=0";
const HEREDOC_END = "DOCKERHOST_EOF";

/** Whether the image's kernel must be told to run SELinux (it runs another LSM by default). */
export function selinuxNeedsKernelArg(os: OsEntry, asked: SelinuxMode): boolean {
  return (
    os.selinux.available &&
    os.selinux.imageDefault === "disabled" &&
    effectiveSelinuxMode(os, asked) !== "disabled"
  );
}

/** Whether reaching the asked mode takes a relabel and a reboot on this OS's image. */
export function selinuxNeedsReboot(os: OsEntry, asked: SelinuxMode): boolean {
  if (selinuxNeedsKernelArg(os, asked)) return true;
  return os.selinux.imageDefault === "permissive" && asked === "enforcing";
}

function writeFile(file: string, content: string): string[] {
  if (content.split("\n").includes(HEREDOC_END))
    throw new Error(`${file}: content contains the heredoc delimiter ${HEREDOC_END}`);
  return [`cat > ${file} <<'${HEREDOC_END}'`, content.replace(/\n$/, ""), HEREDOC_END];
}

/**
 * The module as it travels: EC2 caps user-data at 16 KiB, and the policy text alone is half of
 * that. Comments stay in the source; the host gets the rules, gzip'd (stable-gzip.ts: the same bytes
 * on every deployer, so the user-data never differs) and base64'd.
 */
export function shippedPolicy(): string {
  const rules = CONTAINER_POLICY_CIL.split("\n").filter((l) => l.trim() && !l.startsWith(";"));
  return [`; ${CONTAINER_POLICY_SOURCE_NOTE}`, ...rules, ""].join("\n");
}

function writeCompressed(file: string, content: string): string[] {
  const encoded = stableGzip(Buffer.from(content)).toString("base64");
  return [`echo ${encoded} | base64 -d | gunzip > ${file}`];
}

/**
 * The policy (and the project's container module) installed, SELinux left off until the kernel
 * argument and a relabel turn it on: at first boot, or once in a bake (baked-image.ts).
 */
export function policyInstallLines(os: OsEntry): string[] {
  const activation = os.selinux.activation;
  return activation ? installPolicy(os, activation.packages, activation.containerPolicyModule) : [];
}

function installPolicy(os: OsEntry, packages: string[], containerModule: boolean): string[] {
  const lines = [
    "export DEBIAN_FRONTEND=noninteractive",
    // The policy package's scripts read this file; permissive until everything is labeled.
    "install -d -m 0755 /etc/selinux",
    `printf 'SELINUX=permissive\\nSELINUXTYPE=${os.selinux.policyType}\\n' > /etc/selinux/config`,
    aptUpdate(),
    // libsemanage writes each of the policy's ~330 modules to its store bzip2'd (semanage.conf(5):
    // bzip-blocksize 9 by default, 0 "means no compression"), and the policy package's first
    // build was most of a strict host's first boot here: 720 s of guest time of 1,140 s to the
    // policy load. Stored plain, the same install took 12.3 s of CPU instead of 32.0 s (natively,
    // `semodule -X 100 -i` of selinux-policy-default's modules in a Debian 12 chroot). The
    // setting holds for this install only; the conffile goes back as libsemanage-common shipped
    // it (the one line, added once, is removed at the end, also when an earlier try failed before
    // that), so its upgrades never stop at a changed conffile, and libsemanage reads both forms
    // (libsemanage/src/compressed_file.c: map_compressed_file maps a file without bzip2's magic).
    aptInstall(["libsemanage-common"]),
    `grep -qx ${UNCOMPRESSED_STORE} ${SEMANAGE_CONF} || echo ${UNCOMPRESSED_STORE} >> ${SEMANAGE_CONF}`,
    aptInstall(packages),
  ];
  if (containerModule) {
    lines.push(
      `install -d -m 0755 ${path.posix.dirname(CONTAINER_POLICY_PATH)}`,
      ...writeCompressed(CONTAINER_POLICY_PATH, shippedPolicy()),
      `semodule -i ${CONTAINER_POLICY_PATH}`,
      ...writeFile(`/etc/selinux/${os.selinux.policyType}/contexts/lxc_contexts`, lxcContexts()),
    );
  }
  lines.push(`sed -i '/^${UNCOMPRESSED_STORE}$/d' ${SEMANAGE_CONF}`);
  return lines;
}

function kernelArgLines(): string[] {
  return [
    `if grep -qw ${SELINUX_KERNEL_ARG} /proc/cmdline; then`,
    "  :",
    "elif [ -d /etc/default/grub.d ] && command -v update-grub >/dev/null 2>&1; then",
    "  # shellcheck disable=SC2016 # GRUB's own variable, expanded when update-grub reads the file",
    `  echo 'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX ${SELINUX_KERNEL_ARG}"' > ${SELINUX_GRUB_DROP_IN}`,
    "  update-grub",
    "else",
    `  ${fail(`the host boots without GRUB and its kernel command line lacks ${SELINUX_KERNEL_ARG}; add it (LocalDockerHost: kernelArgs)`)}`,
    "fi",
  ];
}

/**
 * The bootcmd entry that brings SELinux to the asked mode: policy (and the project's container
 * module where the OS has none), kernel argument, every file labeled, then one reboot. It runs
 * on every boot and does nothing once its marker exists. Undefined where no reboot is needed.
 */
export function selinuxActivationBootcmd(
  os: OsEntry,
  asked: SelinuxMode,
  /** The image is a bake that holds the policy already: no install at first boot. */
  policyBaked = false,
): string | undefined {
  if (!selinuxNeedsReboot(os, asked)) return undefined;
  const mode = effectiveSelinuxMode(os, asked);
  const activation = os.selinux.activation;
  const fileContexts = `/etc/selinux/${os.selinux.policyType}/contexts/files/file_contexts`;
  const lines = [
    `if [ -e ${SELINUX_ACTIVATED_MARKER} ]; then exit 0; fi`,
    `echo "dockerhost: bringing SELinux to ${mode}: policy, labels, then one reboot"`,
  ];
  if (activation && policyBaked) {
    lines.push(
      `[ -e /etc/selinux/${os.selinux.policyType}/contexts/files/file_contexts ] || ${fail(`the baked image holds no SELinux policy (${activation.packages.join(", ")}); bake it with this host's selinux setting`)}`,
    );
  } else if (activation) {
    lines.push(...installPolicy(os, activation.packages, activation.containerPolicyModule));
  } else {
    lines.push(`if [ "$(getenforce)" = Enforcing ]; then exit 0; fi`);
  }
  if (selinuxNeedsKernelArg(os, asked)) lines.push(...kernelArgLines());
  lines.push(
    `sed -i 's/^SELINUX=.*/SELINUX=${mode}/' /etc/selinux/config`,
    `install -d -m 0755 ${path.posix.dirname(SELINUX_ACTIVATED_MARKER)}`,
    `touch ${SELINUX_ACTIVATED_MARKER}`,
    // Labeling now, with every core, saves the slower relabel boot the distributions use.
    `setfiles -F -T 0 -e /proc -e /sys -e /dev -e /run ${fileContexts} /`,
    `echo "dockerhost: files labeled; rebooting into SELinux ${mode}"`,
    "systemctl reboot",
    // cloud-init must not go on with this boot's modules while the reboot stops it.
    `sleep ${REBOOT_GRACE_SECONDS}`,
    fail(`the reboot into SELinux ${mode} did not happen within ${REBOOT_GRACE_SECONDS} s`),
  );
  return [
    `# dockerhost: SELinux ${mode} (in a subshell: bootcmd entries share one script)`,
    "(",
    "set -eu",
    ...lines,
    `) || echo "dockerhost: bringing SELinux to ${mode} failed (output above); step 35 stops the bootstrap" >&2`,
  ].join("\n");
}
