import { withEdge } from "../services/edge-app";
import { secretStoreProblems } from "../services/cloud-secrets";
import * as fs from "node:fs";
import * as net from "node:net";
import type * as pulumi from "@pulumi/pulumi";
import * as os from "node:os";
import * as path from "node:path";
import { OS_CATALOG } from "../bootstrap/os-catalog";
import { SELINUX_KERNEL_ARG, selinuxNeedsKernelArg } from "../bootstrap/selinux-activation";
import type { ContainerSpec } from "../core/container-spec";
import { argsShape } from "../core/args-shape";
import { bakedImageProblems, type DockerHostArgs, type HostTarget } from "../host/host-args";
import { ACCELERATORS, acceleratorPreviewProblem, type AcceleratorPreference } from "./accelerator";
import type { LocalVmConfig, PortForward } from "./vm-config";
import { DEBIAN_IMAGE_NAME } from "./base-image";
import { busMac, busProblems } from "./fleet-bus";

export interface LocalDockerHostArgs extends DockerHostArgs {
  /**
   * The cloud image file (qcow2 or raw), never modified: the VM runs on an overlay. Default
   * ~/.dockerhost/images/debian-12-genericcloud-amd64.qcow2, Debian's "genericcloud" image,
   * fetched from cloud.debian.org and verified against its SHA512SUMS on the first start. A
   * LocalDockerHostImage's imagePath output is one too (with bakedImage: true).
   */
  image?: pulumi.Input<string>;
  /** Boot this kernel (and initrd) directly, for images without a boot loader. */
  kernel?: string;
  initrd?: string;
  kernelArgs?: string;
  /** Guest memory in MiB (default 2048, at least 1024). */
  memoryMb?: number;
  cpus?: number;
  /** Grow the image's disk to this size (default 20); 0 keeps the image's size. */
  diskSizeGb?: number;
  /**
   * Size of the separate /var/lib/docker disk when it is made (default 20); 0: none. Kept across VM
   * replacements and never replaced: a later change keeps the existing disk at its size.
   */
  dockerDiskSizeGb?: number;
  /** The port on 127.0.0.1 that forwards to the guest's SSH (default 2222). */
  sshPort?: number;
  /** "auto" (default): KVM where usable, else emulation with a warning. */
  accelerator?: AcceleratorPreference;
  /**
   * A member of a local fleet: a second NIC on the fleet's private bus (`localFleetNetwork`),
   * with this host's address there (a private IPv4 address on a /24 the members share). The
   * swarm's traffic stays on it; nothing leaves the machine.
   */
  privateNetwork?: LocalPrivateNetwork;
  /**
   * Ports forwarded from 127.0.0.1 to the guest besides the containers' own: a swarm's published
   * ports, which the routing mesh answers on any member.
   */
  forwardPorts?: number[];
}

export interface LocalPrivateNetwork {
  /** The bus's multicast group: `localFleetNetwork(name).group`. */
  group: string;
  /** The bus's UDP port: `localFleetNetwork(name).port`. */
  port: number;
  /** This host's address on the bus, e.g. "10.10.0.11". */
  address: string;
}

/** The prefix every local fleet's bus uses: the members' addresses share one /24. */
export const BUS_PREFIX_LENGTH = 24;

export const DEFAULT_LOCAL_IMAGE = `~/.dockerhost/images/${DEBIAN_IMAGE_NAME}`;

export function expandHome(file: string): string {
  return file === "~" || file.startsWith("~/") ? path.join(os.homedir(), file.slice(1)) : file;
}

/** What a local VM boots: the image file (resolved), and a kernel of its own where it has one. */
export function bootFiles(
  image: string | undefined,
  args: { kernel?: string; initrd?: string; kernelArgs?: string },
): Pick<LocalVmConfig, "baseImage" | "fetchBaseImage" | "kernel" | "initrd" | "kernelArgs"> {
  return {
    baseImage: expandHome(image ?? DEFAULT_LOCAL_IMAGE),
    // The default image is the project's to fetch (and verify); a file you name is yours.
    ...(image === undefined ? { fetchBaseImage: true } : {}),
    ...(args.kernel ? { kernel: expandHome(args.kernel) } : {}),
    ...(args.initrd ? { initrd: expandHome(args.initrd) } : {}),
    ...(args.kernelArgs ? { kernelArgs: args.kernelArgs } : {}),
  };
}

/** Published container ports reachable from outside the guest, forwarded on 127.0.0.1. */
export function containerForwards(containers: ContainerSpec[]): PortForward[] {
  return containers.flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => !p.hostIp || p.hostIp === "0.0.0.0")
      .map((p) => {
        const port = p.external ?? p.internal;
        return { protocol: p.protocol ?? "tcp", hostPort: port, guestPort: port };
      }),
  );
}

function intIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** The local VM's own settings, checked at preview (files must exist, ports must not clash). */
export function localVmProblems(
  args: LocalDockerHostArgs,
  fileExists: (file: string) => boolean,
): string[] {
  const problems: string[] = [];
  problems.push(
    ...bakedImageProblems(
      args.bakedImage,
      "image",
      args.image !== undefined,
      "a LocalDockerHostImage's imagePath output",
    ),
  );
  if ((args.arch ?? "x86_64") !== "x86_64")
    problems.push(`arch: local hosts run x86_64 guests only; set arch to "x86_64"`);
  // An output (a bake's imagePath) is known only at deploy; the bake made the file then.
  const named = typeof args.image === "string" ? args.image : undefined;
  const image = expandHome(named ?? DEFAULT_LOCAL_IMAGE);
  // The default image is fetched when the VM starts; a file you name must be there.
  if (named !== undefined && !fileExists(image))
    problems.push(
      `image: ${image} does not exist; leave image unset to use Debian 12's genericcloud image ` +
        "(fetched and verified on the first up), or name a cloud image file that exists",
    );
  for (const key of ["kernel", "initrd"] as const) {
    const file = args[key];
    if (file !== undefined && !fileExists(expandHome(file)))
      problems.push(`${key}: ${expandHome(file)} does not exist`);
  }
  for (const key of ["initrd", "kernelArgs"] as const) {
    if (args[key] !== undefined && !args.kernel)
      problems.push(`${key}: only used with kernel; set kernel too or remove ${key}`);
  }
  const entry = OS_CATALOG[args.os ?? "debian-12"];
  const selinux = args.selinux ?? "os-default";
  // A directly booted kernel takes its command line from here; cloud-init cannot edit it.
  if (
    args.kernel &&
    entry &&
    selinuxNeedsKernelArg(entry, selinux) &&
    !(args.kernelArgs ?? "").split(/\s+/).includes(SELINUX_KERNEL_ARG)
  )
    problems.push(
      `kernelArgs: selinux "${selinux}" on ${entry.name} needs ${SELINUX_KERNEL_ARG} on the command line of a directly booted kernel; add it to kernelArgs`,
    );
  for (const [key, file] of [
    ["image", image],
    ["kernel", args.kernel],
    ["initrd", args.initrd],
  ])
    if (file?.includes(",")) problems.push(`${key}: QEMU cannot take a path with a comma: ${file}`);
  if (args.memoryMb !== undefined && !intIn(args.memoryMb, 1024, 1048576))
    problems.push("memoryMb: must be an integer of at least 1024 (cloud-init and dockerd need it)");
  if (args.cpus !== undefined && !intIn(args.cpus, 1, 64))
    problems.push("cpus: must be an integer from 1 to 64");
  for (const key of ["diskSizeGb", "dockerDiskSizeGb"] as const) {
    const value = args[key];
    if (value !== undefined && !intIn(value, 0, 65536))
      problems.push(`${key}: must be a whole number of GiB (0 to 65536)`);
  }
  const sshPort = args.sshPort ?? 2222;
  if (!intIn(sshPort, 1, 65535)) problems.push("sshPort: must be an integer from 1 to 65535");
  if (args.accelerator !== undefined && !ACCELERATORS.includes(args.accelerator))
    problems.push(`accelerator: must be one of ${ACCELERATORS.join(", ")}`);
  const accelerator = acceleratorPreviewProblem(args.accelerator);
  if (accelerator) problems.push(accelerator);
  for (const f of containerForwards(withEdge("", args.containers ?? [], args.edge)))
    if (f.protocol === "tcp" && f.hostPort === sshPort)
      problems.push(
        `containers: port ${f.hostPort} is the local sshPort; publish the container on another port or change sshPort`,
      );
  const published = new Set(
    containerForwards(withEdge("", args.containers ?? [], args.edge)).map((f) => f.hostPort),
  );
  (args.forwardPorts ?? []).forEach((port, i) => {
    if (!intIn(port, 1, 65535))
      problems.push(`forwardPorts[${i}]: must be an integer from 1 to 65535`);
    else if (port === sshPort)
      problems.push(
        `forwardPorts[${i}]: ${port} is the local sshPort; forward another port or change sshPort`,
      );
    else if (published.has(port))
      problems.push(
        `forwardPorts[${i}]: ${port} is a container's published port already; remove it here`,
      );
  });
  if (args.privateNetwork) {
    const { group, port, address } = args.privateNetwork;
    problems.push(...busProblems(group, port));
    if (!net.isIPv4(address))
      problems.push(
        `privateNetwork.address: ${JSON.stringify(address)} is not an IPv4 address. Give each member its own, e.g. "10.10.0.11".`,
      );
  }
  return problems;
}

/** The first-boot step's view of the fleet's NIC: its MAC, derived from its address. */
function privateInterface(args: LocalDockerHostArgs) {
  const p = args.privateNetwork;
  return p && net.isIPv4(p.address)
    ? {
        privateNetwork: {
          mac: busMac(p.address),
          address: p.address,
          prefixLength: BUS_PREFIX_LENGTH,
        },
      }
    : {};
}

/** What checkHostArgs needs to know of local hosts. Pure but for the image files' existence. */
export const LOCAL_TARGET: HostTarget<LocalDockerHostArgs> = {
  cloud: "local",
  defaultOs: "debian-12",
  onlyArch: "x86_64",
  schema: argsShape("LocalDockerHost"),
  requireSshCidrs: false,
  cloudProblems: (args) => [
    ...localVmProblems(args, fs.existsSync),
    ...secretStoreProblems(args.containers, undefined, "a local VM"),
  ],
  specExtras: privateInterface,
};
