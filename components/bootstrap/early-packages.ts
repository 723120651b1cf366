import { fail, shellScript } from "./shell";

// Installing the packages is most of a first boot. Cloud-init would only start it in its final
// stage; bootcmd runs two stages earlier, right after the network is up. So bootcmd starts the
// package script as a background unit as soon as write_files has written it, and the ordered
// steps later wait for that unit instead of installing themselves. Nothing starts a service
// meanwhile (policy-rc.d), so the engine still starts once, with its final configuration.

export const STEP_DIR = "/usr/local/lib/dockerhost";
export const PACKAGES_SCRIPT_PATH = `${STEP_DIR}/packages.sh`;
/** Written last by write_files: every file the package script relies on is in place. */
export const FILES_WRITTEN_MARKER = `${STEP_DIR}/files-written`;
export const PACKAGES_UNIT = "dockerhost-packages.service";
export const PACKAGES_LOG = "/var/log/dockerhost-packages.log";
const PACKAGES_TIMEOUT_SECONDS = 1800;

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

/** The ordered step in place of the install: wait for the unit, or install here if it never ran. */
export function awaitPackagesScript(): string {
  const unit = PACKAGES_UNIT;
  return shellScript("wait for the packages that started installing at boot", [
    `unit=${unit}`,
    'if [ "$(systemctl show -p LoadState --value "$unit")" != loaded ]; then',
    '  echo "dockerhost: $unit did not start at boot; installing now"',
    `  exec ${PACKAGES_SCRIPT_PATH}`,
    "fi",
    "waited=0",
    'until [ "$(systemctl show -p ActiveState --value "$unit")" = active ]; do',
    '  if [ "$(systemctl show -p ActiveState --value "$unit")" = failed ]; then',
    `    tail -n 40 ${PACKAGES_LOG} >&2`,
    `    ${fail(`the package install failed (${PACKAGES_LOG})`)}`,
    "  fi",
    `  [ "$waited" -lt ${PACKAGES_TIMEOUT_SECONDS * 2} ] || ${fail(`the package install did not finish within ${PACKAGES_TIMEOUT_SECONDS} s`)}`,
    "  sleep 0.5",
    "  waited=$((waited + 1))",
    "done",
    // The unit's output belongs in cloud-init's log, where every other step's output is.
    `cat ${PACKAGES_LOG}`,
  ]);
}
