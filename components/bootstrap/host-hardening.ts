import type { OsEntry } from "./os-catalog";
import { shellScript } from "./shell";
import type { HardeningProfile } from "./types";

// The OS-level half of the hardening profiles (the engine half is daemon-config.ts).

export const SSHD_DROP_IN_PATH = "/etc/ssh/sshd_config.d/10-dockerhost.conf";

/** sshd keeps the first value it reads; this file sorts before the images' own drop-ins. */
export function sshdConfig(profile: HardeningProfile): string | undefined {
  if (profile === "off") return undefined;
  const lines = [
    "# dockerhost: keys only, no root, a small retry budget",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin no",
    "MaxAuthTries 4",
    "X11Forwarding no",
    "AllowAgentForwarding no",
  ];
  // Docker over SSH runs `docker system dial-stdio`: it needs no port forwarding.
  if (profile === "strict") lines.push("AllowTcpForwarding no", "ClientAliveInterval 300");
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

/** Files whose changes are audited (CIS Docker Benchmark 1.1); absent ones are skipped on the host. */
export const AUDITED_PATHS = [
  "/etc/docker",
  "/etc/containerd",
  "/etc/default/docker",
  "/etc/sysconfig/docker",
  "/usr/lib/systemd/system/docker.service",
  "/usr/lib/systemd/system/docker.socket",
  "/usr/lib/systemd/system/containerd.service",
  "/run/docker.sock",
  "/run/containerd/containerd.sock",
];
export const AUDITED_BINARIES = [
  "dockerd",
  "docker",
  "containerd",
  "containerd-shim-runc-v2",
  "runc",
];

/**
 * Writes the audit rules for the paths this host really has (distribution and docker-ce
 * packages put the binaries in different places) and loads them.
 */
export function auditRulesScript(): string {
  return shellScript("audit changes to the engine's files", [
    // The engine starts in the background (step 40): its sockets must exist to be watched.
    "timeout 60 sh -c 'until [ -S /run/docker.sock ]; do sleep 0.2; done' || true",
    "if systemctl cat containerd.service >/dev/null 2>&1; then",
    "  timeout 60 sh -c 'until [ -S /run/containerd/containerd.sock ]; do sleep 0.2; done' || true",
    "fi",
    `rules=${AUDIT_RULES_PATH}`,
    'echo "## dockerhost: changes to the Docker engine, its configuration and sockets" > "$rules"',
    `for path in ${AUDITED_PATHS.join(" ")}; do`,
    '  if [ -e "$path" ]; then echo "-w $path -p wa -k docker" >> "$rules"; fi',
    "done",
    `for bin in ${AUDITED_BINARIES.join(" ")}; do`,
    '  if path=$(command -v "$bin"); then echo "-w $(readlink -f "$path") -p wa -k docker" >> "$rules"; fi',
    "done",
    // Attribute changes only: a write watch on the data dir would log every container write.
    'echo "-w /var/lib/docker -p a -k docker" >> "$rules"',
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

export const SYSCTL_PATH = "/etc/sysctl.d/90-dockerhost.conf";

export const STRICT_SYSCTLS: Record<string, string> = {
  // Docker routes container traffic: forwarding stays on.
  "net.ipv4.ip_forward": "1",
  "net.ipv4.conf.all.accept_redirects": "0",
  "net.ipv4.conf.default.accept_redirects": "0",
  "net.ipv4.conf.all.send_redirects": "0",
  "net.ipv4.conf.all.accept_source_route": "0",
  "net.ipv4.conf.all.log_martians": "1",
  "net.ipv4.tcp_syncookies": "1",
  "kernel.kptr_restrict": "2",
  "kernel.dmesg_restrict": "1",
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
    `sysctl -q -p ${SYSCTL_PATH}`,
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
