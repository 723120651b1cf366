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
import { ENGINE_CONFIGURED_MARKER } from "../components/bootstrap/engine-install";
import { ensureBakedGuestImage } from "../tests/support/baked-guest";
import { ensureGuestImage, type GuestImage } from "../tests/support/guest-image";
import { localHostUserData, stopGuestsOnInterrupt } from "../tests/support/host-guest";
import {
  GuestSession,
  httpGet,
  makeKey,
  seconds,
  waitFor,
  type KeyPair,
} from "../tests/support/guest-session";
import { summarize, type RowSummary } from "./stats";
import { bootPartsTable, readBlame, readBootParts, type BootPart } from "./boot-parts";
import { rowsFlag } from "./flags";

// `npm run bench:boot [-- --rounds N]`: one VM at a time, each on a fresh overlay, timed on the
// host from qemu start until a container's forwarded port answers. Four rows, interleaved
// (common, cold, baked, floor, common, ...) so that a burst of load on a shared machine falls on
// every row alike, each repeated N times (default 2):
//   common - the payload people write by hand: package_update + package_upgrade +
//            packages: [docker.io], then runcmd fetches the image and runs it;
//   cold   - ours, renderCloudInit (debian-12, baseline, data disk) on the base image, then the
//            deployer's path: pinned SSH, `cloud-init status --wait`, the container over ssh://;
//   baked  - the same on the image LocalDockerHostImage bakes (bakedImage: true);
//   floor  - the baked image with nothing but SSH keys: SSH answering, then the engine let go
//            (its marker), started, and the container run by hand. What no payload can beat here.
//   prior  - with `--prior-image <qcow2>` only: the floor's boot on an earlier bake (one the
//            guest cache still holds), so a cut to the bake is measured against the image before
//            it in the same run.
// Every row fetches the same busybox image from this machine, so the difference is the payload.

const MINUTE = 60_000;
const ROWS = ["common", "cold", "baked", "floor", "prior"] as const;
type Row = (typeof ROWS)[number];

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

/** Nothing but keys: the login key, and the host key so that the deployer can pin it. */
function floorPayload(userKey: KeyPair, hostKey: KeyPair): string {
  const indent = (text: string) => text.trim().replace(/\n/g, "\n      ");
  return [
    "#cloud-config",
    `ssh_authorized_keys: ["${userKey.publicKey}"]`,
    "ssh_keys:",
    "  ed25519_private: |",
    `      ${indent(hostKey.privateKey)}`,
    `  ed25519_public: ${hostKey.publicKey}`,
    "",
  ].join("\n");
}

interface RunInput {
  label: string;
  image: GuestImage;
  userData: string;
  dataDiskGb?: number;
  deploy: (guest: BootedGuest, ssh: GuestSession) => Promise<void>;
  /** Read where the boot went once the container answers (rows whose host key is pinned). */
  parts?: boolean;
}

interface RunResult {
  total: number;
  parts?: Partial<Record<BootPart, number>>;
  blame?: string;
}

async function runOnce(
  work: string,
  keys: { user: KeyPair; host: KeyPair },
  input: RunInput,
): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(work, `${input.label}-`));
  const webPort = await freePort();
  const sshPort = await freePort();
  const guest = await bootGuest({
    name: `bench-${input.label}`,
    workDir: dir,
    image: input.image,
    userData: input.userData,
    sshPort,
    forwards: [{ protocol: "tcp", hostPort: webPort, guestPort: WEB_PORT }],
    dataDiskGb: input.dataDiskGb,
  });
  try {
    const ssh = new GuestSession(
      { user: "debian", sshPort, userKey: keys.user, hostPublicKey: keys.host.publicKey },
      dir,
    );
    await input.deploy(guest, ssh);
    const body = await waitFor(
      `${input.label}: the container to answer`,
      10 * MINUTE,
      () => httpGet(webPort),
      500,
    );
    if (body !== WEB_BODY) throw new Error(`${input.label}: unexpected body ${body}`);
    const total = seconds(guest.startedAt);
    console.log(
      `${input.label}: container answered ${total} s after qemu started (${guest.vm.accel})`,
    );
    if (!input.parts) return { total };
    // Read after the clock stopped: the reads themselves are not part of the row's time.
    return { total, parts: await readBootParts(ssh), blame: await readBlame(ssh) };
  } catch (e) {
    console.error(serialTail(guest));
    throw e;
  } finally {
    await teardownGuest(guest);
  }
}

/** What the readiness gate does: dial until SSH answers with the pinned key. */
async function awaitSsh(label: string, ssh: GuestSession): Promise<void> {
  await waitFor(
    `${label}: SSH`,
    10 * MINUTE,
    async () => ((await ssh.sshStatus("true", 15_000)) === 0 ? true : undefined),
    1000,
  );
}

function parseRounds(argv: string[]): number {
  const at = argv.indexOf("--rounds");
  const rounds = at >= 0 ? Number(argv[at + 1]) : 2;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds takes a whole number");
  return rounds;
}

async function main(): Promise<void> {
  const rounds = parseRounds(process.argv);
  const priorAt = process.argv.indexOf("--prior-image");
  const priorImage = priorAt >= 0 ? process.argv[priorAt + 1] : undefined;
  if (priorAt >= 0 && !(priorImage && fs.existsSync(priorImage)))
    throw new Error("--prior-image takes the path of an earlier baked qcow2");
  const rowsAsked = rowsFlag(ROWS).filter((r) => r !== "prior" || priorImage);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-bench-"));
  stopGuestsOnInterrupt(work);
  try {
    const base = ensureGuestImage();
    const { image: bakedImage, baked } = await ensureBakedGuestImage("baseline");
    const keys = {
      user: makeKey(path.join(work, "deployer")),
      host: makeKey(path.join(work, "host")),
    };
    const tarball = buildWebImageTarball(work);
    const server = await serve(tarball);
    const imagePort = (server.address() as AddressInfo).port;
    const viaDeployer = (label: string) => async (_guest: BootedGuest, ssh: GuestSession) => {
      await awaitSsh(label, ssh);
      await ssh.ssh("cloud-init status --wait >/dev/null", 10 * MINUTE);
      // A login made during the boot predates the docker group (see closeConnection).
      await ssh.closeConnection();
      await deployWebContainer(ssh, tarball);
    };
    const inputs: Omit<Record<Row, RunInput>, "prior"> & { prior?: RunInput } = {
      common: {
        label: "common",
        image: base,
        userData: commonPayload(keys.user.publicKey, imagePort),
        deploy: async () => {},
      },
      cold: {
        label: "cold",
        image: base,
        userData: localHostUserData(keys.user, keys.host, "baseline"),
        dataDiskGb: 10,
        deploy: viaDeployer("cold"),
      },
      baked: {
        label: "baked",
        image: bakedImage,
        userData: localHostUserData(keys.user, keys.host, "baseline", "os-default", true),
        dataDiskGb: 10,
        deploy: viaDeployer("baked"),
        parts: true,
      },
      floor: {
        label: "floor",
        image: bakedImage,
        userData: floorPayload(keys.user, keys.host),
        deploy: async (_guest, ssh) => {
          await awaitSsh("floor", ssh);
          // The image holds dockerd back until a first boot configured it; by hand, that is a touch.
          await ssh.ssh(
            `sudo install -d ${path.posix.dirname(ENGINE_CONFIGURED_MARKER)} && sudo touch ${ENGINE_CONFIGURED_MARKER} && sudo systemctl start docker.service`,
            5 * MINUTE,
          );
          await ssh.ssh(
            `curl -fsS http://10.0.2.2:${imagePort}/web.tar | sudo docker import --change '${WEB_IMAGE_CMD}' - ${WEB_IMAGE} && sudo docker run -d -p ${WEB_PORT}:${WEB_PORT} ${WEB_IMAGE}`,
            5 * MINUTE,
          );
        },
      },
    };
    inputs.floor.parts = true;
    inputs.prior = {
      ...inputs.floor,
      label: "prior",
      image: { ...bakedImage, rootfs: priorImage ?? bakedImage.rootfs },
    };
    const times: Record<Row, number[]> = { common: [], cold: [], baked: [], floor: [], prior: [] };
    const parts: Record<string, Partial<Record<BootPart, number>>[]> = {
      baked: [],
      floor: [],
      prior: [],
    };
    let lastBlame: Partial<Record<Row, string>> = {};
    for (let round = 1; round <= rounds; round++)
      for (const row of rowsAsked) {
        console.log(`round ${round}/${rounds}: ${row}`);
        const result = await runOnce(work, keys, inputs[row]!);
        times[row].push(result.total);
        if (result.parts && row in parts) parts[row].push(result.parts);
        if (result.blame) lastBlame = { ...lastBlame, [row]: result.blame };
      }
    server.close();
    const rows = Object.fromEntries(rowsAsked.map((r) => [r, summarize(times[r])])) as Record<
      Row,
      RowSummary
    >;
    console.log(
      `\nbake (once, ${baked.reused ? "cached" : "this run"}): ${baked.bakeSeconds} s\n` +
        "row      runs (s, in order)        median  spread (min-max)",
    );
    for (const row of rowsAsked) {
      const s = rows[row];
      console.log(
        `${row.padEnd(8)} ${times[row]
          .map((t) => t.toFixed(1))
          .join(" ")
          .padEnd(25)} ${s.median.toFixed(1).padStart(6)}  ${s.min.toFixed(1)}-${s.max.toFixed(1)}`,
      );
    }
    const ratio = (a: Row, b: Row) =>
      rows[a] && rows[b] ? (rows[a].median / rows[b].median).toFixed(2) : "- (a row not run)";
    console.log(
      `\ncold / common  ${ratio("cold", "common")} (target 0.85 or less)\n` +
        `baked / common ${ratio("baked", "common")} (target 0.35 or less)\n` +
        `baked / floor  ${ratio("baked", "floor")} (target 1.10 or less)\n` +
        `floor / prior  ${ratio("floor", "prior")} (below 1: the cut bake boots faster)`,
    );
    console.log(`\nwhere the boot goes (medians of ${rounds} runs):`);
    for (const line of bootPartsTable({ baked: parts.baked, floor: parts.floor }))
      console.log(line);
    if (priorImage) {
      console.log(`\nthe floor on this bake and on the prior one (${priorImage}):`);
      for (const line of bootPartsTable({ floor: parts.floor, prior: parts.prior }))
        console.log(line);
    }
    for (const row of ["baked", "floor", "prior"] as const)
      if (lastBlame[row]) console.log(`\n${row}, last run:\n${lastBlame[row]}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
