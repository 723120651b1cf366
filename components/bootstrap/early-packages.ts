import { fail, shellScript } from "./shell";

// Installing the packages is most of a first boot. Cloud-init would only start it in its final
// stage; bootcmd runs two stages earlier, right after the network is up. So bootcmd starts the
// package script as a background unit as soon as write_files has written it, and the ordered
// steps later wait for that unit instead of installing themselves. Nothing starts a service
// meanwhile (policy-rc.d), so the engine still starts once, with its final configuration.
// A host from a baked image has nothing to install: there, the whole ordered run starts early,
// once cloud-init's first stage (write_files, users) is over, and runcmd waits for it.

export const STEP_DIR = "/usr/local/lib/dockerhost";
export const PACKAGES_SCRIPT_PATH = `${STEP_DIR}/packages.sh`;
/** Written last by write_files: every file the package script relies on is in place. */
export const FILES_WRITTEN_MARKER = `${STEP_DIR}/files-written`;
export const PACKAGES_UNIT = "dockerhost-packages.service";
export const PACKAGES_LOG = "/var/log/dockerhost-packages.log";
const PACKAGES_TIMEOUT_SECONDS = 1800;
export const STEPS_UNIT = "dockerhost-steps.service";
export const STEPS_LOG = "/var/log/dockerhost-steps.log";
const STEPS_TIMEOUT_SECONDS = 1500;

/** The bootcmd entry: once per instance, start the package unit and return at once. */
export function earlyPackagesBootcmd(): string {
  const waitThenRun =
    `timeout 120 sh -c "until [ -e ${FILES_WRITTEN_MARKER} ]; do sleep 0.2; done" && ` +
    `exec ${PACKAGES_SCRIPT_PATH} >${PACKAGES_LOG} 2>&1`;
  return [
    "cloud-init-per instance dockerhost-packages",
    `systemd-run --no-block --unit=${PACKAGES_UNIT}`,
    "--property=Type=oneshot --property=RemainAfterExit=yes",
    `/bin/sh -c '${waitThenRun}'`,
  ].join(" ");
}

/**
 * A baked host's bootcmd entry: once per instance, queue the ordered steps as a unit that starts
 * when cloud-init's first stage is done (its files written, its users made), not in the final
 * stage two stages later.
 */
export function earlyStepsBootcmd(runSteps: string): string {
  return [
    "cloud-init-per instance dockerhost-steps",
    `systemd-run --no-block --unit=${STEPS_UNIT}`,
    "--property=Type=oneshot --property=RemainAfterExit=yes --property=After=cloud-init.service",
    `/bin/sh -c 'exec ${runSteps} >${STEPS_LOG} 2>&1'`,
  ].join(" ");
}

interface EarlyUnit {
  purpose: string;
  unit: string;
  log: string;
  /** What to run here when the unit never started (bootcmd failed). */
  fallback: string;
  failed: string;
  timeoutSeconds: number;
}

/** Waits for an early unit, or runs its script here if it never started. */
function awaitUnitScript(u: EarlyUnit): string {
  return shellScript(u.purpose, [
    `unit=${u.unit}`,
    'if [ "$(systemctl show -p LoadState --value "$unit")" != loaded ]; then',
    `  echo "dockerhost: $unit did not start at boot; ${u.unit === PACKAGES_UNIT ? "installing" : "running the steps"} now"`,
    `  exec ${u.fallback}`,
    "fi",
    "waited=0",
    'until [ "$(systemctl show -p ActiveState --value "$unit")" = active ]; do',
    '  if [ "$(systemctl show -p ActiveState --value "$unit")" = failed ]; then',
    `    tail -n 40 ${u.log} >&2`,
    `    ${fail(`${u.failed} (${u.log})`)}`,
    "  fi",
    `  [ "$waited" -lt ${u.timeoutSeconds * 2} ] || ${fail(`${u.failed.replace(/ failed$/, "")} did not finish within ${u.timeoutSeconds} s`)}`,
    "  sleep 0.5",
    "  waited=$((waited + 1))",
    "done",
    // The unit's output belongs in cloud-init's log, where every other step's output is.
    `cat ${u.log}`,
  ]);
}

/** The ordered step in place of the install: wait for the unit, or install here if it never ran. */
export function awaitPackagesScript(): string {
  return awaitUnitScript({
    purpose: "wait for the packages that started installing at boot",
    unit: PACKAGES_UNIT,
    log: PACKAGES_LOG,
    fallback: PACKAGES_SCRIPT_PATH,
    failed: "the package install failed",
    timeoutSeconds: PACKAGES_TIMEOUT_SECONDS,
  });
}

/** A baked host's runcmd: wait for the steps that started early, or run them here. */
export function awaitStepsScript(runSteps: string): string {
  return awaitUnitScript({
    purpose: "wait for the first-boot steps that started after cloud-init's first stage",
    unit: STEPS_UNIT,
    log: STEPS_LOG,
    fallback: runSteps,
    failed: "the first-boot steps failed",
    timeoutSeconds: STEPS_TIMEOUT_SECONDS,
  });
}
