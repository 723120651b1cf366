import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildDaemonConfig, renderDaemonJson } from "../../components/bootstrap/daemon-config";

describe("daemon.json", () => {
  it("baseline: exact settings", () => {
    assert.deepEqual(buildDaemonConfig({ hardening: "baseline", selinuxEnabled: false }), {
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
    assert.equal(strict["userns-remap"], "default");
    assert.equal(strict["selinux-enabled"], true);
  });
  it("off keeps only log rotation", () => {
    assert.deepEqual(buildDaemonConfig({ hardening: "off", selinuxEnabled: false }), {
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
    assert.equal(config.icc, true);
    assert.equal("userland-proxy" in config, false);
    assert.equal(config["max-concurrent-downloads"], 6);
    assert.deepEqual(config["registry-mirrors"], ["https://mirror.example.com"]);
  });
  it("renders with sorted keys and no TCP socket", () => {
    const text = renderDaemonJson(
      buildDaemonConfig({ hardening: "baseline", selinuxEnabled: false }),
    );
    assert.equal(text.split("\n")[1], '  "default-ulimits": {');
    assert.equal(text.includes('"hosts"'), false);
    assert.ok(text.endsWith("}\n"));
  });
});
