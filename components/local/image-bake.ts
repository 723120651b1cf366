import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import { BAKE_FINISHED } from "../bootstrap/baked-image";
import { requireHostTools } from "./host-tools";
import type { AcceleratorPreference } from "./accelerator";
import { runningPid, startVm, stopVm } from "./vm-lifecycle";

// The local bake: the base image booted once with the bake's user-data, which installs, cleans up
// and powers off; the VM's overlay is then flattened into a standalone qcow2. The result is
// cached under a hash of what went into it, so an unchanged bake is a file lookup.

const run = promisify(execFile);

export interface LocalBakeConfig {
  name: string;
  /** Where baked images are kept: `<directory>/<name>-<key>.qcow2`. */
  directory: string;
  baseImage: string;
  kernel?: string;
  initrd?: string;
  kernelArgs?: string;
  memoryMb: number;
  cpus: number;
  accelerator: AcceleratorPreference;
  userData: string;
  /** The install half's fingerprint (installFingerprint), recorded beside the image. */
  fingerprint: string;
  /** Longest the bake VM may run before it is stopped and the bake fails. */
  timeoutSeconds: number;
}

/** What vm-cli's `bake` reads on stdin: the config, and whether to fetch the default base image. */
export type LocalBakeRequest = LocalBakeConfig & { fetchBaseImage?: boolean };

/** Removes a baked image and its record (a LocalDockerHostImage's delete). */
export function removeBakedImage(imagePath: string): void {
  fs.rmSync(imagePath, { force: true });
  fs.rmSync(imagePath.replace(/\.qcow2$/, ".json"), { force: true });
}

export interface BakedLocalImage {
  imagePath: string;
  /** The cache key: hash of the base image's identity, the user-data and the boot files. */
  key: string;
  fingerprint: string;
  /** How long the bake took when it ran (reused: the recorded time of the run that made it). */
  bakeSeconds: number;
  reused: boolean;
}

function fileIdentity(file: string | undefined): string {
  if (!file) return "";
  const stat = fs.statSync(file);
  return `${path.resolve(file)}:${stat.size}:${stat.mtimeMs}`;
}

/**
 * What went into a bake. The base image is named by path, size and modification time: hashing
 * gigabytes on every preview would cost more than the bake is worth re-checking.
 */
export function bakeKey(config: LocalBakeConfig): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        fileIdentity(config.baseImage),
        fileIdentity(config.kernel),
        fileIdentity(config.initrd),
        config.kernelArgs ?? "",
        config.userData,
      ]),
    )
    .digest("hex")
    .slice(0, 16);
}

export function bakedImagePaths(config: LocalBakeConfig) {
  const stem = path.join(config.directory, `${config.name}-${bakeKey(config)}`);
  return {
    image: `${stem}.qcow2`,
    record: `${stem}.json`,
    work: `${stem}.work`,
    lock: `${stem}.lock`,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Another process baking the same key holds the lock; a lock older than a bake is stale. */
async function withLock<T>(lock: string, staleMs: number, body: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > staleMs) fs.rmSync(lock, { recursive: true });
      await sleep(2000);
    }
  }
  try {
    return await body();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function readRecord(file: string): { fingerprint: string; bakeSeconds: number } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as {
      fingerprint: string;
      bakeSeconds: number;
    };
  } catch {
    return undefined;
  }
}

function serialTail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no serial log)";
  }
}

/** The baked image for this config: from the cache, or baked now (one VM boot). */
export async function bakeLocalImage(
  config: LocalBakeConfig,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<BakedLocalImage> {
  const paths = bakedImagePaths(config);
  const key = bakeKey(config);
  const cached = (): BakedLocalImage | undefined => {
    const record = readRecord(paths.record);
    if (!record || !fs.existsSync(paths.image)) return undefined;
    return { imagePath: paths.image, key, ...record, reused: true };
  };
  const hit = cached();
  if (hit) return hit;
  fs.mkdirSync(config.directory, { recursive: true, mode: 0o700 });
  return withLock(paths.lock, (config.timeoutSeconds + 120) * 1000, async () => {
    const again = cached();
    if (again) return again;
    const started = Date.now();
    log(`local bake ${config.name}: booting ${config.baseImage} to install (key ${key})`);
    const vm = await startVm({
      name: `bake-${config.name}`,
      dir: paths.work,
      baseImage: config.baseImage,
      ...(config.kernel ? { kernel: config.kernel } : {}),
      ...(config.initrd ? { initrd: config.initrd } : {}),
      ...(config.kernelArgs ? { kernelArgs: config.kernelArgs } : {}),
      memoryMb: config.memoryMb,
      cpus: config.cpus,
      sshPort: await freePort(),
      forwards: [],
      accelerator: config.accelerator,
      userData: config.userData,
      instanceId: `dockerhost-bake-${key}`,
    });
    try {
      const deadline = started + config.timeoutSeconds * 1000;
      while (runningPid(paths.work)) {
        if (Date.now() > deadline)
          throw new Error(
            `local bake ${config.name}: the VM did not power off within ${config.timeoutSeconds} s; serial log:\n${serialTail(vm.serialLog)}`,
          );
        await sleep(1000);
      }
      const serial = fs.readFileSync(vm.serialLog, "utf8");
      if (!serial.includes(BAKE_FINISHED))
        throw new Error(
          `local bake ${config.name}: the VM powered off without "${BAKE_FINISHED}"; serial log:\n${serialTail(vm.serialLog)}`,
        );
      const { "qemu-img": qemuImg } = requireHostTools();
      const partial = `${paths.image}.part`;
      // Flattened: the baked image stands alone, whatever later happens to the base image.
      await run(qemuImg, ["convert", "-O", "qcow2", path.join(paths.work, "disk.qcow2"), partial]);
      fs.renameSync(partial, paths.image);
      const bakeSeconds = Math.round((Date.now() - started) / 100) / 10;
      fs.writeFileSync(
        paths.record,
        JSON.stringify({ fingerprint: config.fingerprint, bakeSeconds }, null, 2),
      );
      log(`local bake ${config.name}: ${paths.image} in ${bakeSeconds} s`);
      return {
        imagePath: paths.image,
        key,
        fingerprint: config.fingerprint,
        bakeSeconds,
        reused: false,
      };
    } finally {
      await stopVm(paths.work);
    }
  });
}
