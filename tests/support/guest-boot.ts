import { execFile, execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as dgram from "node:dgram";
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
import { STRICT_CPU_SHARES } from "../../components/services/strict-containers";
import type { PortForward, PrivateNetwork } from "../../components/local/vm-config";
import type { LocalVmConfig } from "../../components/local/vm-config";
import { DEBIAN_IMAGE_NAME, IMAGE_SITE_ENV } from "../../components/local/base-image";
import { nodeCli } from "../../components/remote/node-cli";
import { workstationCli } from "../../components/remote/workstation";
import { shellQuote } from "../../components/bootstrap/shell";
import type { GuestImage } from "./guest-image";

// Boots the cached guest image through the same lifecycle functions LocalDockerHost runs: called
// in-process, or (`viaCli`) through the very command the component's resources run from this
// checkout, which also fetches the base image from an image site first.

const COMPONENTS = path.resolve(__dirname, "..", "..", "components");
/** The commands the hosts' resources run from a checkout: the CLIs through ts-node. */
export const VM_CLI = nodeCli(path.join(COMPONENTS, "local"), "vm-cli");
/** The components' own command for it, so a test runs what a host runs. */
export const WORKSTATION_CLI = workstationCli();

/** Runs `<cli> <args>` as @pulumi/command does (sh -c), with stdin; stdout and stderr back. */
export async function runCli(
  cli: string,
  args: string,
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "sh",
      ["-c", `${cli} ${args}`],
      { env: { ...process.env, ...options.env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${path.basename(cli)} ${args}: ${stderr || error.message}`))
          : resolve({ stdout, stderr }),
    );
    child.stdin?.end(options.stdin ?? "");
  });
}

const runVmCli = (args: string, options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCli(VM_CLI, args, options);

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

/**
 * A private bus for one test's guests: a multicast group and UDP port of its own (random, so
 * two runs on one machine never share frames), carried on 127.0.0.1 only.
 */
export async function privateBus(): Promise<{ group: string; port: number }> {
  const port = await new Promise<number>((resolve, reject) => {
    const socket = dgram.createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port: p } = socket.address();
      socket.close(() => resolve(p));
    });
  });
  const byte = () => crypto.randomInt(1, 255);
  return { group: `239.255.${byte()}.${byte()}`, port };
}

export interface BootedGuest {
  vm: RunningVm;
  dir: string;
  dataDisk?: string;
  /** Booted through vm-cli: torn down through it too. Its stderr from `start`. */
  viaCli?: { startLog: string };
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
  /** Attach this existing data disk (kept by the caller) instead of a new one. */
  dataDisk?: string;
  /** Appended to the image's kernel command line (e.g. security=selinux). */
  extraKernelArgs?: string[];
  privateNetwork?: PrivateNetwork;
  /**
   * Boot through vm-cli. With `imageSite`, the base image is fetched from that site into
   * `<workDir>/images` (the image file is the site's, the kernel and initrd the guest image's);
   * without, the image's own file is booted, as a local host given `image` boots it.
   */
  viaCli?: { imageSite?: string };
}): Promise<BootedGuest> {
  const dir = path.join(input.workDir, "vm");
  const dataDisk =
    input.dataDisk ??
    (input.dataDiskGb ? path.join(input.workDir, "data", "docker.qcow2") : undefined);
  if (input.dataDisk) {
    // kept from a replaced guest: attached as it is
  } else if (dataDisk && input.viaCli)
    await runVmCli(`data-disk-create ${shellQuote(dataDisk)} ${input.dataDiskGb}`);
  else if (dataDisk) await ensureDataDisk(dataDisk, input.dataDiskGb ?? 0);
  const startedAt = Date.now();
  const config: LocalVmConfig = {
    name: input.name,
    dir,
    ...(input.viaCli?.imageSite
      ? {
          baseImage: path.join(input.workDir, "images", DEBIAN_IMAGE_NAME),
          fetchBaseImage: true,
        }
      : { baseImage: input.image.rootfs }),
    kernel: input.image.kernel,
    initrd: input.image.initrd,
    kernelArgs: [input.image.kernelArgs, ...(input.extraKernelArgs ?? [])].join(" "),
    memoryMb: 2048,
    cpus: 2,
    ...(dataDisk ? { dataDisk } : {}),
    sshPort: input.sshPort,
    forwards: input.forwards,
    ...(input.privateNetwork ? { privateNetwork: input.privateNetwork } : {}),
    accelerator: "auto",
    userData: input.userData,
    instanceId: `${input.name}-${startedAt}`,
  };
  if (!input.viaCli) return { vm: await startVm(config), dir, dataDisk, startedAt };
  const started = await runVmCli("start", {
    stdin: JSON.stringify(config),
    ...(input.viaCli.imageSite ? { env: { [IMAGE_SITE_ENV]: input.viaCli.imageSite } } : {}),
  });
  const vm = JSON.parse(started.stdout) as RunningVm;
  return { vm, dir, dataDisk, startedAt, viaCli: { startLog: started.stderr } };
}

/** What `pulumi destroy` runs for a local host: the VM stopped and removed, then its data disk. */
export async function teardownGuest(
  guest: BootedGuest,
  /** A replacement keeps the data disk, as a cloud keeps the volume of a replaced instance. */
  options: { keepDataDisk?: boolean } = {},
): Promise<void> {
  if (guest.viaCli) {
    await runVmCli(`stop ${shellQuote(guest.dir)}`);
    if (guest.dataDisk && !options.keepDataDisk)
      await runVmCli(`data-disk-remove ${shellQuote(guest.dataDisk)}`);
    return;
  }
  await stopVm(guest.dir);
  if (guest.dataDisk && !options.keepDataDisk) removeDataDisk(guest.dataDisk);
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
export function buildWebImageTarball(workDir: string, body = WEB_BODY): string {
  const busybox = "/bin/busybox";
  if (!fs.existsSync(busybox))
    throw new Error("busybox-static is needed for the VM tests: apt-get install busybox-static");
  const root = path.join(workDir, "image-root");
  fs.mkdirSync(path.join(root, "bin"), { recursive: true });
  fs.mkdirSync(path.join(root, "www"), { recursive: true });
  fs.copyFileSync(busybox, path.join(root, "bin", "busybox"));
  fs.chmodSync(path.join(root, "bin", "busybox"), 0o755);
  fs.symlinkSync("busybox", path.join(root, "bin", "sh"));
  fs.writeFileSync(path.join(root, "www", "index.html"), body);
  const tarball = path.join(workDir, "web-image.tar");
  execFileSync("tar", ["-C", root, "--owner=0", "--group=0", "-cf", tarball, "."]);
  return tarball;
}

export const WEB_IMAGE = "dockerhost-test/web:1";
export const WEB_IMAGE_CMD = `CMD ["/bin/busybox","httpd","-f","-p","${WEB_PORT}","-h","/www"]`;

/**
 * `docker run` flags for what DockerServices gives every container: capabilities dropped,
 * no-new-privileges, a read-only root, a memory limit, restart unless-stopped.
 */
export const SERVICE_DEFAULTS = [
  "--cap-drop",
  "ALL",
  "--security-opt",
  "no-new-privileges",
  "--read-only",
  "--memory",
  "64m",
  "--restart",
  "unless-stopped",
];

/** Loads the web image over ssh:// and runs it as "web" with these flags. */
async function runWeb(
  engine: { docker(args: string[]): Promise<string> },
  tarball: string,
  flags: (imageId: string) => string[],
): Promise<void> {
  await engine.docker(["import", "--change", WEB_IMAGE_CMD, tarball, WEB_IMAGE]);
  const imageId = (await engine.docker(["image", "inspect", "-f", "{{.Id}}", WEB_IMAGE])).trim();
  await engine.docker(["run", "-d", "--name", "web", ...flags(imageId)]);
}

/**
 * The web container with the defaults DockerServices applies (caps dropped, no-new-privileges,
 * read-only root, a memory limit, restart unless-stopped), its image by tag.
 */
export async function deployWebContainer(
  engine: { docker(args: string[]): Promise<string> },
  tarball: string,
): Promise<void> {
  await runWeb(engine, tarball, () => [
    "-p",
    `${WEB_PORT}:${WEB_PORT}`,
    ...SERVICE_DEFAULTS,
    WEB_IMAGE,
  ]);
}

/** The guest's own address on QEMU's user-mode network, where its port forwards arrive. */
export const GUEST_ADDRESS = "10.0.2.15";

/**
 * The web container as DockerServices runs it under `strict` (strict-containers.ts): an
 * unprivileged user, a healthcheck, CPU shares, its port bound to one address, and the image
 * referred to by id, as the provider's RemoteImage.imageId does.
 */
export async function deployStrictWebContainer(
  engine: { docker(args: string[]): Promise<string> },
  tarball: string,
): Promise<void> {
  await runWeb(engine, tarball, (imageId) => [
    "-p",
    `${GUEST_ADDRESS}:${WEB_PORT}:${WEB_PORT}`,
    "--user",
    "65534:65534",
    "--cpu-shares",
    String(STRICT_CPU_SHARES),
    "--health-cmd",
    `/bin/busybox wget -q -O- http://127.0.0.1:${WEB_PORT}/`,
    "--health-interval",
    "5s",
    ...SERVICE_DEFAULTS,
    imageId,
  ]);
}
