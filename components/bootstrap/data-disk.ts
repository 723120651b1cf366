import { fail, shellQuote, shellScript } from "./shell";

export const DOCKER_DATA_DIR = "/var/lib/docker";
const FILESYSTEM_LABEL = "dockerdata";
/** Clouds attach the volume after the VM starts; a fresh boot may get there first. */
export const DATA_DISK_WAIT_SECONDS = 300;

/**
 * Mounts the separate data disk at /var/lib/docker before the engine is installed. The disk is
 * formatted only when it carries no filesystem or partition table at all, so a volume that
 * survived an instance replacement keeps the containers' named volumes.
 */
export function prepareDataDiskScript(devices: string[]): string {
  const candidates = devices.map(shellQuote).join(" ");
  return shellScript(`mount the Docker data disk at ${DOCKER_DATA_DIR}`, [
    "find_disk() {",
    `  for candidate in ${candidates}; do`,
    '    if [ -b "$candidate" ]; then readlink -f "$candidate"; return 0; fi',
    "  done",
    "  return 1",
    "}",
    `deadline=$(( $(date +%s) + ${DATA_DISK_WAIT_SECONDS} ))`,
    "until disk=$(find_disk); do",
    `  [ "$(date +%s)" -lt "$deadline" ] || ${fail(`no data disk appeared within ${DATA_DISK_WAIT_SECONDS} s at: ${devices.join(" ")}`)}`,
    "  sleep 2",
    "done",
    // blkid -p exits 2 when the device holds no signature of any kind: only then is it blank.
    'if blkid -p "$disk" >/dev/null 2>&1; then',
    '  echo "dockerhost: $disk already has a filesystem; keeping its data"',
    "else",
    `  mkfs.ext4 -q -L ${FILESYSTEM_LABEL} "$disk"`,
    "fi",
    'uuid=$(blkid -s UUID -o value "$disk")',
    `[ -n "$uuid" ] || ${fail("the data disk has no filesystem UUID")}`,
    `install -d -m 0710 ${DOCKER_DATA_DIR}`,
    `if ! grep -q "^UUID=$uuid " /etc/fstab; then`,
    `  echo "UUID=$uuid ${DOCKER_DATA_DIR} ext4 defaults,nofail,x-systemd.device-timeout=60s 0 2" >> /etc/fstab`,
    "fi",
    `mountpoint -q ${DOCKER_DATA_DIR} || mount ${DOCKER_DATA_DIR}`,
  ]);
}

/** The engine must never start on the root disk when the data disk is missing. */
export const DOCKER_REQUIRES_DATA_DISK = `[Unit]\nRequiresMountsFor=${DOCKER_DATA_DIR}\n`;
