import type { HardeningProfile } from "./types";

// The CIS Docker Benchmark v1.6 controls that the host payload and DockerServices own, as data:
// the CIS table of docs/security.md is rendered from it (a unit test keeps the two equal), and the VM level
// runs each row's verify command on the strict guest. A verify command runs on the host as the
// login user and exits 0 when the control holds; `<name>` stands for a container's name.

export interface CisControl {
  id: string;
  control: string;
  /** The lowest profile that meets it (strict meets everything baseline does). */
  from: Exclude<HardeningProfile, "off">;
  does: string;
  why: string;
  verify: string;
}

const audited = (path: string): string =>
  `sudo auditctl -l | grep -qF -- "-w ${path} -p wa -k docker"`;
/** A rule for a binary wherever root's PATH has it (/usr/sbin/runc and its /usr/bin/runc link). */
const auditedBinary = (bin: string): string =>
  `sudo sh -c 'command -v ${bin} >/dev/null && for p in /usr/local/sbin/${bin} /usr/local/bin/${bin} /usr/sbin/${bin} /usr/bin/${bin}; do [ ! -e "$p" ] || auditctl -l | grep -qF -- "-w $p -p wa -k docker" || exit 1; done'`;
/** docker-ce's containerd.io ships neither old shim; Debian's containerd ships both. */
const auditedIfShipped = (bin: string): string =>
  `! sudo sh -c 'command -v ${bin}' >/dev/null || ${auditedBinary(bin)}`;
/** Where the distro has no such file, the control does not apply. */
const auditedIfPresent = (path: string): string => `test ! -e ${path} || ${audited(path)}`;
const AUDIT_WHY = "who changed the engine, its configuration or its socket is on record";

const AUDIT_ROWS: [string, string, string][] = [
  ["1.1.3", "the Docker daemon", auditedBinary("dockerd")],
  ["1.1.4", "/run/containerd", audited("/run/containerd")],
  [
    "1.1.5",
    "/var/lib/docker (attribute changes: a write watch would log every container write)",
    'sudo auditctl -l | grep -qF -- "-w /var/lib/docker -p a -k docker"',
  ],
  ["1.1.6", "/etc/docker", audited("/etc/docker")],
  [
    "1.1.7",
    "docker.service, where systemd loads it from",
    audited("$(systemctl show -P FragmentPath docker.service)"),
  ],
  ["1.1.8", "containerd.sock", audited("/run/containerd/containerd.sock")],
  [
    "1.1.9",
    "docker.socket, where systemd loads it from",
    audited("$(systemctl show -P FragmentPath docker.socket)"),
  ],
  [
    "1.1.10",
    "/etc/default/docker, where the distro has it",
    auditedIfPresent("/etc/default/docker"),
  ],
  ["1.1.11", "/etc/docker/daemon.json (the file itself)", audited("/etc/docker/daemon.json")],
  ["1.1.12", "/etc/containerd/config.toml", audited("/etc/containerd/config.toml")],
  [
    "1.1.13",
    "/etc/sysconfig/docker, where the distro has it",
    auditedIfPresent("/etc/sysconfig/docker"),
  ],
  ["1.1.14", "containerd", auditedBinary("containerd")],
  ["1.1.15", "containerd-shim, where the package ships it", auditedIfShipped("containerd-shim")],
  [
    "1.1.16",
    "containerd-shim-runc-v1, where the package ships it",
    auditedIfShipped("containerd-shim-runc-v1"),
  ],
  ["1.1.17", "containerd-shim-runc-v2", auditedBinary("containerd-shim-runc-v2")],
  ["1.1.18", "runc (Debian: /usr/sbin/runc and its /usr/bin/runc link)", auditedBinary("runc")],
];

export const CIS_CONTROLS: CisControl[] = [
  ...AUDIT_ROWS.map(([id, what, verify]): CisControl => ({
    id,
    control: `auditing of ${what}`,
    from: "baseline",
    does: "an auditd watch on the exact path, and on the resolved path of a binary or unit",
    why: AUDIT_WHY,
    verify,
  })),
  {
    id: "2.2",
    control: "no traffic between containers on the default bridge",
    from: "baseline",
    does: 'daemon.json `"icc": false`',
    why: "containers reach each other only through a network that joins them",
    verify: `docker network inspect bridge --format '{{index .Options "com.docker.network.bridge.enable_icc"}}' | grep -qx false`,
  },
  {
    id: "2.3",
    control: "logging level info",
    from: "baseline",
    does: 'daemon.json `"log-level": "info"`',
    why: "enough to investigate, without debug output",
    verify: `grep -q '"log-level": "info"' /etc/docker/daemon.json`,
  },
  {
    id: "2.13",
    control: "centralized and remote logging",
    from: "strict",
    does: "the `journald` log driver: container logs in the persistent system journal (1 GB cap), where one agent forwards them with sshd's and auditd's; an AWS host with an identity ships them to its own CloudWatch log group instead (`awslogs`, docs/host-identity.md), an Azure host to its own Log Analytics workspace (`syslog` to rsyslog and Azure Monitor's agent, docs/host-identity-azure.md)",
    why: "logs outlive the container and can leave the host; forwarding needs a destination, which is yours (docs/security.md: forwarding the journal) or the host's cloud",
    verify: `docker info --format '{{.LoggingDriver}}' | grep -qxE 'journald|awslogs|syslog'`,
  },
  {
    id: "4.1",
    control: "a user for the container",
    from: "strict",
    does: 'a container without `user` is refused at preview; `user: "root"` is accepted as an explicit choice',
    why: "root in a container is the first step of most escapes (userns-remap maps it to an unprivileged host user as well)",
    verify: `u=$(docker inspect -f '{{.Config.User}}' <name>) && [ -n "$u" ] && [ "$u" != root ] && [ "\${u%%:*}" != 0 ]`,
  },
  {
    id: "4.5",
    control: "content trust for images",
    from: "strict",
    does: "an image given by tag is refused at preview: `name@sha256:<digest>`, or built from a Dockerfile; containers run by image id",
    why: "a tag moving in the registry cannot change what runs, nor what a replaced host pulls",
    verify: `docker inspect -f '{{.Config.Image}}' <name> | grep -Eq '(^sha256:|@sha256:)[0-9a-f]{64}$'`,
  },
  {
    id: "4.6",
    control: "a HEALTHCHECK for the container",
    from: "strict",
    does: 'a container without `healthcheck` is refused at preview; `test: ["NONE"]` opts out explicitly',
    why: "a hung service is seen, and dependents wait for it",
    verify: `docker inspect -f '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Test}}{{end}}' <name> | grep -q .`,
  },
  {
    id: "5.2",
    control: "an AppArmor profile, if applicable",
    from: "baseline",
    does: "Docker's `docker-default` profile; not applicable where the host runs SELinux (5.3 applies there)",
    why: "AppArmor is the MAC of Debian and Ubuntu hosts without SELinux",
    verify: `[ "$(cat /sys/fs/selinux/enforce 2>/dev/null)" = 1 ] || docker inspect -f '{{.AppArmorProfile}}' <name> | grep -q .`,
  },
  {
    id: "5.3",
    control: "SELinux security options, if applicable",
    from: "baseline",
    does: "`selinux-enabled` wherever SELinux is on: containers run as `container_t` with their own MCS categories",
    why: "a container escape still meets the MAC policy",
    verify: `[ "$(cat /sys/fs/selinux/enforce 2>/dev/null)" != 1 ] || docker inspect -f '{{.ProcessLabel}}' <name> | grep -q ':container_t:'`,
  },
  {
    id: "5.12",
    control: "CPU priority set",
    from: "strict",
    does: "512 CPU shares for a container without a `cpus` limit (Docker's default is 1024)",
    why: "a busy container cannot starve the host's own services of CPU",
    verify: `set -- $(docker inspect -f '{{.HostConfig.CpuShares}} {{.HostConfig.NanoCpus}}' <name>) && { [ "$2" != 0 ] || { [ "$1" != 0 ] && [ "$1" != 1024 ]; }; }`,
  },
  {
    id: "5.14",
    control: "published ports bound to a host interface",
    from: "strict",
    does: 'a published port without `hostIp` is refused at preview; `"0.0.0.0"` says "every address" explicitly',
    why: "a port meant for one network is not served on the others",
    verify: `docker port <name> | grep -q . && ! docker port <name> | grep -Eq -- '-> (0\\.0\\.0\\.0|\\[::\\]):'`,
  },
  {
    id: "5.27",
    control: "container health checked at runtime",
    from: "strict",
    does: "DockerServices waits for a new container's healthcheck before its dependents start (the health gate)",
    why: "a deploy that starts an unhealthy container fails instead of reporting success",
    verify: `docker inspect -f '{{.State.Health.Status}}' <name> | grep -qx healthy`,
  },
  {
    id: "5.29",
    control: "PIDs cgroup limit",
    from: "baseline",
    does: "`TasksMax` on every container's systemd scope (1024, `containerPidsLimit`; strict refuses 0). @pulumi/docker 5.2 cannot set `--pids-limit`, so `docker inspect`'s `PidsLimit` stays empty: the benchmark's own audit cannot see it",
    why: "a fork bomb in one container cannot starve the host",
    verify: `[ "$(systemctl show -P TasksMax "docker-$(docker inspect -f '{{.Id}}' <name>).scope")" != infinity ]`,
  },
];

/** A verify command for one container. */
export function verifyFor(control: CisControl, container: string): string {
  return control.verify.replaceAll("<name>", container);
}

const cell = (text: string): string => text.replaceAll("|", "\\|");

/** The CIS table of docs/security.md (markdown, unpadded: Prettier pads it there). */
export function cisTable(): string {
  const rows = CIS_CONTROLS.map((c) =>
    [c.id, c.control, c.from === "baseline" ? "✓" : "", "✓", c.does, c.why, `\`${c.verify}\``]
      .map(cell)
      .join(" | "),
  );
  return [
    "| CIS | control | baseline | strict | what the host does | why | verify on the host |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r} |`),
  ].join("\n");
}
