import { stringify } from "yaml";
import { STEP_DIR } from "./early-packages";
import { ENGINE_CONFIGURED_MARKER, installPackagesLines } from "./engine-install";
import { policyInstallLines } from "./selinux-activation";
import {
  activationPackages,
  imageContents,
  installFingerprint,
  packageStepInput,
  type ImageContents,
} from "./install-half";
import { shellQuote, shellScript } from "./shell";
import type { BakeSpec } from "./types";
import { resolveHostSpec, type ResolvedHostSpec } from "./validate-host";

// The bake: the install half of a host run once into an image (local qcow2, EC2 Image Builder,
// Azure VM Image Builder all run bakeScript), and the first boot of a host from that image,
// which checks what the image holds instead of installing it.

/** Written by the bake: what the image holds, read back by the host's first boot. */
export const BAKE_RECORD_PATH = `${STEP_DIR}/baked-image`;
/** The bake's last line on success; the local bake looks for it on the serial console. */
export const BAKE_FINISHED = "dockerhost: bake finished";

/** A bake's settings checked and defaulted as a host's are (same catalog, same problems). */
export function resolveBakeSpec(spec: BakeSpec): ResolvedHostSpec {
  return resolveHostSpec({ ...spec, sshAuthorizedKeys: [] }, { forBake: true });
}

function installedTest(manager: ImageContents["manager"], pkg: string): string {
  return manager === "apt"
    ? `dpkg-query -W -f='\${db:Status-Abbrev}' ${pkg} 2>/dev/null | grep -q '^ii'`
    : `rpm -q ${pkg} >/dev/null 2>&1`;
}

function versionQuery(manager: ImageContents["manager"], pkg: string): string {
  return manager === "apt"
    ? `dpkg-query -W -f='\${Version}' ${pkg}`
    : `rpm -q --qf '%{VERSION}-%{RELEASE}' ${pkg}`;
}

/**
 * What holds each engine unit back at a baked host's first boot: dockerd until step 40 wrote its
 * marker (daemon.json and the data disk in place); containerd, whose state is on the root disk,
 * only until cloud-init's first stage wrote its config, so it is up by the time dockerd starts.
 */
export const ENGINE_HOLDS: Record<string, string> = {
  "containerd.service": "After=cloud-init.service",
  "docker.service": `ConditionPathExists=${ENGINE_CONFIGURED_MARKER}`,
};

/** The drop-ins that hold the engine back (ENGINE_HOLDS). */
export function bakedEngineHold(): string[] {
  return Object.entries(ENGINE_HOLDS).flatMap(([unit, hold]) => [
    `install -d -m 0755 /etc/systemd/system/${unit}.d`,
    `printf '[Unit]\\n${hold}\\n' > /etc/systemd/system/${unit}.d/05-dockerhost-held.conf`,
  ]);
}

/**
 * The bake's shell script: the same package lines as the cold path's first boot, then the
 * engine held back until a host's first boot has its daemon.json and data disk in place, the
 * package cache emptied, and the record written.
 */
export function bakeScript(host: ResolvedHostSpec): string {
  const contents = imageContents(host);
  const fingerprint = installFingerprint(host);
  const policy = activationPackages(host).length ? policyInstallLines(host.entry) : [];
  return shellScript("bake the install half of a Docker host into this image", [
    ...installPackagesLines(packageStepInput(host)),
    // The SELinux policy where a relabel and reboot turn it on: those stay at the host's boot.
    ...policy,
    // Enabled as the packages left them (enabling again at first boot costs seconds), but held.
    ...bakedEngineHold(),
    contents.manager === "apt" ? "apt-get clean" : "dnf clean all",
    // The engine never ran (policy-rc.d); nothing of a bake's boot belongs on a host's data disk.
    "rm -rf /var/lib/docker /var/lib/containerd",
    `install -d -m 0755 ${STEP_DIR}`,
    "{",
    `  echo fingerprint=${fingerprint}`,
    `  echo os=${host.os} arch=${host.arch} source=${host.engineSource}`,
    `  echo "engine=${contents.enginePackage} $(${versionQuery(contents.manager, contents.enginePackage)})"`,
    `  echo packages=${shellQuote(contents.packages.join(" "))}`,
    '  echo "baked=$(date -u +%Y-%m-%dT%H:%M:%SZ)"',
    `} > ${BAKE_RECORD_PATH}`,
    `echo "${BAKE_FINISHED}: $(tr '\\n' ' ' < ${BAKE_RECORD_PATH})"`,
  ]);
}

/**
 * A baked host's step 30 in place of the install: the image must be a bake (its record), hold
 * every package this host's settings need, and the engine version the host pins. Anything else
 * stops the first boot, so the readiness gate reports it with this step's message.
 */
export function bakedImageCheckScript(host: ResolvedHostSpec): string {
  const contents = imageContents(host);
  const pin = contents.enginePin;
  const lines = [
    `record=${BAKE_RECORD_PATH}`,
    'if [ ! -r "$record" ]; then',
    '  echo "dockerhost: bakedImage is true but this image holds no $record: it was not made by a DockerHostImage bake. Boot the bake\'s image (its imageId / amiId / imagePath output), or set bakedImage to false to install at first boot" >&2',
    "  exit 1",
    "fi",
    'missing=""',
    `for pkg in ${contents.packages.join(" ")}; do`,
    `  ${installedTest(contents.manager, '"$pkg"')} || missing="$missing $pkg"`,
    "done",
    'if [ -n "$missing" ]; then',
    `  echo "dockerhost: the baked image lacks$missing, which this host's settings need (hardening ${host.hardening}, selinux ${host.selinux}, docker.source ${host.engineSource}). Bake an image with the host's settings, or set bakedImage to false" >&2`,
    "  exit 1",
    "fi",
    `engine=$(${versionQuery(contents.manager, contents.enginePackage)})`,
  ];
  if (pin) {
    const quoted = shellQuote(pin);
    lines.push(
      'case "$engine" in',
      `  ${quoted} | ${quoted}-* | *:${quoted} | *:${quoted}-*) ;;`,
      "  *)",
      `    echo "dockerhost: docker.version pins ${pin} but the baked image holds ${contents.enginePackage} $engine. Bake a new image with docker.version ${pin} (hosts roll to its new image id), or pin $engine" >&2`,
      "    exit 1",
      "    ;;",
      "esac",
    );
  }
  lines.push(
    `echo "dockerhost: the baked image holds ${contents.enginePackage} $engine and every package this host needs ($(grep '^fingerprint=' "$record")); nothing to install"`,
  );
  return shellScript("check what the baked image holds", lines);
}

/**
 * The local bake's user-data: no SSH key (nobody logs in; the image's default user is created
 * locked, as the hosts' first boot would create it anyway); run the bake, then leave nothing of
 * this boot's identity behind (host keys, machine id, cloud-init's instance) and power off.
 * QEMU's exit ends the bake; the serial console says whether it finished.
 */
export function localBakeUserData(host: ResolvedHostSpec): string {
  const config = {
    locale: "C.UTF-8",
    disable_root: true,
    ssh_pwauth: false,
    package_update: false,
    package_upgrade: false,
    write_files: [{ path: `${STEP_DIR}/bake.sh`, content: bakeScript(host), permissions: "0755" }],
    runcmd: [
      [
        "sh",
        "-c",
        [
          `if ${STEP_DIR}/bake.sh > /dev/console 2>&1; then`,
          `  rm -f ${STEP_DIR}/bake.sh /etc/ssh/ssh_host_*`,
          "  : > /etc/machine-id",
          "  cloud-init clean --logs",
          "  sync",
          "else",
          "  echo 'dockerhost: bake failed' > /dev/console",
          "fi",
          "poweroff",
        ].join("\n"),
      ],
    ],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
}
