import { hardeningRules } from "../core/hardening-profile";
import type { OsEntry } from "./os-catalog";
import { shellScript } from "./shell";
import type { HardeningProfile } from "./types";

// The OS-level half of the hardening profiles (the engine half is daemon-config.ts).

export const SSHD_DROP_IN_PATH = "/etc/ssh/sshd_config.d/10-dockerhost.conf";

/** sshd keeps the first value it reads; this file sorts before the images' own drop-ins. */
export function sshdConfig(profile: HardeningProfile): string | undefined {
  const rules = hardeningRules(profile);
  if (!rules.sshdKeysOnly) return undefined;
  const lines = [
    "# dockerhost: keys only, no root, a small retry budget",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin no",
    // Docker over SSH runs `docker system dial-stdio`: it needs no forwarding of any kind.
    "AllowTcpForwarding no",
    "X11Forwarding no",
    "AllowAgentForwarding no",
  ];
  if (rules.sshdTight) {
    // Lynis SSH-7408. Each docker command is a connection of its own (no multiplexing), so two
    // sessions per connection and three key offers are plenty.
    lines.push(
      "MaxAuthTries 3",
      "MaxSessions 2",
      "LogLevel VERBOSE",
      "Compression no",
      "TCPKeepAlive no",
      "ClientAliveInterval 300",
      "ClientAliveCountMax 2",
      "AllowStreamLocalForwarding no",
      "PermitTunnel no",
      "PermitUserEnvironment no",
    );
  } else lines.push("MaxAuthTries 4");
  return `${lines.join("\n")}\n`;
}

export function reloadSshdScript(): string {
  return shellScript("apply the sshd drop-in", [
    "for unit in ssh.service sshd.service; do",
    '  if systemctl is-active --quiet "$unit"; then systemctl reload "$unit"; fi',
    "done",
  ]);
}

export const AUDIT_RULES_PATH = "/etc/audit/rules.d/50-dockerhost.rules";

/**
 * The files and directories of CIS Docker Benchmark v1.6 1.1.4-1.1.13, plus the containerd unit
 * and config dir. A rule is written for those the host has (a distro has /etc/default/docker or
 * /etc/sysconfig/docker, not both).
 */
export const AUDITED_PATHS = [
  "/run/containerd",
  "/etc/docker",
  "/etc/docker/daemon.json",
  "/etc/containerd",
  "/etc/containerd/config.toml",
  "/etc/default/docker",
  "/etc/sysconfig/docker",
  "/run/docker.sock",
  "/run/containerd/containerd.sock",
];
/** The units of 1.1.7 and 1.1.9, at the path systemd loads them from (and its resolved path). */
export const AUDITED_UNITS = ["docker.service", "docker.socket", "containerd.service"];
/** Where binaries live; /bin and /sbin are skipped where they link to /usr's. */
export const BINARY_DIRS = [
  "/usr/local/sbin",
  "/usr/local/bin",
  "/usr/sbin",
  "/usr/bin",
  "/sbin",
  "/bin",
];
/**
 * The binaries of 1.1.3 and 1.1.14-1.1.18, in every binary directory that has them, and at their
 * resolved paths: packages differ (Debian's runc is /usr/sbin/runc with a /usr/bin/runc link,
 * docker-ce's is /usr/bin/runc), and Debian's containerd also ships containerd-shim and
 * containerd-shim-runc-v1.
 */
export const AUDITED_BINARIES = [
  "dockerd",
  "docker",
  "containerd",
  "containerd-shim",
  "containerd-shim-runc-v1",
  "containerd-shim-runc-v2",
  "runc",
];

/**
 * Writes the audit rules for the paths this host really has and loads them. It runs after the
 * packages and the engine's start, so every binary, unit and socket exists when it is written.
 */
export function auditRulesScript(): string {
  return shellScript("audit changes to the engine's files", [
    // The engine starts in the background (step 40): its sockets must exist to be watched.
    "timeout 60 sh -c 'until [ -S /run/docker.sock ]; do sleep 0.2; done' || true",
    "if systemctl cat containerd.service >/dev/null 2>&1; then",
    "  timeout 60 sh -c 'until [ -S /run/containerd/containerd.sock ]; do sleep 0.2; done' || true",
    "fi",
    `rules=${AUDIT_RULES_PATH}`,
    'watch() { if [ -e "$1" ] && ! grep -qxF -- "-w $1 -p $2 -k docker" "$rules"; then echo "-w $1 -p $2 -k docker" >> "$rules"; fi; }',
    'echo "## dockerhost: changes to the Docker engine, its configuration and sockets (CIS Docker 1.1)" > "$rules"',
    `for path in ${AUDITED_PATHS.join(" ")}; do watch "$path" wa; done`,
    `for unit in ${AUDITED_UNITS.join(" ")}; do`,
    '  fragment=$(systemctl show -P FragmentPath "$unit" 2>/dev/null) || continue',
    '  if [ -n "$fragment" ]; then watch "$fragment" wa; watch "$(readlink -f "$fragment")" wa; fi',
    "done",
    `for bin in ${AUDITED_BINARIES.join(" ")}; do`,
    // /bin and /sbin are links to /usr's on merged-/usr systems: the same files, listed once.
    `  for dir in ${BINARY_DIRS.join(" ")}; do`,
    '    if [ ! -L "$dir" ] && [ -e "$dir/$bin" ]; then watch "$dir/$bin" wa; watch "$(readlink -f "$dir/$bin")" wa; fi',
    "  done",
    "done",
    // Attribute changes only: a write watch on the data dir would log every container write.
    "watch /var/lib/docker a",
    "systemctl is-enabled -q auditd.service || systemctl enable auditd.service",
    "systemctl start auditd.service",
    "augenrules --load",
  ]);
}

export const PIDS_DROP_IN_PATH = "/etc/systemd/system/docker-.scope.d/50-dockerhost-pids.conf";

/** Docker's systemd cgroup driver runs each container in a docker-<id>.scope unit. */
export function containerPidsDropIn(limit: number): string {
  return `[Scope]\nTasksMax=${limit === 0 ? "infinity" : limit}\n`;
}

export const STOP_DROP_IN_PATH = "/etc/systemd/system/docker-.scope.d/50-dockerhost-stop.conf";

/**
 * With live-restore, a shutdown leaves the containers to systemd, which stops each container's
 * scope: a PID 1 that ignores SIGTERM (most do, having no handler) then held every reboot for
 * systemd's default 90 s. Docker's own stop grace is 10 s; the scope gets the same.
 */
export const CONTAINER_STOP_DROP_IN = "[Scope]\nTimeoutStopSec=10s\n";

export const SYSCTL_PATH = "/etc/sysctl.d/90-dockerhost.conf";

/**
 * Lynis' KRNL-6000 list, with the `default.` variant beside each `all.` one (new interfaces take
 * `default`), except what Docker needs: forwarding stays on, and module loading stays allowed.
 */
export const STRICT_SYSCTLS: Record<string, string> = {
  // Docker routes container traffic: forwarding stays on.
  "net.ipv4.ip_forward": "1",
  "net.ipv4.conf.all.accept_redirects": "0",
  "net.ipv4.conf.default.accept_redirects": "0",
  "net.ipv4.conf.all.send_redirects": "0",
  "net.ipv4.conf.default.send_redirects": "0",
  "net.ipv4.conf.all.accept_source_route": "0",
  "net.ipv4.conf.default.accept_source_route": "0",
  "net.ipv4.conf.all.log_martians": "1",
  "net.ipv4.conf.default.log_martians": "1",
  "net.ipv4.conf.all.bootp_relay": "0",
  "net.ipv4.conf.all.proxy_arp": "0",
  "net.ipv4.conf.all.mc_forwarding": "0",
  "net.ipv4.icmp_echo_ignore_broadcasts": "1",
  "net.ipv4.icmp_ignore_bogus_error_responses": "1",
  "net.ipv4.tcp_syncookies": "1",
  "net.ipv6.conf.all.accept_redirects": "0",
  "net.ipv6.conf.default.accept_redirects": "0",
  "net.ipv6.conf.all.accept_source_route": "0",
  "net.ipv6.conf.default.accept_source_route": "0",
  "kernel.kptr_restrict": "2",
  "kernel.dmesg_restrict": "1",
  "kernel.core_uses_pid": "1",
  "kernel.ctrl-alt-del": "0",
  "kernel.perf_event_paranoid": "3",
  "kernel.randomize_va_space": "2",
  "kernel.sysrq": "0",
  "kernel.unprivileged_bpf_disabled": "1",
  "kernel.yama.ptrace_scope": "1",
  "net.core.bpf_jit_harden": "2",
  "dev.tty.ldisc_autoload": "0",
  "fs.protected_fifos": "2",
  "fs.protected_regular": "2",
  "fs.protected_hardlinks": "1",
  "fs.protected_symlinks": "1",
  "fs.suid_dumpable": "0",
};

export function sysctlConfig(): string {
  const lines = Object.entries(STRICT_SYSCTLS).map(([key, value]) => `${key} = ${value}`);
  return `# dockerhost strict profile\n${lines.join("\n")}\n`;
}

export function applySysctlScript(): string {
  return shellScript("apply the strict sysctls now (systemd-sysctl ran before cloud-init)", [
    // -e: a kernel without IPv6 (ipv6.disable=1) has no net.ipv6 keys; the rest still apply.
    `sysctl -q -e -p ${SYSCTL_PATH}`,
  ]);
}

/**
 * Security updates install themselves: Debian's unattended-upgrades, or dnf-automatic. Undefined
 * where the image is locked to its release (AL2023): there fixes arrive with a new image.
 */
export function unattendedUpdates(os: OsEntry):
  | {
      packages: string[];
      files: { path: string; content: string }[];
      script: string;
    }
  | undefined {
  switch (os.securityUpdates) {
    case "new-image":
      return undefined;
    case "unattended-upgrades":
      return {
        packages: ["unattended-upgrades"],
        files: [
          {
            path: "/etc/apt/apt.conf.d/20auto-upgrades",
            content:
              'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n',
          },
        ],
        script: shellScript("install security updates unattended", [
          "systemctl enable --now apt-daily.timer apt-daily-upgrade.timer",
        ]),
      };
    case "dnf-automatic":
      return {
        packages: ["dnf-automatic"],
        files: [
          {
            path: "/etc/dnf/automatic.conf",
            content:
              "[commands]\nupgrade_type = security\ndownload_updates = yes\napply_updates = yes\n",
          },
        ],
        script: shellScript("install security updates unattended", [
          "systemctl enable --now dnf-automatic.timer",
        ]),
      };
  }
}

export const CONTAINERD_CONFIG_PATH = "/etc/containerd/config.toml";

/**
 * containerd without its Kubernetes CRI plugin: Docker does not use it, and containerd 1.6 would
 * otherwise open a CRI streaming port on 127.0.0.1 (seen on the Debian 12 guest). Written before
 * the packages install, kept by dpkg's --force-confold.
 */
export function containerdConfig(): string {
  return [
    "# dockerhost: Docker needs no Kubernetes CRI; without it containerd opens no TCP port.",
    "version = 2",
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    "",
  ].join("\n");
}
