import { hardeningRules } from "../core/hardening-profile";
import { stringify } from "yaml";
import { buildDaemonConfig, renderDaemonJson } from "./daemon-config";
import {
  DOCKER_LOG_RATE_DROP_IN,
  DOCKER_LOG_RATE_DROP_IN_PATH,
  needsSyslogDaemon,
  rsyslogStopRule,
  RSYSLOG_STOP_PATH,
  SYSLOG_DAEMON_STEP,
  syslogDaemonScript,
} from "./syslog-daemon";
import {
  credentialHelpersScript,
  isPackagedHelper,
  SHIPPED_CREDENTIAL_HELPERS,
  dockerConfigJson,
  ROOT_DOCKER_CONFIG,
} from "./credential-helpers";
import { DOCKER_REQUIRES_DATA_DISK, prepareDataDiskScript } from "./data-disk";
import { awaitEngineScript, startEngineScript } from "./engine-install";
import { bakedImageCheckScript } from "./baked-image";
import { packagesScript } from "./install-half";
import {
  CONTAINERD_CONFIG_PATH,
  PIDS_DROP_IN_PATH,
  STOP_DROP_IN_PATH,
  CONTAINER_STOP_DROP_IN,
  SSHD_DROP_IN_PATH,
  SYSCTL_PATH,
  applySysctlScript,
  auditRulesScript,
  containerPidsDropIn,
  containerdConfig,
  reloadSshdScript,
  sshdConfig,
  sysctlConfig,
  unattendedUpdates,
} from "./host-hardening";
import {
  FILES_WRITTEN_MARKER,
  PACKAGES_SCRIPT_PATH,
  STEP_DIR,
  awaitPackagesScript,
  awaitStepsScript,
  earlyPackagesBootcmd,
  earlyStepsBootcmd,
} from "./early-packages";
import { engineLabelsContainers, selinuxModeScript } from "./selinux";
import { strictOsFiles, strictOsScript } from "./strict-os";
import { forgetOldSwarmScript } from "./swarm-state";
import {
  PRIVATE_NET_SCRIPT,
  PRIVATE_NET_UNIT,
  PRIVATE_NET_UNIT_TEXT,
  privateNetScript,
  privateNetStep,
} from "./private-network";
import { metadataLockdownBootcmd } from "./metadata-lockdown";
import {
  METADATA_FORWARD_DROP_IN,
  METADATA_FORWARD_DROP_IN_PATH,
  METADATA_FORWARD_SCRIPT,
  metadataForwardScript,
} from "./metadata-forward";
import { selinuxActivationBootcmd } from "./selinux-activation";
import { shellScript } from "./shell";
import { sshHostKeyConfig } from "./ssh-host-keys";
import type { HostSpec } from "./types";
import { parseDaemonConfig, resolveHostSpec, type ResolvedHostSpec } from "./validate-host";

/** Validated already (resolveHostSpec); here only the object is wanted. */
function daemonOverrides(text: string | undefined) {
  const parsed = parseDaemonConfig(text);
  return typeof parsed === "object" ? parsed : undefined;
}

export { STEP_DIR } from "./early-packages";

export interface WriteFile {
  path: string;
  content: string;
  permissions: string;
  owner?: string;
}

/** One step of the host's first boot: a script file, run in order by runcmd. */
export interface BootStep {
  name: string;
  script: string;
}

export const RUN_STEPS_PATH = `${STEP_DIR}/run-steps.sh`;
/** A baked host's runcmd: the steps started early (earlyStepsBootcmd); this waits for them. */
export const AWAIT_STEPS_PATH = `${STEP_DIR}/await-steps.sh`;

/**
 * runcmd alone would go on after a failed command; this runner stops at the first failing step,
 * names it (cloud-init's status then carries the error) and logs each step's duration.
 */
export function runStepsScript(steps: BootStep[]): string {
  return shellScript("run the first-boot steps in order", [
    `for step in ${steps.map((s) => s.name).join(" ")}; do`,
    "  started=$(date +%s)",
    `  if ! "${STEP_DIR}/$step"; then echo "dockerhost: step $step failed" >&2; exit 1; fi`,
    '  echo "dockerhost: step $step done in $(( $(date +%s) - started )) s"',
    "done",
  ]);
}

/**
 * The scripts that run in order in cloud-init's final stage. The package install started at
 * boot (see early-packages.ts); step 30 waits for it (or, on a baked image, checks what the image
 * holds), and the SELinux mode is set after it since the policy packages come with it.
 */
export function bootSteps(host: ResolvedHostSpec): BootStep[] {
  const { entry, selinux } = host;
  const rules = hardeningRules(host.hardening);
  const steps: BootStep[] = [];
  if (host.privateNetwork) steps.push({ name: "15-private-network.sh", script: privateNetStep() });
  if (host.dataDisk)
    steps.push({ name: "20-data-disk.sh", script: prepareDataDiskScript(host.dataDisk.devices) });
  if (host.dataDisk && host.swarm)
    steps.push({ name: "25-swarm-state.sh", script: forgetOldSwarmScript() });
  const unattended = rules.unattendedUpdates ? unattendedUpdates(entry) : undefined;
  steps.push(
    host.bakedImage
      ? { name: "30-check-image.sh", script: bakedImageCheckScript(host) }
      : { name: "30-await-packages.sh", script: awaitPackagesScript() },
  );
  const selinuxStep = selinuxModeScript(entry, selinux);
  if (selinuxStep) steps.push({ name: "35-selinux.sh", script: selinuxStep });
  steps.push({ name: "40-start-engine.sh", script: startEngineScript() });
  if (host.credentialHelpers && Object.values(host.credentialHelpers).some(isPackagedHelper))
    steps.push({
      name: "45-credential-helpers.sh",
      script: credentialHelpersScript(entry.packageManager, host.os, host.credentialHelpers),
    });
  if (needsSyslogDaemon(host.shippedLogs))
    steps.push({ name: SYSLOG_DAEMON_STEP, script: syslogDaemonScript(entry.packageManager) });
  if (rules.auditRules) steps.push({ name: "50-audit-rules.sh", script: auditRulesScript() });
  if (rules.sshdKeysOnly) steps.push({ name: "60-reload-sshd.sh", script: reloadSshdScript() });
  if (rules.strictOs) {
    steps.push({ name: "70-sysctl.sh", script: applySysctlScript() });
    steps.push({ name: "75-strict-os.sh", script: strictOsScript() });
  }
  if (unattended) steps.push({ name: "80-unattended-updates.sh", script: unattended.script });
  steps.push({ name: "90-await-engine.sh", script: awaitEngineScript(host.sshUser) });
  return steps;
}

/** Configuration files written before any step runs (cloud-init's write_files). */
export function hostFiles(host: ResolvedHostSpec): WriteFile[] {
  const { entry, hardening } = host;
  const rules = hardeningRules(hardening);
  const file = (path: string, content: string, permissions = "0644"): WriteFile => ({
    path,
    content,
    permissions,
  });
  const daemon = buildDaemonConfig({
    hardening,
    selinuxEnabled: engineLabelsContainers(entry, host.selinux),
    registryMirrors: host.docker?.registryMirrors,
    swarm: host.swarm ?? false,
    shippedLogs: host.shippedLogs,
    overrides: daemonOverrides(host.docker?.daemonConfigJson),
  });
  const files = [file("/etc/docker/daemon.json", renderDaemonJson(daemon))];
  if (host.credentialHelpers) {
    files.push(file(ROOT_DOCKER_CONFIG, dockerConfigJson(host.credentialHelpers), "0600"));
    for (const helper of new Set(Object.values(host.credentialHelpers)))
      if (!isPackagedHelper(helper)) {
        const shipped = SHIPPED_CREDENTIAL_HELPERS[helper];
        files.push(file(shipped.path, shipped.script, "0755"));
      }
  }
  if (host.shippedLogs && needsSyslogDaemon(host.shippedLogs)) {
    files.push(file(DOCKER_LOG_RATE_DROP_IN_PATH, DOCKER_LOG_RATE_DROP_IN));
    const facility = host.shippedLogs.options["syslog-facility"] ?? "daemon";
    files.push(file(RSYSLOG_STOP_PATH, rsyslogStopRule(facility)));
  }
  for (const preset of entry.engine.presetFiles ?? [])
    files.push(file(preset.path, preset.content));
  if (host.dataDisk) {
    files.push(
      file(
        "/etc/systemd/system/docker.service.d/10-dockerhost-data-disk.conf",
        DOCKER_REQUIRES_DATA_DISK,
      ),
    );
  }
  if (rules.containerdConfig) files.push(file(CONTAINERD_CONFIG_PATH, containerdConfig()));
  const sshd = sshdConfig(hardening);
  if (sshd) files.push(file(SSHD_DROP_IN_PATH, sshd, "0600"));
  files.push(file(STOP_DROP_IN_PATH, CONTAINER_STOP_DROP_IN));
  if (rules.metadataLockdown && !host.containersReachMetadata) {
    files.push(file(METADATA_FORWARD_SCRIPT, metadataForwardScript(host.cloud), "0755"));
    files.push(file(METADATA_FORWARD_DROP_IN_PATH, METADATA_FORWARD_DROP_IN));
  }
  if (host.privateNetwork) {
    files.push(file(PRIVATE_NET_SCRIPT, privateNetScript(host.privateNetwork), "0755"));
    files.push(file(PRIVATE_NET_UNIT, PRIVATE_NET_UNIT_TEXT));
  }
  if (rules.pidsLimit && host.containerPidsLimit > 0) {
    files.push(file(PIDS_DROP_IN_PATH, containerPidsDropIn(host.containerPidsLimit)));
  }
  if (rules.strictOs) files.push(file(SYSCTL_PATH, sysctlConfig()));
  if (rules.unattendedUpdates)
    files.push(...(unattendedUpdates(entry)?.files ?? []).map((f) => file(f.path, f.content)));
  if (rules.strictOs)
    files.push(...strictOsFiles(entry.packageManager).map((f) => file(f.path, f.content)));
  return files;
}

/** The cloud-config document as an object (serialized by renderCloudInit). */
export function buildCloudConfig(spec: HostSpec): Record<string, unknown> {
  const host = resolveHostSpec(spec);
  const { entry } = host;
  const steps = bootSteps(host);
  // The metadata lockdown first, before any user process can run; then SELinux: where it
  // needs a reboot, that reboot comes before anything is installed.
  const bootcmd = [
    hardeningRules(host.hardening).metadataLockdown ? metadataLockdownBootcmd() : undefined,
    selinuxActivationBootcmd(entry, host.selinux, host.bakedImage),
    host.bakedImage ? earlyStepsBootcmd(RUN_STEPS_PATH) : earlyPackagesBootcmd(),
  ].filter((c): c is string => c !== undefined);
  const config: Record<string, unknown> = {
    // Cloud images may lack the locales package; C.UTF-8 is built into libc everywhere.
    locale: "C.UTF-8",
    manage_etc_hosts: "localhost",
    ...(host.hostname ? { hostname: host.hostname, preserve_hostname: false } : {}),
    users: [
      {
        name: host.sshUser,
        shell: "/bin/bash",
        lock_passwd: true,
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        ssh_authorized_keys: host.sshAuthorizedKeys.map((k) => k.trim()),
      },
    ],
    disable_root: true,
    ssh_pwauth: false,
    ...sshHostKeyConfig(host.hostKey),
    // Images are recent; a full upgrade at boot costs minutes. `strict` installs security updates.
    package_update: false,
    package_upgrade: false,
    write_files: [
      ...hostFiles(host),
      ...steps.map((s) => ({
        path: `${STEP_DIR}/${s.name}`,
        content: s.script,
        permissions: "0755",
      })),
      { path: RUN_STEPS_PATH, content: runStepsScript(steps), permissions: "0755" },
      ...(host.bakedImage
        ? [
            {
              path: AWAIT_STEPS_PATH,
              content: awaitStepsScript(RUN_STEPS_PATH),
              permissions: "0755",
            },
          ]
        : [
            { path: PACKAGES_SCRIPT_PATH, content: packagesScript(host), permissions: "0755" },
            // Last: its presence tells the package unit that every file above is written.
            { path: FILES_WRITTEN_MARKER, content: "", permissions: "0644" },
          ]),
    ],
    // cloud-init's schema refuses an empty bootcmd (an `off` host from a baked image has none).
    ...(bootcmd.length ? { bootcmd } : {}),
    runcmd: [[host.bakedImage ? AWAIT_STEPS_PATH : RUN_STEPS_PATH]],
    final_message: "dockerhost: bootstrap finished after $UPTIME seconds",
  };
  return config;
}

/** The pure bootstrap: HostSpec -> `#cloud-config` user-data text. */
export function renderCloudInit(spec: HostSpec): string {
  return `#cloud-config\n${stringify(buildCloudConfig(spec), { lineWidth: 0 })}`;
}
