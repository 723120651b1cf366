import { median } from "simple-statistics";
import type { GuestSession } from "../tests/support/guest-session";

// Where a boot's seconds go, read on the guest once its container answers: each milestone in
// seconds since the kernel started (the guest's monotonic clock), so that two rows can be put
// side by side line by line. Sources, all on the guest:
// - the manager's UserspaceTimestampMonotonic: when the kernel (and initrd) handed over to
//   systemd (systemd.exec(5)/org.freedesktop.systemd1(5): "...TimestampMonotonic" are
//   CLOCK_MONOTONIC microseconds);
// - /run/cloud-init/status.json: each stage's start and finished, wall-clock epoch seconds
//   (cloud-init docs, "cloud-init status" / status.json), turned into uptime with the boot's
//   epoch (now - /proc/uptime, read in the same command);
// - ssh.service and docker.service's ActiveEnterTimestampMonotonic: when each unit became active;
// - the first container's State.StartedAt (RFC 3339), through `date -d`.

/** The milestones, in the order a boot passes them. */
export const BOOT_PARTS = [
  "kernel -> userspace",
  "cloud-init local stage done",
  "cloud-init network stage done",
  "sshd active",
  "cloud-init config stage done",
  "engine active",
  "cloud-init final stage done",
  "first container started",
] as const;
export type BootPart = (typeof BOOT_PARTS)[number];

/** The shell command that prints every source as key=value lines (and status.json last). */
export const BOOT_PARTS_COMMAND = [
  "echo now=$(date +%s.%N) uptime=$(cut -d' ' -f1 /proc/uptime)",
  "echo userspace=$(systemctl show -p UserspaceTimestampMonotonic --value)",
  "echo ssh=$(systemctl show -p ActiveEnterTimestampMonotonic --value ssh.service)",
  "echo docker=$(systemctl show -p ActiveEnterTimestampMonotonic --value docker.service)",
  "c=$(sudo docker ps -q | head -n1)",
  `if [ -n "$c" ]; then echo container=$(date -d "$(sudo docker inspect -f '{{.State.StartedAt}}' "$c")" +%s.%N); fi`,
  "echo status=$(sudo cat /run/cloud-init/status.json | tr -d '\\n')",
].join("\n");

interface StageTimes {
  start: number | null;
  finished: number | null;
}

function keyValues(output: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of output.split("\n"))
    for (const pair of line.startsWith("status=") ? [line] : line.split(" ")) {
      const at = pair.indexOf("=");
      if (at > 0) values.set(pair.slice(0, at), pair.slice(at + 1));
    }
  return values;
}

/** Seconds since the kernel started for each milestone; undefined where the guest had none. */
export function parseBootParts(output: string): Partial<Record<BootPart, number>> {
  const v = keyValues(output);
  const number = (key: string) => {
    const n = Number(v.get(key));
    return v.has(key) && v.get(key) !== "" && Number.isFinite(n) ? n : undefined;
  };
  const now = number("now");
  const uptime = number("uptime");
  if (now === undefined || uptime === undefined)
    throw new Error(`boot parts: no clock in the guest's answer:\n${output}`);
  const bootEpoch = now - uptime;
  const monotonic = (key: string) => {
    const us = number(key);
    return us === undefined || us === 0 ? undefined : us / 1e6;
  };
  const sinceBoot = (epoch: number | null | undefined) =>
    epoch === null || epoch === undefined ? undefined : epoch - bootEpoch;
  const status = v.get("status");
  const stages = (
    status ? (JSON.parse(status) as { v1: Record<string, StageTimes | unknown> }).v1 : {}
  ) as Record<string, StageTimes | undefined>;
  const done = (stage: string) => sinceBoot(stages[stage]?.finished);
  const parts: Partial<Record<BootPart, number>> = {
    "kernel -> userspace": monotonic("userspace"),
    "cloud-init local stage done": done("init-local"),
    "cloud-init network stage done": done("init"),
    "sshd active": monotonic("ssh"),
    "cloud-init config stage done": done("modules-config"),
    "engine active": monotonic("docker"),
    "cloud-init final stage done": done("modules-final"),
    "first container started": sinceBoot(number("container")),
  };
  return Object.fromEntries(
    Object.entries(parts).filter(([, s]) => s !== undefined && s >= 0),
  ) as Partial<Record<BootPart, number>>;
}

/** Reads the milestones of the guest behind `ssh` (after its container answered). */
export async function readBootParts(ssh: GuestSession): Promise<Partial<Record<BootPart, number>>> {
  return parseBootParts(await ssh.ssh(BOOT_PARTS_COMMAND, 60_000));
}

/**
 * The top of `systemd-analyze blame`, the chain to the engine (`critical-chain docker.service`:
 * what it waited for) and `cloud-init analyze blame`: what to cut next.
 */
export async function readBlame(ssh: GuestSession, lines = 12): Promise<string> {
  return ssh.ssh(
    `echo '# systemd-analyze blame'; systemd-analyze blame --no-pager | head -n ${lines}; ` +
      `echo '# systemd-analyze critical-chain docker.service'; systemd-analyze critical-chain --no-pager docker.service | tail -n +3; ` +
      `echo '# cloud-init analyze blame'; sudo cloud-init analyze blame | grep -v '^--' | head -n ${lines + 1}; ` +
      // The first-boot steps' own times (a payload's host only; the floor runs none).
      `echo '# first-boot steps'; sudo grep -h 'dockerhost: step' /var/log/dockerhost-steps.log /var/log/cloud-init-output.log 2>/dev/null || echo none`,
    120_000,
  );
}

/**
 * The milestones side by side: a line per part, each row's median over its runs (seconds since
 * the kernel started, with min-max), and the first row minus the last (what the payload adds
 * over the floor at that point). A part a row never reached prints "-".
 */
export function bootPartsTable(
  rows: Record<string, Partial<Record<BootPart, number>>[]>,
): string[] {
  const names = Object.keys(rows);
  const cell = (values: number[]) =>
    values.length
      ? `${median(values).toFixed(1)} (${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)})`
      : "-";
  const width = 20;
  const lines = [
    `${"part (s since kernel start)".padEnd(31)}${names.map((n) => n.padEnd(width)).join("")}${names.length > 1 ? `${names[0]} - ${names[names.length - 1]}` : ""}`,
  ];
  for (const part of BOOT_PARTS) {
    const values = names.map((n) =>
      rows[n].flatMap((run) => (run[part] === undefined ? [] : [run[part]])),
    );
    const first = values[0];
    const last = values[values.length - 1];
    const difference =
      names.length > 1 && first.length && last.length
        ? (median(first) - median(last)).toFixed(1)
        : "";
    lines.push(
      `${part.padEnd(31)}${values.map((v) => cell(v).padEnd(width)).join("")}${difference}`,
    );
  }
  return lines;
}
