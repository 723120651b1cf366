import type { PackageManager } from "./os-catalog";
import { shellScript } from "./shell";

// What `strict` adds to the OS beyond the engine: the items of a Lynis 3.0.8 audit that a Docker
// host's payload can own (test ids in the comments). None of them turns off IP forwarding or
// module loading, which Docker needs (Lynis' own profile asks for both).

/**
 * Lynis' package suggestions on Debian and Ubuntu: per-user /tmp for PAM sessions (DEB-0280),
 * services listed after a library update (DEB-0831), package file checksums (PKGS-7370), upgrade
 * candidates (PKGS-7394), process accounting (ACCT-9622). dnf images have their own tools.
 */
export const STRICT_PACKAGES: Record<PackageManager, string[]> = {
  apt: ["libpam-tmpdir", "needrestart", "debsums", "apt-show-versions", "acct"],
  dnf: [],
};

/** Services of STRICT_PACKAGES that run from the first boot on (enabled by their packages). */
export const STRICT_SERVICES = ["acct.service"];

export const NEEDRESTART_CONF_PATH = "/etc/needrestart/conf.d/50-dockerhost.conf";

/**
 * needrestart lists, never restarts: an unattended upgrade must not restart sshd or the engine
 * on its own (live-restore keeps containers, but the deployer's session would drop).
 */
export const NEEDRESTART_CONF =
  "# dockerhost: list services to restart; restart none\n$nrconf{restart} = 'l';\n";

export const MODPROBE_PATH = "/etc/modprobe.d/dockerhost-strict.conf";

/**
 * Kernel modules a Docker server never needs: old or removable-media filesystems (FILE-6430),
 * rare network protocols with a history of remote bugs (NETW-3200), USB storage (USB-1000),
 * FireWire (STRG-1846). overlay, br_netfilter, vxlan and ip_vs stay: Docker and Swarm load them.
 */
export const BLOCKED_MODULES = [
  "cramfs",
  "freevxfs",
  "hfs",
  "hfsplus",
  "jffs2",
  "udf",
  "dccp",
  "sctp",
  "rds",
  "tipc",
  "usb-storage",
  "firewire-core",
  "firewire-ohci",
  "firewire-sbp2",
];

/** `install ... /bin/false` stops explicit loads too; `blacklist` is what Lynis looks for. */
export function modprobeConfig(): string {
  const lines = BLOCKED_MODULES.flatMap((m) => [`blacklist ${m}`, `install ${m} /bin/false`]);
  return `# dockerhost strict profile: modules a Docker server does not need\n${lines.join("\n")}\n`;
}

export const CORE_LIMITS_PATH = "/etc/security/limits.d/10-dockerhost-core.conf";
/** No core dumps from logins (KRNL-5820); fs.suid_dumpable=0 covers setuid programs. */
export const CORE_LIMITS = "# dockerhost strict profile: no core dumps\n* hard core 0\n";

export const JOURNALD_PATH = "/etc/systemd/journald.conf.d/50-dockerhost.conf";
/** Container logs go to the journal under strict (daemon-config.ts): keep it on disk, bounded. */
export const JOURNALD_CONF = "[Journal]\nStorage=persistent\nCompress=yes\nSystemMaxUse=1G\n";

export const BANNER_PATHS = ["/etc/issue", "/etc/issue.net"];
/** The legal notice Lynis checks the login banners for (BANN-7126, BANN-7130). */
export const LEGAL_BANNER = [
  "Authorized access only. This system is private property; connections are monitored and",
  "logged. Unauthorized use is prohibited and may lead to criminal and civil prosecution.",
  "",
].join("\n");

/** login.defs keys for accounts made later: umask (AUTH-9328), ageing (AUTH-9286), rounds (AUTH-9230). */
export const LOGIN_DEFS: Record<string, string> = {
  UMASK: "027",
  PASS_MAX_DAYS: "365",
  PASS_MIN_DAYS: "1",
  SHA_CRYPT_MIN_ROUNDS: "5000",
  SHA_CRYPT_MAX_ROUNDS: "50000",
};

/**
 * login.defs: each key set in place (commented or not) or appended, so the distro's file stays its
 * own; then journald restarted onto its drop-in (it started before cloud-init wrote it).
 */
export function strictOsScript(): string {
  return shellScript("login.defs (umask, ageing, hashing rounds); journald on its drop-in", [
    "defs=/etc/login.defs",
    ...Object.entries(LOGIN_DEFS).map(
      ([key, value]) =>
        `if grep -Eq '^#?[[:space:]]*${key}[[:space:]]' "$defs"; then sed -i -E 's/^#?[[:space:]]*${key}[[:space:]].*/${key}\\t${value}/' "$defs"; else printf '${key}\\t${value}\\n' >> "$defs"; fi`,
    ),
    "systemctl restart systemd-journald.service",
    // acct's files were created before SELinux labeled the disk on some paths; accton then
    // writes to var_log_t and is refused under enforcing (measured on the strict guest:
    // "accton: Permission denied", the file labeled var_log_t, matchpathcon acct_data_t).
    // Only where SELinux is on: elsewhere there is no label to fix (and no restorecon).
    "if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled && [ -d /var/log/account ]; then restorecon -R /var/log/account; fi",
    // The install held every service start (policy-rc.d): accounting would begin at the next boot.
    ...STRICT_SERVICES.map(
      (unit) =>
        `if systemctl cat ${unit} >/dev/null 2>&1; then systemctl start ${unit} || echo "dockerhost: ${unit} did not start" >&2; fi`,
    ),
  ]);
}

/** The files strict writes before anything is installed (needrestart's only where it is). */
export function strictOsFiles(manager: PackageManager): { path: string; content: string }[] {
  return [
    { path: MODPROBE_PATH, content: modprobeConfig() },
    { path: CORE_LIMITS_PATH, content: CORE_LIMITS },
    { path: JOURNALD_PATH, content: JOURNALD_CONF },
    ...BANNER_PATHS.map((path) => ({ path, content: LEGAL_BANNER })),
    ...(STRICT_PACKAGES[manager].includes("needrestart")
      ? [{ path: NEEDRESTART_CONF_PATH, content: NEEDRESTART_CONF }]
      : []),
  ];
}
