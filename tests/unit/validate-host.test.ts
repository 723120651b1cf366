import { describe, expect, it } from "@jest/globals";
import { DockerHostConfigError } from "../../components/core/config-error";
import { resolveHostSpec } from "../../components/bootstrap/validate-host";
import type { HostSpec } from "../../components/bootstrap/types";

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com";
const base: HostSpec = { os: "debian-12", arch: "x86_64", cloud: "aws", sshAuthorizedKeys: [KEY] };

function problems(spec: Partial<HostSpec> & Record<string, unknown>): string[] {
  try {
    resolveHostSpec({ ...base, ...spec } as HostSpec);
    return [];
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    return e.problems;
  }
}

describe("resolveHostSpec", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["a valid spec", {}, []],
    [
      "unknown os",
      { os: "centos-7" },
      [
        'os: "centos-7" is not supported. Use one of: amazon-linux-2023, ubuntu-24.04, debian-12, rhel-9.',
      ],
    ],
    [
      "unknown arch",
      { arch: "i386" },
      ['arch: "i386" is not supported. Use one of: x86_64, arm64.'],
    ],
    [
      "unknown hardening",
      { hardening: "paranoid" },
      ['hardening: "paranoid" is not supported. Use one of: off, baseline, strict.'],
    ],
    [
      "unknown selinux",
      { selinux: "on" },
      ['selinux: "on" is not supported. Use one of: enforcing, permissive, disabled, os-default.'],
    ],
    [
      "unknown engine source",
      { docker: { source: "snap" } },
      ['docker.source: "snap" is not supported. Use one of: distro, docker-ce.'],
    ],
    [
      "no keys",
      { sshAuthorizedKeys: [] },
      [
        "sshAuthorizedKeys: at least one OpenSSH public key is needed to reach the host. Pass e.g. the contents of ~/.ssh/id_ed25519.pub.",
      ],
    ],
    [
      "a private key pasted as public",
      { sshAuthorizedKeys: ["-----BEGIN OPENSSH PRIVATE KEY-----"] },
      [
        'sshAuthorizedKeys[0]: not an OpenSSH public key. Expected one line like "ssh-ed25519 AAAA... comment".',
      ],
    ],
    [
      "root login",
      { sshUser: "root" },
      ['sshUser: "root" is refused: root login is off on every host. Use "admin" or another name.'],
    ],
    [
      "bad user name",
      { sshUser: "Ops User" },
      [
        'sshUser: "Ops User" is not a valid Linux user name. Use lowercase letters, digits, "-" and "_".',
      ],
    ],
    [
      "docker-ce on AL2023",
      { os: "amazon-linux-2023", docker: { source: "docker-ce" } },
      [
        'docker.source: Docker publishes no docker-ce repository for amazon-linux-2023. Use "distro" (the default).',
      ],
    ],
    [
      "distro engine on RHEL",
      { os: "rhel-9", docker: { source: "distro" } },
      ['docker.source: rhel-9 ships no Docker engine package. Use "docker-ce" (the default).'],
    ],
    [
      "a version with a shell in it",
      { docker: { version: "27; rm -rf /" } },
      ['docker.version: "27; rm -rf /" is not a package version. Use e.g. "27.3.1".'],
    ],
    [
      "a TCP socket",
      { docker: { daemonConfigJson: '{"hosts":["tcp://0.0.0.0:2375"]}' } },
      [
        'docker.daemonConfigJson.hosts: the engine listens on its unix socket only and is reached over SSH; a "hosts" entry would open a TCP socket. Remove it.',
      ],
    ],
    [
      "an override that turns inter-container traffic back on",
      { docker: { daemonConfigJson: '{"icc":true,"log-level":"warn"}' } },
      [
        'docker.daemonConfigJson.icc: true undoes the baseline profile\'s "icc": false (containers cannot talk to each other unless a network joins them). Remove it, or name "icc" in docker.relaxDaemonKeys to accept that.',
      ],
    ],
    [
      "the same override, relaxed by name",
      { docker: { daemonConfigJson: '{"icc":true}', relaxDaemonKeys: ["icc"] } },
      [],
    ],
    [
      "a value equal to the profile's is no change",
      { docker: { daemonConfigJson: '{"icc":false,"live-restore":true}' } },
      [],
    ],
    [
      "removing log rotation, even with hardening off",
      { hardening: "off", docker: { daemonConfigJson: '{"log-opts":null}' } },
      [
        'docker.daemonConfigJson.log-opts: null removes the off profile\'s "log-opts": {"max-size":"10m","max-file":"3"} (log rotation: a chatty container cannot fill the disk). Remove it, or name "log-opts" in docker.relaxDaemonKeys to accept that.',
      ],
    ],
    [
      "userns-remap off under strict",
      { hardening: "strict", docker: { daemonConfigJson: '{"userns-remap":""}' } },
      [
        'docker.daemonConfigJson.userns-remap: "" undoes the strict profile\'s "userns-remap": "default" (root in a container maps to an unprivileged range on the host). Remove it, or name "userns-remap" in docker.relaxDaemonKeys to accept that.',
      ],
    ],
    [
      "SELinux labels turned off on an enforcing host",
      { os: "rhel-9", docker: { daemonConfigJson: '{"selinux-enabled":false}' } },
      [
        'docker.daemonConfigJson.selinux-enabled: false undoes SELinux\'s "selinux-enabled": true (containers are confined by SELinux). Remove it, or name "selinux-enabled" in docker.relaxDaemonKeys to accept that.',
      ],
    ],
    [
      "relaxing a key no profile promises",
      { docker: { relaxDaemonKeys: ["debug"] } },
      [
        'docker.relaxDaemonKeys[0]: "debug" is no profile\'s guarantee, so there is nothing to relax. The keys are: icc, live-restore, no-new-privileges, userland-proxy, log-driver, log-opts, userns-remap, selinux-enabled.',
      ],
    ],
    [
      "an http mirror",
      { docker: { registryMirrors: ["http://mirror.local"] } },
      ['docker.registryMirrors[0]: "http://mirror.local" is not an https:// URL.'],
    ],
    [
      "enforcing on Ubuntu",
      { os: "ubuntu-24.04", selinux: "enforcing" },
      [
        'selinux: ubuntu-24.04 has no SELinux; it confines containers with AppArmor, which Docker\'s default profile already uses. Use "os-default" or "disabled".',
      ],
    ],
    [
      "a negative pids limit",
      { containerPidsLimit: -1 },
      [
        "containerPidsLimit: -1 is not a whole number of processes. Use e.g. 1024, or 0 for no limit.",
      ],
    ],
    [
      "a data disk that is not a device",
      { dataDisk: { devices: ["sdf"] } },
      ['dataDisk.devices[0]: "sdf" is not a /dev path.'],
    ],
  ];
  for (const [what, spec, expected] of cases) {
    it(what, () => expect(problems(spec)).toStrictEqual(expected));
  }

  it("fills in the catalog's defaults", () => {
    const r = resolveHostSpec({ ...base, os: "rhel-9", cloud: "azure" });
    expect({
      user: r.sshUser,
      hardening: r.hardening,
      selinux: r.selinux,
      source: r.engineSource,
      pids: r.containerPidsLimit,
    }).toStrictEqual({
      user: "azureuser",
      hardening: "baseline",
      selinux: "os-default",
      source: "docker-ce",
      pids: 1024,
    });
  });
});
