import * as fs from "node:fs";
import * as path from "node:path";
import { expect, it } from "@jest/globals";
import { BAKE_RECORD_PATH } from "../../components/bootstrap/baked-image";
import { buildDaemonConfig } from "../../components/bootstrap/daemon-config";
import { DATA_DISK_SERIAL } from "../../components/local/vm-config";
import { about } from "./about";
import type { BakedGuest } from "./baked-guest";
import { WEB_BODY, WEB_IMAGE, teardownGuest } from "./guest-boot";
import { GuestSession, httpGet, makeKey, waitFor } from "./guest-session";
import {
  DEBIAN_AUDIT_RULES,
  rebootAndAwaitContainer,
  startHostGuest,
  type HostGuest,
} from "./host-guest";

// The replacement promise of a baked image, on the scenario's own cold-booted host (a second cold
// guest would cost the VM level a whole install): the VM goes, as a cloud replaces an instance,
// its data disk stays, and a host from the baked image boots on that disk with a new host key
// and the same deployer key. The new host must pass the cold path's checks without installing
// anything, keep the old host's images, volume data and container, and survive a reboot.

const MINUTE = 60_000;

/** Signal 0 to a pid that is gone throws ESRCH. */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export interface ReplacementScenario {
  work: string;
  /** The cold host, with its `web` container deployed and answering. */
  cold: () => HostGuest;
  /** The bake, started once the cold host is up. */
  bake: () => Promise<BakedGuest>;
  /** Called once the cold VM is gone and the new host answers: the scenario's host from then. */
  replaced: (host: HostGuest) => void;
  timings: Record<string, number>;
}

/** Registers the replacement's tests, in order, inside the caller's describe. */
export function itIsReplacedByABakedHost(scenario: ReplacementScenario): void {
  let host: HostGuest | undefined;
  let coldDiskUuid = "";
  let coldImages: string[] = [];
  const newHost = (): HostGuest => {
    if (!host) throw new Error("no host from the baked image: its boot failed above");
    return host;
  };
  const ssh = (command: string) => newHost().session.ssh(command);
  const imageList = async (session: GuestSession) =>
    (await session.docker(["image", "ls", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"]))
      .trim()
      .split("\n")
      .sort();

  // The image is busybox alone: its applets are called through the binary.
  const onKeptVolume = (session: GuestSession, ...applet: string[]) =>
    session.docker(["run", "--rm", "-v", "kept:/data", WEB_IMAGE, "/bin/busybox", ...applet]);

  it("is replaced by a host from the baked image: the VM goes, its data disk stays", async () => {
    const cold = scenario.cold();
    const baked = await scenario.bake();
    await cold.session.docker(["volume", "create", "kept"]);
    await onKeptVolume(cold.session, "sh", "-c", "echo written-by-the-cold-host > /data/proof");
    coldDiskUuid = (await cold.session.ssh("findmnt -n -o UUID /var/lib/docker")).trim();
    coldImages = await imageList(cold.session);
    const dataDisk = cold.guest.dataDisk;
    if (!dataDisk) throw new Error("the cold host has no data disk");
    // As a cloud terminates an instance: an orderly shutdown (the engine stops its containers and
    // exits), then the VM is removed and its disk kept.
    await cold.session.sshStatus("sudo systemctl poweroff", 30_000);
    await waitFor(
      "the cold host to power off",
      3 * MINUTE,
      async () => (processGone(cold.guest.vm.pid) ? true : undefined),
      1000,
    ).catch(() => undefined);
    await teardownGuest(cold.guest, { keepDataDisk: true });
    const newWork = path.join(scenario.work, "baked");
    fs.mkdirSync(newWork);
    host = await startHostGuest("vmbaked", newWork, "baseline", "os-default", {
      baked: baked.image,
      viaCli: true,
      userKey: cold.session.access.userKey,
      hostKey: makeKey(path.join(newWork, "new-host-key")),
      dataDisk,
    });
    scenario.replaced(host);
    scenario.timings.bakedCloudInitDone = host.timings.cloudInitDone;
    expect(host.guest.viaCli?.startLog).not.toMatch(/downloaded/);
  });

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
    expect(await newHost().session.sshStatus("test -e /var/log/dockerhost-packages.log")).not.toBe(
      0,
    );
    expect(await ssh(`cat ${BAKE_RECORD_PATH}`)).toMatch(
      /^fingerprint=[0-9a-f]{12}\nos=debian-12 arch=x86_64 source=distro\nengine=docker\.io \S+\npackages=docker\.io apparmor auditd\nbaked=\S+\n$/,
    );
  });

  it("presents the new host key, and the old pin is refused", async () => {
    expect(await newHost().session.presentedHostKey()).toBe(
      newHost().hostKey.publicKey.split(/\s+/).slice(0, 2).join(" "),
    );
    const stale = new GuestSession(
      { ...newHost().session.access, hostPublicKey: scenario.cold().hostKey.publicKey },
      fs.mkdtempSync(path.join(scenario.work, "stale-")),
    );
    expect(await stale.sshStatus("true", 30_000)).toBe(255);
  });

  it("runs the engine with the baseline daemon.json and the audit rules of the cold path", async () => {
    const daemon = JSON.parse(await ssh("cat /etc/docker/daemon.json")) as object;
    expect(daemon).toStrictEqual(
      buildDaemonConfig({ hardening: "baseline", selinuxEnabled: false }),
    );
    expect(
      (await newHost().session.docker(["version", "--format", "{{.Server.Version}}"])).trim(),
    ).toMatch(/^\d+\.\d+/);
    const rules = (await ssh("sudo auditctl -l"))
      .trim()
      .split("\n")
      .filter((l) => l.includes("docker"));
    expect(rules).toStrictEqual(DEBIAN_AUDIT_RULES);
  });

  it("mounts the old host's data disk without formatting it: its images, volume and container are there", async () => {
    const source = (await ssh("findmnt -n -o SOURCE /var/lib/docker")).trim();
    const device = (await ssh(`readlink -f /dev/disk/by-id/virtio-${DATA_DISK_SERIAL}`)).trim();
    expect(source).toBe(device);
    expect((await ssh("findmnt -n -o UUID /var/lib/docker")).trim()).toBe(coldDiskUuid);
    expect(await ssh("sudo cat /var/log/cloud-init-output.log")).toMatch(
      /dockerhost: \S+ already has a filesystem; keeping its data/,
    );
    expect(await imageList(newHost().session)).toStrictEqual(coldImages);
    const proof = await onKeptVolume(newHost().session, "cat", "/data/proof");
    expect(proof.trim()).toBe("written-by-the-cold-host");
    // restart unless-stopped: the engine brought the old host's container back by itself.
    expect(
      await waitFor("the container on the new host", 2 * MINUTE, () => httpGet(newHost().webPort)),
    ).toBe(WEB_BODY);
  });

  it("brings the container back after a reboot, on the same disk", async () => {
    const { body, rebootSeconds } = await rebootAndAwaitContainer(
      newHost().guest,
      newHost().session,
      newHost().webPort,
    );
    expect(body).toBe(WEB_BODY);
    scenario.timings.reboot = rebootSeconds;
    expect((await ssh("findmnt -n -o TARGET,UUID /var/lib/docker")).trim()).toBe(
      `/var/lib/docker ${coldDiskUuid}`,
    );
  });
}
