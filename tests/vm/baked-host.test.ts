import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it, jest } from "@jest/globals";
import { BAKE_RECORD_PATH } from "../../components/bootstrap/baked-image";
import { buildDaemonConfig } from "../../components/bootstrap/daemon-config";
import { DATA_DISK_SERIAL } from "../../components/local/vm-config";
import { about } from "../support/about";
import { ensureBakedGuestImage, type BakedGuest } from "../support/baked-guest";
import { describeVm } from "../support/describe-vm";
import {
  WEB_BODY,
  WEB_IMAGE,
  buildWebImageTarball,
  deployWebContainer,
  teardownGuest,
} from "../support/guest-boot";
import { GuestSession, httpGet, makeKey, waitFor } from "../support/guest-session";
import {
  DEBIAN_AUDIT_RULES,
  rebootAndAwaitContainer,
  startHostGuest,
  type HostGuest,
} from "../support/host-guest";

// Hosts from a baked image, one scenario. The guest image is baked the way LocalDockerHostImage
// bakes it. A cold-booted host gets a container, a pulled image and a named volume with data; it
// is then replaced, as a cloud replaces an instance: the VM goes, its data disk stays, and a host
// from the baked image boots with a new host key on that disk. The new host must pass the cold
// path's checks without installing anything, and keep what the old one had.

const MINUTE = 60_000;

jest.setTimeout(30 * MINUTE);

describeVm(
  "a host from the local baked image, replacing a cold-booted host on its data disk",
  () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-vm-baked-"));
    let baked: BakedGuest;
    let cold: HostGuest | undefined;
    let coldStopped = false;
    let host: HostGuest | undefined;
    let coldDiskUuid = "";
    const timings: Record<string, number> = {};

    beforeAll(async () => {
      const bakeStarted = Date.now();
      const coldWork = path.join(work, "cold");
      fs.mkdirSync(coldWork);
      // The bake and the cold host are independent: they boot side by side (minutes saved on
      // the VM level's longest lane), and whichever fails, the other's guest is still stopped.
      const [bake, coldBoot] = await Promise.allSettled([
        ensureBakedGuestImage("baseline"),
        startHostGuest("vmcold", coldWork, "baseline"),
      ]);
      if (coldBoot.status === "fulfilled") cold = coldBoot.value;
      if (bake.status === "rejected") throw bake.reason;
      if (coldBoot.status === "rejected") throw coldBoot.reason;
      baked = bake.value;
      timings.bake = baked.baked.reused
        ? baked.baked.bakeSeconds
        : (Date.now() - bakeStarted) / 1000;
      const coldHost = coldBoot.value;
      timings.coldCloudInitDone = coldHost.timings.cloudInitDone;
      const tarball = buildWebImageTarball(coldWork);
      await deployWebContainer(coldHost.session, tarball);
      await coldHost.session.docker(["volume", "create", "kept"]);
      await coldHost.session.docker([
        "run",
        "--rm",
        "-v",
        "kept:/data",
        WEB_IMAGE,
        "sh",
        "-c",
        "echo written-by-the-cold-host > /data/proof",
      ]);
      coldDiskUuid = (await coldHost.session.ssh("findmnt -n -o UUID /var/lib/docker")).trim();
      const dataDisk = coldHost.guest.dataDisk;
      if (!dataDisk) throw new Error("the cold host has no data disk");
      // The replacement: the VM goes, its disk stays; the deployer key stays, the host key is new.
      await teardownGuest(coldHost.guest, { keepDataDisk: true });
      coldStopped = true;
      const userKey = coldHost.session.access.userKey;

      const newWork = path.join(work, "baked");
      fs.mkdirSync(newWork);
      host = await startHostGuest("vmbaked", newWork, "baseline", "os-default", {
        baked: baked.image,
        userKey,
        hostKey: makeKey(path.join(newWork, "new-host-key")),
        dataDisk,
      });
      timings.bakedCloudInitDone = host.timings.cloudInitDone;
    });

    afterAll(async () => {
      if (cold && !coldStopped) await teardownGuest(cold.guest);
      if (host) await teardownGuest(host.guest);
      fs.rmSync(work, { recursive: true, force: true });
      console.log(
        `baked: bake ${timings.bake} s (once; cached by its inputs), cold host cloud-init done ${timings.coldCloudInitDone} s, baked host cloud-init done ${timings.bakedCloudInitDone} s, baked host reboot -> container ${timings.reboot} s`,
      );
    });

    const ssh = (command: string) => host!.session.ssh(command);

    it("finishes cloud-init without errors and installs no package: the image's record is checked instead", async () => {
      const status = JSON.parse(await ssh("cloud-init status --format json")) as {
        status: string;
        errors: string[];
      };
      expect([status.status, status.errors]).toStrictEqual(["done", []]);
      const log = await ssh("sudo cat /var/log/cloud-init-output.log");
      expect(log).toMatch(
        /^dockerhost: the baked image holds docker\.io \S+ and every package this host needs \(fingerprint=[0-9a-f]{12}\); nothing to install$/m,
      );
      expect(
        about(log, log.match(/^(Unpacking|Setting up|Get:\d|Reading package lists)/gm)),
      ).toStrictEqual(about(log, null));
      expect(await host!.session.sshStatus("test -e /var/log/dockerhost-packages.log")).not.toBe(0);
      expect(await ssh(`cat ${BAKE_RECORD_PATH}`)).toMatch(
        /^fingerprint=[0-9a-f]{12}\nos=debian-12 arch=x86_64 source=distro\nengine=docker\.io \S+\npackages=docker\.io apparmor auditd\nbaked=\S+\n$/,
      );
    });

    it("presents the new host key, and the old pin is refused", async () => {
      expect(await host!.session.presentedHostKey()).toBe(
        host!.hostKey.publicKey.split(/\s+/).slice(0, 2).join(" "),
      );
      const stale = new GuestSession(
        { ...host!.session.access, hostPublicKey: cold!.hostKey.publicKey },
        fs.mkdtempSync(path.join(work, "stale-")),
      );
      expect(await stale.sshStatus("true", 30_000)).toBe(255);
    });

    it("runs the engine with the baseline daemon.json and the audit rules of the cold path", async () => {
      const daemon = JSON.parse(await ssh("cat /etc/docker/daemon.json")) as object;
      expect(daemon).toStrictEqual(
        buildDaemonConfig({ hardening: "baseline", selinuxEnabled: false }),
      );
      expect(
        (await host!.session.docker(["version", "--format", "{{.Server.Version}}"])).trim(),
      ).toMatch(/^\d+\.\d+/);
      const rules = (await ssh("sudo auditctl -l"))
        .trim()
        .split("\n")
        .filter((l) => l.includes("docker"));
      expect(rules).toStrictEqual(DEBIAN_AUDIT_RULES);
    });

    it("mounts the old host's data disk without formatting it: its image, volume and container are there", async () => {
      const source = (await ssh("findmnt -n -o SOURCE /var/lib/docker")).trim();
      const device = (await ssh(`readlink -f /dev/disk/by-id/virtio-${DATA_DISK_SERIAL}`)).trim();
      expect(source).toBe(device);
      expect((await ssh("findmnt -n -o UUID /var/lib/docker")).trim()).toBe(coldDiskUuid);
      expect(await ssh("sudo cat /var/log/cloud-init-output.log")).toMatch(
        /dockerhost: \S+ already has a filesystem; keeping its data/,
      );
      expect(
        (
          await host!.session.docker(["image", "ls", "--format", "{{.Repository}}:{{.Tag}}"])
        ).trim(),
      ).toBe(WEB_IMAGE);
      // The image is busybox alone: its applets are called through the binary.
      const proof = await host!.session.docker([
        "run",
        "--rm",
        "-v",
        "kept:/data",
        WEB_IMAGE,
        "/bin/busybox",
        "cat",
        "/data/proof",
      ]);
      expect(proof.trim()).toBe("written-by-the-cold-host");
      // restart unless-stopped: the engine brought the old host's container back by itself.
      expect(
        await waitFor("the container on the new host", 2 * MINUTE, () => httpGet(host!.webPort)),
      ).toBe(WEB_BODY);
    });

    it("brings the container back after a reboot", async () => {
      const { body, rebootSeconds } = await rebootAndAwaitContainer(
        host!.guest,
        host!.session,
        host!.webPort,
      );
      expect(body).toBe(WEB_BODY);
      timings.reboot = rebootSeconds;
      expect((await ssh("findmnt -n -o UUID /var/lib/docker")).trim()).toBe(coldDiskUuid);
    });
  },
);
