import { about } from "../support/about";
import { describe, expect, it } from "@jest/globals";
import { OS_CATALOG } from "../../components/bootstrap/os-catalog";
import { stableGzip } from "../../components/bootstrap/stable-gzip";
import { selinuxModeScript } from "../../components/bootstrap/selinux";
import {
  selinuxActivationBootcmd,
  shippedPolicy,
  selinuxNeedsKernelArg,
  selinuxNeedsReboot,
} from "../../components/bootstrap/selinux-activation";
import {
  CONTAINER_POLICY_CIL,
  lxcContexts,
} from "../../components/bootstrap/selinux-container-policy";
import {
  SELINUX_MODES,
  type HardeningProfile,
  type OsName,
  type SelinuxMode,
} from "../../components/bootstrap/types";
import { defaultSelinuxMode, resolveHostSpec } from "../../components/bootstrap/validate-host";

// Which mode changes take a reboot, and the exact bootcmd text that makes them.

/** The end of every activation: mode, marker, labels, reboot, and the note if it fails. */
const labelAndReboot = (policyType: string): string[] => [
  "sed -i 's/^SELINUX=.*/SELINUX=enforcing/' /etc/selinux/config",
  "install -d -m 0755 /var/lib/dockerhost",
  "touch /var/lib/dockerhost/selinux-activated",
  `setfiles -F -T 0 -e /proc -e /sys -e /dev -e /run /etc/selinux/${policyType}/contexts/files/file_contexts /`,
  'echo "dockerhost: files labeled; rebooting into SELinux enforcing"',
  "systemctl reboot",
  "sleep 600",
  "{ echo 'dockerhost: the reboot into SELinux enforcing did not happen within 600 s' >&2; exit 1; }",
  ') || echo "dockerhost: bringing SELinux to enforcing failed (output above); step 35 stops the bootstrap" >&2',
];

describe("SELinux activation", () => {
  const rows: [OsName, SelinuxMode, boolean, boolean][] = [
    // os, asked, needs a reboot, needs security=selinux on the kernel command line
    ["debian-12", "enforcing", true, true],
    ["debian-12", "permissive", true, true],
    ["debian-12", "disabled", false, false],
    ["debian-12", "os-default", false, false],
    ["amazon-linux-2023", "enforcing", true, false],
    ["amazon-linux-2023", "permissive", false, false],
    ["amazon-linux-2023", "os-default", false, false],
    ["rhel-9", "enforcing", false, false],
    ["rhel-9", "permissive", false, false],
    ["ubuntu-24.04", "disabled", false, false],
  ];
  for (const [os, asked, reboot, kernelArg] of rows) {
    it(`${os} ${asked}: reboot ${reboot}, kernel argument ${kernelArg}`, () => {
      const entry = OS_CATALOG[os];
      expect([selinuxNeedsReboot(entry, asked), selinuxNeedsKernelArg(entry, asked)]).toStrictEqual(
        [reboot, kernelArg],
      );
      expect(selinuxActivationBootcmd(entry, asked) !== undefined).toBe(reboot);
    });
  }

  it("amazon-linux-2023 enforcing: relabel every file, then reboot, once", () => {
    expect(selinuxActivationBootcmd(OS_CATALOG["amazon-linux-2023"], "enforcing")).toBe(
      [
        "# dockerhost: SELinux enforcing (in a subshell: bootcmd entries share one script)",
        "(",
        "set -eu",
        "if [ -e /var/lib/dockerhost/selinux-activated ]; then exit 0; fi",
        'echo "dockerhost: bringing SELinux to enforcing: policy, labels, then one reboot"',
        'if [ "$(getenforce)" = Enforcing ]; then exit 0; fi',
        ...labelAndReboot("targeted"),
      ].join("\n"),
    );
  });

  it("debian-12 enforcing: policy packages, the project's module, kernel argument, labels, reboot", () => {
    const text = selinuxActivationBootcmd(OS_CATALOG["debian-12"], "enforcing") ?? "";
    const lxc = lxcContexts().replace(/\n$/, "");
    expect(text).toBe(
      [
        "# dockerhost: SELinux enforcing (in a subshell: bootcmd entries share one script)",
        "(",
        "set -eu",
        "if [ -e /var/lib/dockerhost/selinux-activated ]; then exit 0; fi",
        'echo "dockerhost: bringing SELinux to enforcing: policy, labels, then one reboot"',
        "export DEBIAN_FRONTEND=noninteractive",
        "install -d -m 0755 /etc/selinux",
        "printf 'SELINUX=permissive\\nSELINUXTYPE=default\\n' > /etc/selinux/config",
        "apt-get -q -o Acquire::Languages=none -o Acquire::Retries=3 -o Acquire::GzipIndexes=true -o Acquire::CompressionTypes::Order::=gz update",
        "apt-get -q -y --no-install-recommends -o Acquire::GzipIndexes=true -o Acquire::CompressionTypes::Order::=gz -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-unsafe-io install libsemanage-common",
        "grep -qx bzip-blocksize=0 /etc/selinux/semanage.conf || echo bzip-blocksize=0 >> /etc/selinux/semanage.conf",
        "apt-get -q -y --no-install-recommends -o Acquire::GzipIndexes=true -o Acquire::CompressionTypes::Order::=gz -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-unsafe-io install selinux-policy-default selinux-utils policycoreutils python3-selinux",
        "install -d -m 0755 /usr/local/lib/dockerhost/selinux",
        `echo ${stableGzip(Buffer.from(shippedPolicy())).toString("base64")} | base64 -d | gunzip > /usr/local/lib/dockerhost/selinux/dockerhost_container.cil`,
        "semodule -i /usr/local/lib/dockerhost/selinux/dockerhost_container.cil",
        "cat > /etc/selinux/default/contexts/lxc_contexts <<'DOCKERHOST_EOF'",
        lxc,
        "DOCKERHOST_EOF",
        "sed -i '/^bzip-blocksize=0$/d' /etc/selinux/semanage.conf",
        "if grep -qw security=selinux /proc/cmdline; then",
        "  :",
        "elif [ -d /etc/default/grub.d ] && command -v update-grub >/dev/null 2>&1; then",
        "  # shellcheck disable=SC2016 # GRUB's own variable, expanded when update-grub reads the file",
        `  echo 'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX security=selinux"' > /etc/default/grub.d/60-dockerhost-selinux.cfg`,
        "  update-grub",
        "else",
        "  { echo 'dockerhost: the host boots without GRUB and its kernel command line lacks security=selinux; add it (LocalDockerHost: kernelArgs)' >&2; exit 1; }",
        "fi",
        ...labelAndReboot("default"),
      ].join("\n"),
    );
  });

  it("step 35 stops the bootstrap where SELinux is still off after the activation", () => {
    expect(selinuxModeScript(OS_CATALOG["debian-12"], "enforcing") ?? "").toMatch(
      /SELinux is still disabled in the running kernel, so enforcing cannot take effect/,
    );
    for (const mode of SELINUX_MODES)
      expect(about(mode, selinuxModeScript(OS_CATALOG["ubuntu-24.04"], mode))).toStrictEqual(
        about(mode, undefined),
      );
  });

  it('"disabled" on Debian 12 runs nothing: the image has no SELinux tools or config to change', () => {
    expect(selinuxModeScript(OS_CATALOG["debian-12"], "disabled")).toBe(undefined);
    const rhel = selinuxModeScript(OS_CATALOG["rhel-9"], "disabled") ?? "";
    expect(rhel).toMatch(/grubby --update-kernel ALL --args selinux=0/);
    expect(rhel).toMatch(/sed -i 's\/\^SELINUX=\.\*\/SELINUX=disabled\/' \/etc\/selinux\/config/);
  });
});

describe("the project's container policy for Debian", () => {
  const statements = CONTAINER_POLICY_CIL.split("\n").filter((l) => l.startsWith("("));

  it("declares the types lxc_contexts names, MCS-constrained for the process", () => {
    for (const line of [
      "(type container_t)",
      "(roletype system_r container_t)",
      "(typeattributeset mcs_constrained_type (container_t))",
      "(type container_file_t)",
      "(type container_ro_file_t)",
      "(type container_var_lib_t)",
    ])
      expect(about(line, Boolean(statements.includes(line)))).toStrictEqual(about(line, true));
    expect(lxcContexts()).toBe(
      [
        'process = "system_u:system_r:container_t:s0"',
        'content = "system_u:object_r:container_var_lib_t:s0"',
        'file = "system_u:object_r:container_file_t:s0"',
        'ro_file = "system_u:object_r:container_ro_file_t:s0"',
        'sandbox_lxc_process = "system_u:system_r:container_t:s0"',
        "",
      ].join("\n"),
    );
  });

  it("lets only the runtime start container_t, from the container's own files", () => {
    const transitions = statements.filter((l) => /\(process \(transition/.test(l));
    expect(transitions.map((l) => l.split(" ").slice(0, 3).join(" "))).toStrictEqual([
      "(allow dockerhost_container_runtime container_t",
    ]);
    expect(
      about(
        "runtime = initrc_t",
        Boolean(statements.includes("(typeattributeset dockerhost_container_runtime (initrc_t))")),
      ),
    ).toStrictEqual(about("runtime = initrc_t", true));
    expect(
      statements.includes("(allow container_t dockerhost_container_file (file (entrypoint)))"),
    ).toBeTruthy();
  });

  it("grants containers Docker's default capabilities and no others", () => {
    const caps = statements.find((l) => l.startsWith("(allow container_t self (capability "));
    expect(caps).toBe(
      "(allow container_t self (capability (chown dac_override fowner fsetid kill setgid setuid setpcap net_bind_service net_raw sys_chroot mknod audit_write setfcap)))",
    );
    expect(
      about(
        "no capability2 (bpf, perfmon...)",
        Boolean(!statements.some((l) => l.includes("capability2"))),
      ),
    ).toStrictEqual(about("no capability2 (bpf, perfmon...)", true));
  });

  it("labels the engine's data and image layers", () => {
    expect(
      statements.filter((l) => l.startsWith("(filecon ") || l.startsWith("(typetransition ")),
    ).toStrictEqual([
      '(filecon "/var/lib/docker(/.*)?" any (system_u object_r container_var_lib_t ((s0) (s0))))',
      '(filecon "/var/lib/docker/overlay2(/.*)?" any (system_u object_r container_ro_file_t ((s0) (s0))))',
      '(filecon "/var/lib/docker/[0-9]+\\.[0-9]+/overlay2(/.*)?" any (system_u object_r container_ro_file_t ((s0) (s0))))',
      '(typetransition dockerhost_container_runtime var_lib_t dir "docker" container_var_lib_t)',
      '(typetransition dockerhost_container_runtime container_var_lib_t dir "overlay2" container_ro_file_t)',
    ]);
  });

  it("travels without its comments, every rule intact, under a note naming its source", () => {
    const shipped = shippedPolicy().split("\n");
    expect(shipped[0]).toBe(
      "; dockerhost container policy; commented source: components/bootstrap/selinux-container-policy.ts",
    );
    expect(shipped.slice(1, -1)).toStrictEqual(statements);
  });

  it("has balanced parentheses in every statement", () => {
    for (const line of statements) {
      const open = line.split("(").length - 1;
      const close = line.split(")").length - 1;
      expect(about(line, open)).toStrictEqual(about(line, close));
    }
  });
});

describe("the SELinux mode a profile implies", () => {
  const rows: [OsName, HardeningProfile, SelinuxMode][] = [
    ["amazon-linux-2023", "strict", "enforcing"],
    ["rhel-9", "strict", "enforcing"],
    ["debian-12", "strict", "os-default"],
    ["ubuntu-24.04", "strict", "os-default"],
    ["amazon-linux-2023", "baseline", "os-default"],
    ["rhel-9", "off", "os-default"],
  ];
  for (const [os, hardening, mode] of rows) {
    it(`${os} ${hardening}: ${mode} unless selinux is set`, () => {
      expect(defaultSelinuxMode(OS_CATALOG[os], hardening)).toBe(mode);
      expect(
        resolveHostSpec({
          os,
          arch: "x86_64",
          cloud: "aws",
          hardening,
          sshAuthorizedKeys: [
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000",
          ],
          hostKey: {
            ed25519Private: "k",
            ed25519Public: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost",
          },
        }).selinux,
      ).toBe(mode);
    });
  }
});
