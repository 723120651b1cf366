import type { HardeningProfile, JsonValue, ShippedLogs } from "./types";

export type DaemonConfig = { [key: string]: JsonValue };

// The engine settings each profile stands for. No "hosts" key anywhere: the engine listens on
// its unix socket only (the units pass -H fd://, and a TCP socket would bypass SSH).

const LOG_ROTATION: DaemonConfig = {
  "log-driver": "json-file",
  "log-opts": { "max-size": "10m", "max-file": "3" },
};

const HARDENED_ENGINE: DaemonConfig = {
  icc: false,
  "live-restore": true,
  "no-new-privileges": true,
  "userland-proxy": false,
  "log-level": "info",
  "default-ulimits": { nofile: { Name: "nofile", Soft: 65536, Hard: 65536 } },
};

const BASELINE: DaemonConfig = { ...HARDENED_ENGINE, ...LOG_ROTATION };

const STRICT: DaemonConfig = {
  ...HARDENED_ENGINE,
  // Container logs in the system journal, beside sshd's and auditd's records, where one agent
  // forwards them all (CIS Docker 2.13); journald bounds its own size (strict-os.ts).
  "log-driver": "journald",
  // Root in a container maps to an unprivileged range on the host.
  "userns-remap": "default",
};

export const PROFILE_DAEMON_CONFIG: Record<HardeningProfile, DaemonConfig> = {
  off: { ...LOG_ROTATION },
  baseline: BASELINE,
  strict: STRICT,
};

export interface DaemonConfigInput {
  hardening: HardeningProfile;
  /** True when the host runs SELinux (enforcing or permissive) and the engine should label. */
  selinuxEnabled: boolean;
  registryMirrors?: string[];
  /**
   * The host is a swarm member: live-restore off, since the engine refuses swarm mode with it
   * ("--live-restore daemon configuration is incompatible with swarm mode"; Docker's live-restore
   * page: it "only pertains to standalone containers"). The swarm reschedules tasks instead.
   */
  swarm?: boolean;
  /** Containers' logs leave the host: this driver replaces the profile's log driver and opts. */
  shippedLogs?: ShippedLogs;
  overrides?: DaemonConfig;
}

/** The profile's daemon.json, then SELinux and mirrors, then the user's overrides (null deletes). */
export function buildDaemonConfig(input: DaemonConfigInput): DaemonConfig {
  const config: DaemonConfig = { ...PROFILE_DAEMON_CONFIG[input.hardening] };
  if (input.selinuxEnabled) config["selinux-enabled"] = true;
  if (input.registryMirrors?.length) config["registry-mirrors"] = [...input.registryMirrors];
  if (input.swarm && "live-restore" in config) config["live-restore"] = false;
  if (input.shippedLogs) {
    config["log-driver"] = input.shippedLogs.driver;
    config["log-opts"] = { ...input.shippedLogs.options };
  }
  for (const [key, value] of Object.entries(input.overrides ?? {})) {
    if (value === null) delete config[key];
    else config[key] = value;
  }
  return config;
}

/** daemon.json as written to the host: stable key order, so a change shows as a small diff. */
export function renderDaemonJson(config: DaemonConfig): string {
  const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** What each profile's daemon.json promises, and why; an override may undo one only by name. */
export const DAEMON_GUARANTEES: Record<string, { profiles: HardeningProfile[]; why: string }> = {
  icc: {
    profiles: ["baseline", "strict"],
    why: "containers cannot talk to each other unless a network joins them",
  },
  "live-restore": {
    profiles: ["baseline", "strict"],
    why: "containers keep running through an engine restart or upgrade",
  },
  "no-new-privileges": {
    profiles: ["baseline", "strict"],
    why: "no setuid escalation inside containers",
  },
  "userland-proxy": {
    profiles: ["baseline", "strict"],
    why: "no proxy process per published port",
  },
  "log-driver": {
    profiles: ["off", "baseline", "strict"],
    why: "logs are bounded (json-file rotation; strict: the journal, CIS Docker 2.13)",
  },
  "log-opts": {
    profiles: ["off", "baseline"],
    why: "log rotation: a chatty container cannot fill the disk",
  },
  "userns-remap": {
    profiles: ["strict"],
    why: "root in a container maps to an unprivileged range on the host",
  },
};
const SELINUX_GUARANTEE = "containers are confined by SELinux";

/**
 * Overrides that would undo what the profile (or SELinux) guarantees, unless the user named
 * the key in `docker.relaxDaemonKeys`. A value equal to the profile's is no change.
 */
export function daemonGuaranteeProblems(input: {
  hardening: HardeningProfile;
  selinuxEnabled: boolean;
  swarm?: boolean;
  shippedLogs?: ShippedLogs;
  overrides: DaemonConfig;
  relax: string[];
}): string[] {
  const problems: string[] = [];
  if (input.swarm && input.overrides["live-restore"] === true)
    problems.push(
      "docker.daemonConfigJson.live-restore: true makes the engine refuse swarm mode, and this host is a swarm member (swarm: true). Remove it: the swarm restarts its tasks instead.",
    );
  const known = [...Object.keys(DAEMON_GUARANTEES), "selinux-enabled"];
  input.relax.forEach((key, i) => {
    if (!known.includes(key)) {
      problems.push(
        `docker.relaxDaemonKeys[${i}]: ${JSON.stringify(key)} is no profile's guarantee, so there is nothing to relax. The keys are: ${known.join(", ")}.`,
      );
    }
  });
  const promised = buildDaemonConfig({
    hardening: input.hardening,
    selinuxEnabled: input.selinuxEnabled,
    swarm: input.swarm,
    shippedLogs: input.shippedLogs,
  });
  for (const [key, value] of Object.entries(input.overrides)) {
    const guarantee = DAEMON_GUARANTEES[key];
    const why =
      key === "selinux-enabled" && input.selinuxEnabled
        ? SELINUX_GUARANTEE
        : guarantee?.profiles.includes(input.hardening)
          ? guarantee.why
          : undefined;
    if (!why || input.relax.includes(key) || (input.swarm && key === "live-restore")) continue;
    if (JSON.stringify(value) === JSON.stringify(promised[key])) continue;
    const change = value === null ? "null removes" : `${JSON.stringify(value)} undoes`;
    const owner = key === "selinux-enabled" ? "SELinux's" : `the ${input.hardening} profile's`;
    problems.push(
      `docker.daemonConfigJson.${key}: ${change} ${owner} ${JSON.stringify(key)}: ${JSON.stringify(promised[key])} (${why}). Remove it, or name ${JSON.stringify(key)} in docker.relaxDaemonKeys to accept that.`,
    );
  }
  return problems;
}
