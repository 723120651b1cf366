import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  WEB_BODY,
  buildWebImageTarball,
  deployWebContainer,
  teardownGuest,
} from "../support/guest-boot";
import { httpGet, waitFor } from "../support/guest-session";
import { startHostGuest, vmSkipReason, type HostGuest } from "../support/host-guest";

// The `strict` profile on the same guest, one boot: each item of the README's table that strict
// adds, checked with its verify command, and a container still deployable over ssh:// with them.

const MINUTE = 60_000;

describe(
  "a local Debian 12 guest with the strict profile",
  { skip: vmSkipReason(), timeout: 14 * MINUTE },
  () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-vm-strict-"));
    let host: HostGuest | undefined;

    before(async () => {
      host = await startHostGuest("vmstrict", work, "strict");
    });

    after(async () => {
      if (host) await teardownGuest(host.guest);
      fs.rmSync(work, { recursive: true, force: true });
    });

    it("finishes cloud-init without errors", async () => {
      const status = JSON.parse(await host!.session.ssh("cloud-init status --format json")) as {
        status: string;
        errors: string[];
      };
      assert.deepEqual([status.status, status.errors], ["done", []]);
      console.log(`strict: cloud-init done ${host!.timings.cloudInitDone} s after qemu started`);
    });

    it("remaps container users (userns-remap)", async () => {
      const options = await host!.session.docker(["info", "--format", "{{json .SecurityOptions}}"]);
      assert.match(options, /name=userns/);
    });

    it("hardens sysctls and keeps ip_forward for Docker", async () => {
      const values = await host!.session.ssh(
        "sudo sysctl -n net.ipv4.conf.all.accept_redirects net.ipv4.conf.all.accept_source_route net.ipv4.ip_forward kernel.kptr_restrict",
      );
      assert.deepEqual(values.trim().split("\n"), ["0", "0", "1", "2"]);
    });

    it("forbids TCP forwarding over SSH, and ssh:// still reaches the engine", async () => {
      assert.match(await host!.session.ssh("sudo sshd -T"), /^allowtcpforwarding no$/m);
      await deployWebContainer(host!.session, buildWebImageTarball(work));
      const body = await waitFor("the container's port to answer", 2 * MINUTE, () =>
        httpGet(host!.webPort),
      );
      assert.equal(body, WEB_BODY);
    });

    it("installs security updates unattended", async () => {
      assert.equal(
        (await host!.session.ssh("systemctl is-enabled apt-daily-upgrade.timer")).trim(),
        "enabled",
      );
      assert.match(
        await host!.session.ssh("cat /etc/apt/apt.conf.d/20auto-upgrades"),
        /APT::Periodic::Unattended-Upgrade "1";/,
      );
    });
  },
);
