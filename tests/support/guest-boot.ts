import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import {
  ensureDataDisk,
  removeDataDisk,
  startVm,
  stopVm,
} from "../../components/local/vm-lifecycle";
import type { RunningVm } from "../../components/local/vm-lifecycle";
import type { PortForward } from "../../components/local/vm-config";
import type { GuestImage } from "./guest-image";

// Boots the cached guest image through the same lifecycle functions LocalDockerHost runs.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

export interface BootedGuest {
  vm: RunningVm;
  dir: string;
  dataDisk?: string;
  /** Host wall clock (ms) just before qemu started. */
  startedAt: number;
}

export async function bootGuest(input: {
  name: string;
  workDir: string;
  image: GuestImage;
  userData: string;
  sshPort: number;
  forwards: PortForward[];
  dataDiskGb?: number;
  /** Appended to the image's kernel command line (e.g. security=selinux). */
  extraKernelArgs?: string[];
}): Promise<BootedGuest> {
  const dir = path.join(input.workDir, "vm");
  const dataDisk = input.dataDiskGb ? path.join(input.workDir, "data", "docker.qcow2") : undefined;
  if (dataDisk) await ensureDataDisk(dataDisk, input.dataDiskGb ?? 0);
  const startedAt = Date.now();
  const vm = await startVm({
    name: input.name,
    dir,
    baseImage: input.image.rootfs,
    kernel: input.image.kernel,
    initrd: input.image.initrd,
    kernelArgs: [input.image.kernelArgs, ...(input.extraKernelArgs ?? [])].join(" "),
    memoryMb: 2048,
    cpus: 2,
    ...(dataDisk ? { dataDisk } : {}),
    sshPort: input.sshPort,
    forwards: input.forwards,
    accelerator: "auto",
    userData: input.userData,
    instanceId: `${input.name}-${startedAt}`,
  });
  return { vm, dir, dataDisk, startedAt };
}

export async function teardownGuest(guest: BootedGuest): Promise<void> {
  await stopVm(guest.dir);
  if (guest.dataDisk) removeDataDisk(guest.dataDisk);
}

export function serialTail(guest: BootedGuest, lines = 30): string {
  try {
    return fs.readFileSync(guest.vm.serialLog, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no serial log)";
  }
}

/** How often a line matching the pattern appears in the serial log: boots leave one mark each. */
export function serialCount(guest: BootedGuest, pattern: RegExp): number {
  try {
    const text = fs.readFileSync(guest.vm.serialLog, "utf8");
    return text.split("\n").filter((l) => pattern.test(l)).length;
  } catch {
    return 0;
  }
}

export const WEB_PORT = 8080;
export const WEB_BODY = "hello from a dockerhost guest\n";

/**
 * A one-binary image: busybox-static with an httpd serving one page, as a rootfs tarball for
 * `docker import`. Built here so no registry is needed.
 */
export function buildWebImageTarball(workDir: string): string {
  const busybox = "/bin/busybox";
  if (!fs.existsSync(busybox))
    throw new Error("busybox-static is needed for the VM tests: apt-get install busybox-static");
  const root = path.join(workDir, "image-root");
  fs.mkdirSync(path.join(root, "bin"), { recursive: true });
  fs.mkdirSync(path.join(root, "www"), { recursive: true });
  fs.copyFileSync(busybox, path.join(root, "bin", "busybox"));
  fs.chmodSync(path.join(root, "bin", "busybox"), 0o755);
  fs.symlinkSync("busybox", path.join(root, "bin", "sh"));
  fs.writeFileSync(path.join(root, "www", "index.html"), WEB_BODY);
  const tarball = path.join(workDir, "web-image.tar");
  execFileSync("tar", ["-C", root, "--owner=0", "--group=0", "-cf", tarball, "."]);
  return tarball;
}

export const WEB_IMAGE = "dockerhost-test/web:1";
export const WEB_IMAGE_CMD = `CMD ["/bin/busybox","httpd","-f","-p","${WEB_PORT}","-h","/www"]`;

/**
 * Loads the web image over ssh:// and runs it as "web" with the defaults DockerServices applies
 * (caps dropped, no-new-privileges, read-only root, a memory limit, restart unless-stopped).
 */
export async function deployWebContainer(
  engine: { docker(args: string[]): Promise<string> },
  tarball: string,
): Promise<void> {
  await engine.docker(["import", "--change", WEB_IMAGE_CMD, tarball, WEB_IMAGE]);
  await engine.docker([
    "run",
    "-d",
    "--name",
    "web",
    "--restart",
    "unless-stopped",
    "-p",
    `${WEB_PORT}:${WEB_PORT}`,
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges",
    "--read-only",
    "--memory",
    "64m",
    WEB_IMAGE,
  ]);
}
