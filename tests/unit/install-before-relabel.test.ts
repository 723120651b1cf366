import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { renderCloudInit } from "../../components/bootstrap/cloud-init";
import {
  installPackagesLines,
  installPackagesScript,
} from "../../components/bootstrap/engine-install";
import { packageStepInput } from "../../components/bootstrap/install-half";
import { resolveHostSpec } from "../../components/bootstrap/validate-host";
import type { HostSpec } from "../../components/bootstrap/types";

// Where SELinux comes on by a relabel and a reboot, the host's packages go in inside the
// activation, before the policy and the relabel; after the reboot the package unit finds them.

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com";

interface Payload {
  write_files: { path: string; content: string }[];
  bootcmd: string[];
}

const spec = (extra: Partial<HostSpec>): HostSpec => ({
  os: "debian-12",
  arch: "x86_64",
  cloud: "local",
  sshAuthorizedKeys: [KEY],
  ...extra,
});
const payload = (s: HostSpec) => parse(renderCloudInit(s)) as Payload;
const activation = (p: Payload) => p.bootcmd.find((c) => c.includes("bringing SELinux")) ?? "";
const packagesSh = (p: Payload) =>
  p.write_files.find((f) => f.path === "/usr/local/lib/dockerhost/packages.sh")?.content;

const HOLD = [
  "rm -f /usr/sbin/policy-rc.d",
  "install -d -m 0755 /etc/systemd/system/containerd.service.d",
  "printf '[Unit]\\nAfter=cloud-init.service\\n' > /etc/systemd/system/containerd.service.d/05-dockerhost-held.conf",
  "install -d -m 0755 /etc/systemd/system/docker.service.d",
  "printf '[Unit]\\nConditionPathExists=/var/lib/dockerhost/engine-configured\\n' > /etc/systemd/system/docker.service.d/05-dockerhost-held.conf",
  "install -d -m 0755 /var/lib/dockerhost",
  "touch /var/lib/dockerhost/packages-installed",
];

describe("the packages installed before the SELinux relabel", () => {
  it("debian-12 strict enforcing: the host's install, the engine held, the marker, then the policy; one index fetch", () => {
    const s = spec({ hardening: "strict", selinux: "enforcing" });
    const lines = activation(payload(s)).split("\n");
    const install = installPackagesLines(packageStepInput(resolveHostSpec(s)));
    const start = lines.indexOf(install[0]);
    expect(lines.slice(start, start + install.length + HOLD.length)).toStrictEqual([
      ...install,
      ...HOLD,
    ]);
    expect(lines[start + install.length + HOLD.length]).toBe(
      "export DEBIAN_FRONTEND=noninteractive",
    );
    expect(lines.filter((l) => / update$/.test(l))).toHaveLength(1);
    expect(lines.indexOf(install[0])).toBeLessThan(
      lines.findIndex((l) => l.startsWith("setfiles ")),
    );
  });

  it("after the reboot the package script finds the marker and installs nothing", () => {
    const s = spec({ hardening: "strict", selinux: "enforcing" });
    const install = installPackagesLines(packageStepInput(resolveHostSpec(s)));
    expect(packagesSh(payload(s))).toBe(
      [
        "#!/bin/sh",
        "# dockerhost: install the Docker engine and the host's packages",
        "set -eu",
        "if [ -e /var/lib/dockerhost/packages-installed ]; then",
        '  echo "dockerhost: the packages went in before the SELinux relabel; nothing to install"',
        "  exit 0",
        "fi",
        ...install,
        "",
      ].join("\n"),
    );
  });

  it("amazon-linux-2023 enforcing: the dnf install after the check that SELinux is not enforcing yet", () => {
    const s = spec({ os: "amazon-linux-2023", cloud: "aws", selinux: "enforcing" });
    const lines = activation(payload(s)).split("\n");
    const install = installPackagesLines(packageStepInput(resolveHostSpec(s)));
    const check = lines.indexOf('if [ "$(getenforce)" = Enforcing ]; then exit 0; fi');
    expect(lines.slice(check + 1, check + 1 + install.length + HOLD.length)).toStrictEqual([
      ...install,
      ...HOLD,
    ]);
  });

  const unchanged: [string, Partial<HostSpec>][] = [
    ["debian-12 baseline (no relabel)", { hardening: "baseline" }],
    ["debian-12 strict, SELinux os-default (no relabel)", { hardening: "strict" }],
    ["rhel-9 enforcing (enforcing in the image)", { os: "rhel-9", selinux: "enforcing" }],
  ];
  for (const [name, extra] of unchanged) {
    it(`${name}: the package script as before, no install in bootcmd`, () => {
      const s = spec(extra);
      const p = payload(s);
      expect(packagesSh(p)).toBe(installPackagesScript(packageStepInput(resolveHostSpec(s))));
      expect(p.bootcmd.join("\n")).not.toMatch(/packages-installed/);
    });
  }

  it("a baked image keeps its policy check and installs nothing in bootcmd", () => {
    const p = payload(spec({ hardening: "strict", selinux: "enforcing", bakedImage: true }));
    expect(activation(p)).toMatch(/the baked image holds no SELinux policy/);
    expect(activation(p)).not.toMatch(/apt-get|packages-installed/);
    expect(packagesSh(p)).toBe(undefined);
  });
});
