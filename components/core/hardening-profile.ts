// What each hardening profile turns on, in one table that every room reads (the payload's OS
// steps, the hosts' instance settings, the container and swarm-service checks, the stack's
// fleet), instead of each comparing the profile's name. Two other tables are keyed by profile:
// the engine's settings (daemon-config.ts, PROFILE_DAEMON_CONFIG and its guarantees) and the CIS
// rows (cis-controls.ts, each row naming the lowest profile that meets it).

export const HardeningProfile = {
  Off: "off",
  Baseline: "baseline",
  Strict: "strict",
} as const;
export type HardeningProfile = (typeof HardeningProfile)[keyof typeof HardeningProfile];
export const HARDENING_PROFILES: readonly HardeningProfile[] = Object.values(HardeningProfile);

/** The profile a host gets when its args name none. */
export const DEFAULT_HARDENING: HardeningProfile = "baseline";

export interface HardeningRules {
  // On the host (bootstrap/):
  /** The audit daemon and the engine's audit rules (50-audit-rules.sh; CIS 1.1.x). */
  auditRules: boolean;
  /** sshd: keys only, no root, no TCP, X11 or agent forwarding, MaxAuthTries 4 (the drop-in). */
  sshdKeysOnly: boolean;
  /** sshd's tighter budget on top (Lynis SSH-7408: MaxAuthTries 3, MaxSessions 2, …). */
  sshdTight: boolean;
  /** containerd's own config: no Kubernetes CRI plugin, so no CRI streaming port. */
  containerdConfig: boolean;
  /**
   * No non-root host user reaches the metadata service (the bootcmd's uid rule; cloud-init's
   * copies closed), nor any container (the DOCKER-USER reject; on Azure WireServer's ports too).
   */
  metadataLockdown: boolean;
  /** The per-container process limit as a systemd drop-in (containerPidsLimit). */
  pidsLimit: boolean;
  /** containerPidsLimit: 0 is refused (CIS 5.29: a fork bomb must not starve the host). */
  pidsLimitRequired: boolean;
  /**
   * The Lynis OS items (strict-os.ts): sysctls (70-sysctl.sh), blocked modules, no core dumps, a
   * persistent journal, banners, login.defs (75-strict-os.sh), and on apt hosts Lynis' packages.
   */
  strictOs: boolean;
  /** Unattended security updates (80-unattended-updates.sh); none on Amazon Linux 2023. */
  unattendedUpdates: boolean;
  /** SELinux enforcing by default where it is the OS's own confinement (RHEL, Amazon Linux). */
  selinuxEnforcingByDefault: boolean;
  // On the cloud (aws/, azure/, host/):
  /** AWS's `containersNeedImds` may open the metadata service (hop limit 2, no DOCKER-USER reject). */
  containersMayReachMetadata: boolean;
  /** Container logs leave the host by default where the host has an identity its options use. */
  shipsLogsWithIdentity: boolean;
  // On containers and swarm services (services/, swarm/):
  /** Root filesystems are read-only unless a container or service says otherwise. */
  readOnlyRootFsByDefault: boolean;
  /**
   * A `user` set (root only if named), images pinned by digest, a healthcheck (or NONE), published
   * ports bound to an address, no plain-text secrets, CPU shares, no root-start capabilities, the
   * edge's TLS floor and HSTS (strict-containers.ts and its readers; a swarm service gets the
   * user, digest, healthcheck and secrets rules).
   */
  containerRules: boolean;
  // On a fleet (the stack's DockerSwarm and SwarmServices, and the fleet's network rules):
  /** The swarm's managers keep their Raft keys locked (`docker swarm init --autolock`). */
  swarmAutolock: boolean;
  /** The services' overlay networks (not the ingress mesh) encrypt their traffic (IPsec ESP, opened among cloud members). */
  encryptedOverlay: boolean;
}

const OFF: HardeningRules = {
  auditRules: false,
  sshdKeysOnly: false,
  sshdTight: false,
  containerdConfig: false,
  metadataLockdown: false,
  pidsLimit: false,
  pidsLimitRequired: false,
  strictOs: false,
  unattendedUpdates: false,
  selinuxEnforcingByDefault: false,
  containersMayReachMetadata: true,
  shipsLogsWithIdentity: false,
  readOnlyRootFsByDefault: false,
  containerRules: false,
  swarmAutolock: false,
  encryptedOverlay: false,
};

const BASELINE: HardeningRules = {
  ...OFF,
  auditRules: true,
  sshdKeysOnly: true,
  containerdConfig: true,
  metadataLockdown: true,
  pidsLimit: true,
};

const STRICT: HardeningRules = {
  ...BASELINE,
  sshdTight: true,
  pidsLimitRequired: true,
  strictOs: true,
  unattendedUpdates: true,
  selinuxEnforcingByDefault: true,
  containersMayReachMetadata: false,
  shipsLogsWithIdentity: true,
  readOnlyRootFsByDefault: true,
  containerRules: true,
  swarmAutolock: true,
  encryptedOverlay: true,
};

export const HARDENING_RULES: Readonly<Record<HardeningProfile, HardeningRules>> = {
  off: OFF,
  baseline: BASELINE,
  strict: STRICT,
};

/**
 * The rules of a profile as the user wrote it: unset is the default; a name that is no profile
 * (refused by the host's checks, which run beside this) reads as the default too.
 */
export function hardeningRules(profile: string | undefined): HardeningRules {
  const name = profile ?? DEFAULT_HARDENING;
  return Object.hasOwn(HARDENING_RULES, name)
    ? HARDENING_RULES[name as HardeningProfile]
    : BASELINE;
}

/** What a host's profile asks of its DockerServices (the same for every target). */
export function servicesHardening(profile: string | undefined): {
  readOnlyRootFsByDefault: boolean;
  strictContainers: boolean;
} {
  const rules = hardeningRules(profile);
  return {
    readOnlyRootFsByDefault: rules.readOnlyRootFsByDefault,
    strictContainers: rules.containerRules,
  };
}
