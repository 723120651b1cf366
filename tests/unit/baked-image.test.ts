import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import {
  BAKE_RECORD_PATH,
  bakeScript,
  bakedImageCheckScript,
  localBakeUserData,
  resolveBakeSpec,
} from "../../components/bootstrap/baked-image";
import { renderCloudInit } from "../../components/bootstrap/cloud-init";
import { earlyStepsBootcmd } from "../../components/bootstrap/early-packages";
import { imageContents, installFingerprint } from "../../components/bootstrap/install-half";
import { DockerHostConfigError } from "../../components/core/config-error";
import type { BakeSpec } from "../../components/bootstrap/types";

// The install half as the bake and the baked host's first boot see it: what an image must hold,
// the bake's script, the first boot's check, and a host's payload without the install.

const bake = (spec: Partial<BakeSpec> = {}) =>
  resolveBakeSpec({ os: "debian-12", arch: "x86_64", cloud: "local", ...spec });

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com";

describe("what an image must hold for a host", () => {
  const rows: [string, Partial<BakeSpec>, ReturnType<typeof imageContents>][] = [
    [
      "debian-12 baseline: the distribution's engine and the audit daemon",
      {},
      { manager: "apt", enginePackage: "docker.io", packages: ["docker.io", "apparmor", "auditd"] },
    ],
    [
      "debian-12 off: the engine alone",
      { hardening: "off" },
      { manager: "apt", enginePackage: "docker.io", packages: ["docker.io", "apparmor"] },
    ],
    [
      "debian-12 strict: unattended-upgrades and Lynis' package suggestions too",
      { hardening: "strict" },
      {
        manager: "apt",
        enginePackage: "docker.io",
        packages: [
          "docker.io",
          "apparmor",
          "auditd",
          "unattended-upgrades",
          "libpam-tmpdir",
          "needrestart",
          "debsums",
          "apt-show-versions",
          "acct",
        ],
      },
    ],
    [
      "debian-12 enforcing: the SELinux policy its relabel needs",
      { selinux: "enforcing" },
      {
        manager: "apt",
        enginePackage: "docker.io",
        packages: [
          "docker.io",
          "apparmor",
          "auditd",
          "selinux-policy-default",
          "selinux-utils",
          "policycoreutils",
          "python3-selinux",
        ],
      },
    ],
    [
      "rhel-9 strict pinned: docker-ce, container-selinux, dnf-automatic, the pin",
      { os: "rhel-9", hardening: "strict", docker: { version: "27.3.1" } },
      {
        manager: "dnf",
        enginePackage: "docker-ce",
        packages: [
          "docker-ce",
          "docker-ce-cli",
          "containerd.io",
          "container-selinux",
          "audit",
          "dnf-automatic",
        ],
        enginePin: "27.3.1",
      },
    ],
  ];
  for (const [why, spec, expected] of rows)
    it(why, () => expect(imageContents(bake(spec))).toStrictEqual(expected));

  it("the fingerprint follows what is installed, not who the host is", () => {
    expect(installFingerprint(bake())).toMatch(/^[0-9a-f]{12}$/);
    expect(installFingerprint(bake())).toBe(installFingerprint(bake()));
    expect(installFingerprint(bake({ docker: { version: "20.10.24+dfsg1-1+deb12u1" } }))).not.toBe(
      installFingerprint(bake()),
    );
    expect(installFingerprint(bake({ hardening: "strict" }))).not.toBe(installFingerprint(bake()));
    expect(installFingerprint(bake({ cloud: "aws" }))).toBe(installFingerprint(bake()));
  });
});

describe("resolveBakeSpec", () => {
  it("checks a bake's settings as a host's, without asking for keys", () => {
    expect(() => bake({ os: "ubuntu-24.04", selinux: "enforcing" })).toThrow(
      new DockerHostConfigError([
        'selinux: ubuntu-24.04 has no SELinux; it confines containers with AppArmor, which Docker\'s default profile already uses. Use "os-default" or "disabled".',
      ]),
    );
    expect(() => bake({ os: "rhel-9", docker: { source: "distro" } })).toThrow(
      new DockerHostConfigError([
        'docker.source: rhel-9 ships no Docker engine package. Use "docker-ce" (the default).',
      ]),
    );
  });
});

describe("the bake's script", () => {
  it("installs with the first boot's own lines, then holds the engine back and records the image", () => {
    const script = bakeScript(bake()).split("\n");
    expect(script.slice(0, 4)).toStrictEqual([
      "#!/bin/sh",
      "# dockerhost: bake the install half of a Docker host into this image",
      "set -eu",
      "export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1",
    ]);
    expect(script.slice(script.indexOf("fi") + 1)).toStrictEqual([
      "install -d -m 0755 /etc/systemd/system/containerd.service.d",
      "printf '[Unit]\\nAfter=cloud-init.service\\n' > /etc/systemd/system/containerd.service.d/05-dockerhost-held.conf",
      "install -d -m 0755 /etc/systemd/system/docker.service.d",
      "printf '[Unit]\\nConditionPathExists=/var/lib/dockerhost/engine-configured\\n' > /etc/systemd/system/docker.service.d/05-dockerhost-held.conf",
      "apt-get clean",
      "rm -rf /var/lib/docker /var/lib/containerd",
      "install -d -m 0755 /usr/local/lib/dockerhost",
      "{",
      `  echo fingerprint=${installFingerprint(bake())}`,
      "  echo os=debian-12 arch=x86_64 source=distro",
      `  echo "engine=docker.io $(dpkg-query -W -f='\${Version}' docker.io)"`,
      "  echo packages='docker.io apparmor auditd'",
      '  echo "baked=$(date -u +%Y-%m-%dT%H:%M:%SZ)"',
      `} > ${BAKE_RECORD_PATH}`,
      `echo "dockerhost: bake finished: $(tr '\\n' ' ' < ${BAKE_RECORD_PATH})"`,
      "",
    ]);
  });
  it("bakes Debian's SELinux policy and the project's module where the host turns SELinux on", () => {
    const script = bakeScript(bake({ selinux: "enforcing" }));
    expect(script).toContain(
      "semodule -i /usr/local/lib/dockerhost/selinux/dockerhost_container.cil",
    );
    expect(bakeScript(bake())).not.toContain("semodule");
  });
});

describe("a baked host's first boot", () => {
  it("checks the record, every package, then the pinned engine version", () => {
    const lines = bakedImageCheckScript(
      bake({ docker: { version: "20.10.24+dfsg1-1+deb12u1" } }),
    ).split("\n");
    expect(lines).toStrictEqual([
      "#!/bin/sh",
      "# dockerhost: check what the baked image holds",
      "set -eu",
      `record=${BAKE_RECORD_PATH}`,
      'if [ ! -r "$record" ]; then',
      '  echo "dockerhost: bakedImage is true but this image holds no $record: it was not made by a DockerHostImage bake. Boot the bake\'s image (its imageId / amiId / imagePath output), or set bakedImage to false to install at first boot" >&2',
      "  exit 1",
      "fi",
      'missing=""',
      "for pkg in docker.io apparmor auditd; do",
      `  dpkg-query -W -f='\${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || missing="$missing $pkg"`,
      "done",
      'if [ -n "$missing" ]; then',
      `  echo "dockerhost: the baked image lacks$missing, which this host's settings need (hardening baseline, selinux os-default, docker.source distro). Bake an image with the host's settings, or set bakedImage to false" >&2`,
      "  exit 1",
      "fi",
      "engine=$(dpkg-query -W -f='${Version}' docker.io)",
      'case "$engine" in',
      "  20.10.24+dfsg1-1+deb12u1 | 20.10.24+dfsg1-1+deb12u1-* | *:20.10.24+dfsg1-1+deb12u1 | *:20.10.24+dfsg1-1+deb12u1-*) ;;",
      "  *)",
      '    echo "dockerhost: docker.version pins 20.10.24+dfsg1-1+deb12u1 but the baked image holds docker.io $engine. Bake a new image with docker.version 20.10.24+dfsg1-1+deb12u1 (hosts roll to its new image id), or pin $engine" >&2',
      "    exit 1",
      "    ;;",
      "esac",
      `echo "dockerhost: the baked image holds docker.io $engine and every package this host needs ($(grep '^fingerprint=' "$record")); nothing to install"`,
      "",
    ]);
  });
  it("asks rpm on dnf hosts", () => {
    const script = bakedImageCheckScript(bake({ os: "amazon-linux-2023" }));
    expect(script).toContain(`  rpm -q "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"`);
    expect(script).toContain("engine=$(rpm -q --qf '%{VERSION}-%{RELEASE}' docker)");
  });
  it("renders a payload without the install: no package script, step 30 checks, the steps start early", () => {
    const spec = {
      os: "debian-12" as const,
      arch: "x86_64" as const,
      cloud: "aws" as const,
      sshAuthorizedKeys: [KEY],
    };
    const cold = parse(renderCloudInit(spec)) as {
      write_files: { path: string }[];
      bootcmd: string[];
      runcmd: string[][];
    };
    const baked = parse(renderCloudInit({ ...spec, bakedImage: true })) as typeof cold;
    const paths = (d: typeof cold) => d.write_files.map((f) => f.path);
    expect(paths(cold).filter((p) => !paths(baked).includes(p))).toStrictEqual([
      "/usr/local/lib/dockerhost/30-await-packages.sh",
      "/usr/local/lib/dockerhost/packages.sh",
      "/usr/local/lib/dockerhost/files-written",
    ]);
    expect(paths(baked).filter((p) => !paths(cold).includes(p))).toStrictEqual([
      "/usr/local/lib/dockerhost/30-check-image.sh",
      "/usr/local/lib/dockerhost/await-steps.sh",
    ]);
    // Nothing to install: the whole ordered run starts once cloud-init's first stage is over.
    expect(baked.bootcmd).toStrictEqual([
      ...cold.bootcmd.filter((c) => !c.includes("dockerhost-packages")),
      earlyStepsBootcmd("/usr/local/lib/dockerhost/run-steps.sh"),
    ]);
    expect([cold.runcmd, baked.runcmd]).toStrictEqual([
      [["/usr/local/lib/dockerhost/run-steps.sh"]],
      [["/usr/local/lib/dockerhost/await-steps.sh"]],
    ]);
    expect(renderCloudInit({ ...spec, bakedImage: true })).not.toMatch(/apt-get|dpkg -i/);
  });
  it("keeps Debian's relabel and reboot at first boot, without installing the baked policy", () => {
    const spec = {
      os: "debian-12" as const,
      arch: "x86_64" as const,
      cloud: "local" as const,
      selinux: "enforcing" as const,
      sshAuthorizedKeys: [KEY],
    };
    const text = renderCloudInit({ ...spec, bakedImage: true });
    expect(text).toContain("setfiles -F -T 0");
    expect(text).toContain(
      "[ -e /etc/selinux/default/contexts/files/file_contexts ] || { echo 'dockerhost: the baked image holds no SELinux policy (selinux-policy-default, selinux-utils, policycoreutils, python3-selinux); bake it with this host'\"'\"'s selinux setting' >&2; exit 1; }",
    );
    expect(text).not.toContain("apt-get");
  });
});

describe("the local bake's user-data", () => {
  it("runs the bake, clears this boot's identity and powers off, whatever the outcome", () => {
    const doc = parse(localBakeUserData(bake())) as Record<string, unknown>;
    expect(Object.keys(doc)).toStrictEqual([
      "locale",
      "disable_root",
      "ssh_pwauth",
      "package_update",
      "package_upgrade",
      "write_files",
      "runcmd",
    ]);
    expect(doc.write_files).toStrictEqual([
      {
        path: "/usr/local/lib/dockerhost/bake.sh",
        content: bakeScript(bake()),
        permissions: "0755",
      },
    ]);
    expect(doc.runcmd).toStrictEqual([
      [
        "sh",
        "-c",
        [
          "if /usr/local/lib/dockerhost/bake.sh > /dev/console 2>&1; then",
          "  rm -f /usr/local/lib/dockerhost/bake.sh /etc/ssh/ssh_host_*",
          "  : > /etc/machine-id",
          "  cloud-init clean --logs",
          "  sync",
          "else",
          "  echo 'dockerhost: bake failed' > /dev/console",
          "fi",
          "poweroff",
        ].join("\n"),
      ],
    ]);
  });
});
