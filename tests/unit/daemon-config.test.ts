import { describe, expect, it } from "@jest/globals";
import {
  buildDaemonConfig,
  daemonGuaranteeProblems,
  renderDaemonJson,
} from "../../components/bootstrap/daemon-config";

describe("daemon.json", () => {
  it("baseline: exact settings", () => {
    expect(buildDaemonConfig({ hardening: "baseline", selinuxEnabled: false })).toStrictEqual({
      icc: false,
      "live-restore": true,
      "no-new-privileges": true,
      "userland-proxy": false,
      "log-level": "info",
      "log-driver": "json-file",
      "log-opts": { "max-size": "10m", "max-file": "3" },
      "default-ulimits": { nofile: { Name: "nofile", Soft: 65536, Hard: 65536 } },
    });
  });
  it("strict adds userns-remap; SELinux hosts label", () => {
    const strict = buildDaemonConfig({ hardening: "strict", selinuxEnabled: true });
    expect(strict["userns-remap"]).toBe("default");
    expect(strict["selinux-enabled"]).toBe(true);
  });
  it("off keeps only log rotation", () => {
    expect(buildDaemonConfig({ hardening: "off", selinuxEnabled: false })).toStrictEqual({
      "log-driver": "json-file",
      "log-opts": { "max-size": "10m", "max-file": "3" },
    });
  });
  it("user overrides win, and null removes a key", () => {
    const config = buildDaemonConfig({
      hardening: "baseline",
      selinuxEnabled: false,
      registryMirrors: ["https://mirror.example.com"],
      overrides: { icc: true, "userland-proxy": null, "max-concurrent-downloads": 6 },
    });
    expect(config.icc).toBe(true);
    expect("userland-proxy" in config).toBe(false);
    expect(config["max-concurrent-downloads"]).toBe(6);
    expect(config["registry-mirrors"]).toStrictEqual(["https://mirror.example.com"]);
  });
  it("a swarm member runs without live-restore, which swarm mode refuses; an override cannot turn it on", () => {
    for (const hardening of ["baseline", "strict"] as const)
      expect(
        buildDaemonConfig({ hardening, selinuxEnabled: false, swarm: true })["live-restore"],
      ).toBe(false);
    expect(
      "live-restore" in buildDaemonConfig({ hardening: "off", selinuxEnabled: false, swarm: true }),
    ).toBe(false);
    expect(
      daemonGuaranteeProblems({
        hardening: "baseline",
        selinuxEnabled: false,
        swarm: true,
        overrides: { "live-restore": true },
        relax: [],
      }),
    ).toStrictEqual([
      "docker.daemonConfigJson.live-restore: true makes the engine refuse swarm mode, and this host is a swarm member (swarm: true). Remove it: the swarm restarts its tasks instead.",
    ]);
    expect(
      daemonGuaranteeProblems({
        hardening: "baseline",
        selinuxEnabled: false,
        swarm: true,
        overrides: { "live-restore": false },
        relax: [],
      }),
    ).toStrictEqual([]);
  });
  it("renders with sorted keys and no TCP socket", () => {
    const text = renderDaemonJson(
      buildDaemonConfig({ hardening: "baseline", selinuxEnabled: false }),
    );
    expect(text.split("\n")[1]).toBe('  "default-ulimits": {');
    expect(text.includes('"hosts"')).toBe(false);
    expect(text.endsWith("}\n")).toBeTruthy();
  });
});
