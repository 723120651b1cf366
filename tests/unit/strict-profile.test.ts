import { docTableAfter, tableCells } from "../support/docs-page";
import { describe, expect, it } from "@jest/globals";
import { CIS_CONTROLS, cisTable, verifyFor } from "../../components/bootstrap/cis-controls";
import { PROFILE_DAEMON_CONFIG } from "../../components/bootstrap/daemon-config";
import { sshdConfig } from "../../components/bootstrap/host-hardening";
import { OS_CATALOG } from "../../components/bootstrap/os-catalog";
import {
  BLOCKED_MODULES,
  modprobeConfig,
  strictOsFiles,
  strictOsScript,
} from "../../components/bootstrap/strict-os";
import { resolveHostSpec } from "../../components/bootstrap/validate-host";
import { DockerHostConfigError } from "../../components/core/config-error";
import { containerArgs } from "../../components/services/container-args";
import type { ContainerSpec } from "../../components/core/container-spec";
import { pinProblems } from "../../components/services/strict-containers";
import { containersProblems } from "../../components/services/validate-containers";

// What `strict` adds for auditors (docs/security.md, "CIS Docker Benchmark"): the container refusals with
// their exact messages, the engine and OS settings, and the CIS table of docs/security.md kept equal to the
// data the VM level verifies.

const DIGEST = `sha256:${"ab".repeat(32)}`;
const GOOD: ContainerSpec = {
  name: "web",
  image: `nginx:1.27@${DIGEST}`,
  user: "101:101",
  healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://localhost/"] },
  ports: [{ internal: 80, hostIp: "10.0.1.5" }],
};

const strictProblems = (c: ContainerSpec) =>
  containersProblems({ containers: [c], selinuxRelabel: false, strict: true });

describe("the strict profile's container refusals", () => {
  const cases: [string, ContainerSpec, string[]][] = [
    ["a container that decides everything", GOOD, []],
    ["root said explicitly", { ...GOOD, user: "root" }, []],
    ["a healthcheck opted out explicitly", { ...GOOD, healthcheck: { test: ["NONE"] } }, []],
    [
      "every address said explicitly",
      { ...GOOD, ports: [{ internal: 80, hostIp: "0.0.0.0" }] },
      [],
    ],
    [
      "an image built from a Dockerfile",
      { ...GOOD, image: undefined, build: { context: "tests/fixtures/web-build" } },
      [],
    ],
    [
      "no user (CIS 4.1)",
      { ...GOOD, user: undefined },
      [
        'containers[0].user: unset, so the container runs as its image\'s user, root for most images; the strict profile runs no container as root unless it says so (CIS Docker Benchmark 4.1). Set user to an unprivileged "uid:gid" (e.g. "10001:10001"), or "root" to accept root in this container (userns-remap still maps it to an unprivileged host user).',
      ],
    ],
    [
      "an image by tag (CIS 4.5)",
      { ...GOOD, image: "nginx:1.27" },
      [
        'containers[0].image: "nginx:1.27" names a tag, which can move to other content; the strict profile runs images pinned by digest (CIS Docker Benchmark 4.5). Use "nginx:1.27@sha256:<digest>" (`docker buildx imagetools inspect nginx:1.27` prints it), or build it from a Dockerfile (build).',
      ],
    ],
    [
      "no healthcheck (CIS 4.6, 5.27)",
      { ...GOOD, healthcheck: undefined },
      [
        'containers[0].healthcheck: unset; the strict profile checks every container\'s health (CIS Docker Benchmark 4.6, 5.27). Add a healthcheck, e.g. { test: ["CMD", "wget", "-q", "-O-", "http://localhost/"] }, or { test: ["NONE"] } to opt out for this container.',
      ],
    ],
    [
      "a port on every address by default (CIS 5.14)",
      {
        ...GOOD,
        ports: [{ internal: 80 }, { internal: 443, external: 8443, hostIp: "127.0.0.1" }],
      },
      [
        'containers[0].ports[0].hostIp: unset, so port 80 is published on every address of the host; the strict profile binds each published port to one address (CIS Docker Benchmark 5.14). Set hostIp to the address it serves on ("127.0.0.1" for a port reached over SSH only), or "0.0.0.0" to publish it on every address on purpose.',
      ],
    ],
    [
      "rotation options for the host's driver, which is journald under strict",
      { ...GOOD, logging: { options: { "max-size": "10m", tag: "web" } } },
      [
        'containers[0].logging.options.max-size: the strict profile\'s host logs to journald, which takes no max-size. Give driver: "json-file" (or "local") with it, or leave it out.',
      ],
    ],
    [
      "rotation options with their own driver",
      { ...GOOD, logging: { driver: "local", options: { "max-size": "10m" } } },
      [],
    ],
  ];
  it.each(cases)("%s", (_what, container, expected) => {
    expect(strictProblems(container)).toStrictEqual(expected);
  });

  it("checks an image known only at deploy once it is known", () => {
    expect(pinProblems("nginx:latest", 2)).toStrictEqual([
      'containers[2].image: "nginx:latest" names a tag, which can move to other content; the strict profile runs images pinned by digest (CIS Docker Benchmark 4.5). Use "nginx:latest@sha256:<digest>" (`docker buildx imagetools inspect nginx:latest` prints it), or build it from a Dockerfile (build).',
    ]);
    expect(pinProblems(`nginx@${DIGEST}`, 0)).toStrictEqual([]);
    // The edge's image (no declared container: index -1) is named as the user wrote it.
    expect(pinProblems("caddy:2", -1)).toStrictEqual([
      'edge.image: "caddy:2" names a tag, which can move to other content; the strict profile runs images pinned by digest (CIS Docker Benchmark 4.5). Use "caddy:2@sha256:<digest>" (`docker buildx imagetools inspect caddy:2` prints it), or build it from a Dockerfile (build).',
    ]);
  });

  it("leaves baseline containers alone", () => {
    const plain = { name: "web", image: "nginx", ports: [{ internal: 80 }] };
    expect(containersProblems({ containers: [plain], selinuxRelabel: false })).toStrictEqual([]);
  });

  it("gives 512 CPU shares to a container without a CPU limit (CIS 5.12)", () => {
    const defaults = { selinuxRelabel: false, readOnlyRootFs: true, cpuShares: 512 };
    expect(containerArgs(GOOD, "sha256:1", defaults).cpuShares).toBe(512);
    const limited = containerArgs({ ...GOOD, cpus: "0.5" }, "sha256:1", defaults);
    expect([limited.cpus, limited.cpuShares]).toStrictEqual(["0.5", undefined]);
    const baseline = containerArgs(GOOD, "sha256:1", {
      selinuxRelabel: false,
      readOnlyRootFs: false,
    });
    expect(baseline.cpuShares).toBeUndefined();
  });

  it("keeps a per-container process limit (CIS 5.29)", () => {
    const host = (hardening: "baseline" | "strict") => () =>
      resolveHostSpec({
        os: "debian-12",
        arch: "x86_64",
        cloud: "local",
        hardening,
        containerPidsLimit: 0,
        sshAuthorizedKeys: ["ssh-ed25519 AAAA test"],
      });
    expect(host("baseline")).not.toThrow();
    expect(host("strict")).toThrow(DockerHostConfigError);
    expect(host("strict")).toThrow(
      "containerPidsLimit: 0 lifts the per-container process limit, which the strict profile keeps (CIS Docker Benchmark 5.29: a fork bomb in one container must not starve the host). Set a limit, e.g. 4096, or use hardening: baseline.",
    );
  });
});

describe("the strict profile's engine and OS", () => {
  it("logs containers to the journal, without json-file's rotation options (CIS 2.13)", () => {
    expect(PROFILE_DAEMON_CONFIG.strict).toStrictEqual({
      icc: false,
      "live-restore": true,
      "no-new-privileges": true,
      "userland-proxy": false,
      "log-level": "info",
      "default-ulimits": { nofile: { Name: "nofile", Soft: 65536, Hard: 65536 } },
      "log-driver": "journald",
      "userns-remap": "default",
    });
    expect(PROFILE_DAEMON_CONFIG.baseline["log-driver"]).toBe("json-file");
  });

  it.each([
    [
      "baseline",
      [
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin no",
        "AllowTcpForwarding no",
        "X11Forwarding no",
        "AllowAgentForwarding no",
        "MaxAuthTries 4",
      ],
    ],
    [
      "strict",
      [
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin no",
        "AllowTcpForwarding no",
        "X11Forwarding no",
        "AllowAgentForwarding no",
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
      ],
    ],
  ] as const)("sshd under %s", (profile, lines) => {
    expect(sshdConfig(profile)?.split("\n").slice(1, -1)).toStrictEqual(lines);
  });

  it("writes its OS files; needrestart's only where the package is installed", () => {
    const paths = (os: "debian-12" | "rhel-9") =>
      strictOsFiles(OS_CATALOG[os].packageManager).map((f) => f.path);
    expect(paths("debian-12")).toStrictEqual([
      "/etc/modprobe.d/dockerhost-strict.conf",
      "/etc/security/limits.d/10-dockerhost-core.conf",
      "/etc/systemd/journald.conf.d/50-dockerhost.conf",
      "/etc/issue",
      "/etc/issue.net",
      "/etc/needrestart/conf.d/50-dockerhost.conf",
    ]);
    expect(paths("rhel-9")).toStrictEqual(paths("debian-12").slice(0, -1));
  });

  it("blocks modules a server does not need, never the ones Docker and Swarm load", () => {
    expect(modprobeConfig().split("\n").slice(1, 3)).toStrictEqual([
      "blacklist cramfs",
      "install cramfs /bin/false",
    ]);
    for (const needed of ["overlay", "br_netfilter", "vxlan", "ip_vs", "nf_nat", "veth"])
      expect(BLOCKED_MODULES).not.toContain(needed);
  });

  it("sets login.defs keys in place or appends them", () => {
    expect(strictOsScript().split("\n")[4]).toBe(
      "if grep -Eq '^#?[[:space:]]*UMASK[[:space:]]' \"$defs\"; then sed -i -E 's/^#?[[:space:]]*UMASK[[:space:]].*/UMASK\\t027/' \"$defs\"; else printf 'UMASK\\t027\\n' >> \"$defs\"; fi",
    );
  });
});

describe("the CIS table of docs/security.md", () => {
  it("is the controls' data, cell by cell", () => {
    expect(docTableAfter("security.md", "### CIS Docker Benchmark v1.6")).toStrictEqual(
      tableCells(cisTable()),
    );
  });

  it("names each control once, and each container check by <name>", () => {
    const ids = CIS_CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const row = CIS_CONTROLS.find((c) => c.id === "4.1")!;
    expect(verifyFor(row, "web")).toBe(
      'u=$(docker inspect -f \'{{.Config.User}}\' web) && [ -n "$u" ] && [ "$u" != root ] && [ "${u%%:*}" != 0 ]',
    );
  });
});
