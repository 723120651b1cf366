import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import {
  WEB_BODY,
  WEB_IMAGE,
  WEB_IMAGE_CMD,
  WEB_PORT,
  bootGuest,
  deployWebContainer,
  buildWebImageTarball,
  freePort,
  serialTail,
  teardownGuest,
  type BootedGuest,
} from "../tests/support/guest-boot";
import { ensureGuestImage, type GuestImage } from "../tests/support/guest-image";
import { localHostUserData } from "../tests/support/host-guest";
import { GuestSession, httpGet, makeKey, seconds, waitFor } from "../tests/support/guest-session";

// `npm run bench:boot`: the same guest image booted twice, one VM at a time, each on a fresh
// overlay, timed on the host from qemu start until a container's forwarded port answers:
//   common  - the payload people write by hand: package_update + package_upgrade +
//             packages: [docker.io], then runcmd fetches the image and runs it;
//   ours    - renderCloudInit (debian-12, baseline, data disk), then the deployer's path: the
//             readiness gate over pinned SSH and the container deployed over ssh://.
// Both fetch the same busybox image from the host (the common one over HTTP from 10.0.2.2,
// ours over ssh://), so the difference is the payload.

const MINUTE = 60_000;

function serve(file: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/x-tar" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function commonPayload(publicKey: string, imagePort: number): string {
  return [
    "#cloud-config",
    "package_update: true",
    "package_upgrade: true",
    "packages: [docker.io]",
    `ssh_authorized_keys: ["${publicKey}"]`,
    "runcmd:",
    `  - curl -fsS http://10.0.2.2:${imagePort}/web.tar | docker import --change '${WEB_IMAGE_CMD}' - ${WEB_IMAGE}`,
    `  - docker run -d --restart unless-stopped -p ${WEB_PORT}:${WEB_PORT} ${WEB_IMAGE}`,
    "",
  ].join("\n");
}

async function runOnce(
  label: string,
  image: GuestImage,
  work: string,
  userData: string,
  deploy: (guest: BootedGuest, webPort: number) => Promise<void>,
  dataDiskGb?: number,
  explain?: () => Promise<string>,
): Promise<number> {
  const dir = path.join(work, label);
  fs.mkdirSync(dir, { recursive: true });
  const webPort = await freePort();
  const guest = await bootGuest({
    name: `bench-${label}`,
    workDir: dir,
    image,
    userData,
    sshPort: await freePort(),
    forwards: [{ protocol: "tcp", hostPort: webPort, guestPort: WEB_PORT }],
    dataDiskGb,
  });
  try {
    await deploy(guest, webPort);
    const body = await waitFor(
      `${label}: the container to answer`,
      10 * MINUTE,
      () => httpGet(webPort),
      500,
    );
    if (body !== WEB_BODY) throw new Error(`${label}: unexpected body ${body}`);
    const total = seconds(guest.startedAt);
    console.log(`${label}: container answered ${total} s after qemu started (${guest.vm.accel})`);
    if (explain) console.log(await explain());
    return total;
  } catch (e) {
    console.error(serialTail(guest));
    throw e;
  } finally {
    await teardownGuest(guest);
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-bench-"));
  try {
    const image = ensureGuestImage();
    const userKey = makeKey(path.join(work, "deployer"));
    const hostKey = makeKey(path.join(work, "host"));
    const tarball = buildWebImageTarball(work);
    const server = await serve(tarball);
    const imagePort = (server.address() as AddressInfo).port;

    // `-- ours` times only our payload (while tuning); the ratio needs both in the same run.
    const onlyOurs = process.argv.includes("ours");
    const common = onlyOurs
      ? Number.NaN
      : await runOnce(
          "common",
          image,
          work,
          commonPayload(userKey.publicKey, imagePort),
          async () => {},
        );

    let session: GuestSession | undefined;
    const ours = await runOnce(
      "ours",
      image,
      work,
      localHostUserData(userKey, hostKey, "baseline"),
      async (guest) => {
        const ssh = new GuestSession(
          { user: "debian", sshPort: guest.vm.sshPort, userKey, hostPublicKey: hostKey.publicKey },
          path.join(work, "ours"),
        );
        session = ssh;
        // What the readiness gate does: dial until SSH answers, then wait for cloud-init.
        await waitFor(
          "ours: SSH",
          10 * MINUTE,
          async () => ((await ssh.sshStatus("true", 15_000)) === 0 ? true : undefined),
          1000,
        );
        await ssh.ssh("cloud-init status --wait >/dev/null", 10 * MINUTE);
        await deployWebContainer(ssh, tarball);
      },
      10,
      // Where the time went, from the guest's own clocks (seconds since its kernel started).
      async () =>
        (await session?.ssh(
          "sudo grep 'dockerhost:' /var/log/cloud-init-output.log; for u in cloud-init-local cloud-init cloud-config cloud-final dockerhost-packages docker; do " +
            'echo "$u.service started $(systemctl show -p InactiveExitTimestampMonotonic --value $u.service) active $(systemctl show -p ActiveEnterTimestampMonotonic --value $u.service)"; done',
        )) ?? "",
    );
    server.close();
    const ratio = ours / common;
    console.log("\npayload   seconds to a container answering");
    console.log(`common    ${common.toFixed(1)}`);
    console.log(`ours      ${ours.toFixed(1)}`);
    console.log(`ratio     ${ratio.toFixed(2)} (target 0.65 or less)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
