import { describe, expect, it } from "@jest/globals";
import { OS_CATALOG } from "../../components/bootstrap/os-catalog";
import {
  addDockerCeDnfRepo,
  aptInstall,
  aptUpdate,
  dnfInstall,
  distroEnginePackages,
  dockerCePackages,
  fetchVerifiedKey,
  awaitEngineScript,
  startEngineScript,
} from "../../components/bootstrap/engine-install";

// Each step of the engine install is asserted as the exact shell text it produces.

describe("engine install commands", () => {
  it("apt update skips translations, retries, and keeps lists gzip-compressed", () => {
    expect(aptUpdate()).toBe(
      "apt-get -q -o Acquire::Languages=none -o Acquire::Retries=3 -o Acquire::GzipIndexes=true -o Acquire::CompressionTypes::Order::=gz update",
    );
  });
  it("apt install keeps our configs and skips recommendations", () => {
    expect(aptInstall(["docker.io=20.10.24+dfsg1-1+deb12u1", "apparmor"])).toBe(
      "apt-get -q -y --no-install-recommends -o Acquire::GzipIndexes=true -o Acquire::CompressionTypes::Order::=gz -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-unsafe-io install docker.io=20.10.24+dfsg1-1+deb12u1 apparmor",
    );
  });
  it("dnf install", () => expect(dnfInstall(["docker"])).toBe("dnf -y -q install docker"));
  it("pins the distribution's engine package", () => {
    expect(distroEnginePackages(OS_CATALOG["debian-12"], "20.10.24")).toStrictEqual([
      "docker.io=20.10.24",
      "apparmor",
    ]);
    expect(distroEnginePackages(OS_CATALOG["amazon-linux-2023"], "25.0.8")).toStrictEqual([
      "docker-25.0.8",
    ]);
    expect(distroEnginePackages(OS_CATALOG["ubuntu-24.04"])).toStrictEqual([
      "docker.io",
      "apparmor",
    ]);
  });
  it("pins docker-ce: dnf by name-version, apt through the repository's version list", () => {
    expect(dockerCePackages(OS_CATALOG["rhel-9"], "27.3.1")).toStrictEqual({
      resolve: [],
      packages: ["docker-ce-27.3.1", "docker-ce-cli-27.3.1", "containerd.io"],
    });
    expect(dockerCePackages(OS_CATALOG["ubuntu-24.04"], "27.3.1")).toStrictEqual({
      resolve: [
        'ver=$(apt-cache madison docker-ce | awk -v want=27.3.1 \'$3 ~ ("^([0-9]+:)?" want "-") { print $3; exit }\')',
        "[ -n \"$ver\" ] || { echo 'dockerhost: docker.version 27.3.1 is not in Docker'\"'\"'s repository' >&2; exit 1; }",
      ],
      packages: ['docker-ce="$ver"', 'docker-ce-cli="$ver"', "containerd.io"],
    });
  });
  it("points dnf at RHEL's major release, never $releasever (a 9.4 directory 404s)", () => {
    const lines = addDockerCeDnfRepo(OS_CATALOG["rhel-9"]);
    expect(lines.at(-1)).toBe(
      "printf '%s\\n' '[docker-ce-stable]' 'name=Docker CE Stable' 'baseurl=https://download.docker.com/linux/rhel/9/$basearch/stable' 'enabled=1' 'gpgcheck=1' 'gpgkey=file:///etc/pki/rpm-gpg/docker-ce.gpg' > /etc/yum.repos.d/docker-ce.repo",
    );
    expect(lines.join("\n").includes("$releasever")).toBe(false);
  });

  it("trusts Docker's key only with the known fingerprint (no curl | sh)", () => {
    expect(
      fetchVerifiedKey(
        "https://download.docker.com/linux/ubuntu/gpg",
        "/etc/apt/keyrings/docker.asc",
        "9DC858229FC7DD38854AE2D88D81803C0EBFCD88",
      ),
    ).toStrictEqual([
      "curl -fsSL --retry 5 -o /etc/apt/keyrings/docker.asc https://download.docker.com/linux/ubuntu/gpg",
      "fpr=$(gpg --show-keys --with-colons /etc/apt/keyrings/docker.asc | awk -F: '/^fpr:/ { print $10; exit }')",
      "[ \"$fpr\" = 9DC858229FC7DD38854AE2D88D81803C0EBFCD88 ] || { echo 'dockerhost: Docker'\"'\"'s signing key at https://download.docker.com/linux/ubuntu/gpg has an unexpected fingerprint' >&2; exit 1; }",
    ]);
  });
  it("starts the engine once, enabling units only where packages did not, on a labeled data dir", () => {
    expect(startEngineScript()).toBe(
      [
        "#!/bin/sh",
        "# dockerhost: start the engine with its final configuration",
        "set -eu",
        // A baked image holds the engine back until this marker exists.
        "install -d -m 0755 /var/lib/dockerhost",
        "touch /var/lib/dockerhost/engine-configured",
        "systemctl daemon-reload",
        "for unit in containerd.service docker.socket docker.service; do",
        '  systemctl cat "$unit" >/dev/null 2>&1 || continue',
        '  systemctl is-enabled -q "$unit" || systemctl enable "$unit"',
        "done",
        "if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled; then",
        "  install -d -m 0710 /var/lib/docker",
        "  restorecon -R /var/lib/docker",
        "fi",
        "systemctl restart --no-block docker.service",
        "",
      ].join("\n"),
    );
  });
  it("waits for the engine, then lets the user at it", () => {
    expect(awaitEngineScript("admin")).toBe(
      [
        "#!/bin/sh",
        "# dockerhost: wait until the engine answers",
        "set -eu",
        "timeout 300 sh -c 'until docker info >/dev/null 2>&1; do sleep 0.5; done' || { systemctl status --no-pager docker.service >&2; { echo 'dockerhost: the engine did not answer \"docker info\" within 300 s' >&2; exit 1; }; }",
        "usermod -aG docker admin",
        "",
      ].join("\n"),
    );
  });
});
