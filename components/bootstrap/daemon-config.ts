import type { HardeningProfile, JsonValue } from "./types";

export type DaemonConfig = { [key: string]: JsonValue };

// The engine settings each profile stands for. No "hosts" key anywhere: the engine listens on
// its unix socket only (the units pass -H fd://, and a TCP socket would bypass SSH).

const LOG_ROTATION: DaemonConfig = {
  "log-driver": "json-file",
  "log-opts": { "max-size": "10m", "max-file": "3" },
};

const BASELINE: DaemonConfig = {
  icc: false,
  "live-restore": true,
  "no-new-privileges": true,
  "userland-proxy": false,
  "log-level": "info",
  ...LOG_ROTATION,
  "default-ulimits": { nofile: { Name: "nofile", Soft: 65536, Hard: 65536 } },
};

const STRICT: DaemonConfig = {
  ...BASELINE,
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
  overrides?: DaemonConfig;
}

/** The profile's daemon.json, then SELinux and mirrors, then the user's overrides (null deletes). */
export function buildDaemonConfig(input: DaemonConfigInput): DaemonConfig {
  const config: DaemonConfig = { ...PROFILE_DAEMON_CONFIG[input.hardening] };
  if (input.selinuxEnabled) config["selinux-enabled"] = true;
  if (input.registryMirrors?.length) config["registry-mirrors"] = [...input.registryMirrors];
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
