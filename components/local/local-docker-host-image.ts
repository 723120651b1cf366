import { argsShape } from "../core/args-shape";
import * as fs from "node:fs";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { localBakeUserData } from "../bootstrap/baked-image";
import { installFingerprint } from "../bootstrap/install-half";
import { checkImageArgs, type DockerHostImageArgs } from "../host/image-args";
import { nodeCli } from "../remote/node-cli";
import type { AcceleratorPreference } from "./accelerator";
import type { BakedLocalImage, LocalBakeRequest } from "./image-bake";
import { bootFiles, expandHome, localVmProblems } from "./local-args";

export interface LocalDockerHostImageArgs extends DockerHostImageArgs {
  /** The base image file (default: Debian 12 genericcloud, fetched and verified like a host's). */
  image?: string;
  kernel?: string;
  initrd?: string;
  kernelArgs?: string;
  /** The bake VM's memory in MiB (default 2048) and CPUs (default 2). */
  memoryMb?: number;
  cpus?: number;
  accelerator?: AcceleratorPreference;
  /** Where baked images are kept (default ~/.dockerhost/images/baked). */
  directory?: string;
  /** Longest the bake may take (default 1800 s; emulation without KVM is several times slower). */
  timeoutSeconds?: number;
}

export const DEFAULT_BAKE_DIRECTORY = "~/.dockerhost/images/baked";

/**
 * The install half of a host baked into a local qcow2: the base image booted once with the bake's
 * user-data (install, clean up, power off) and flattened, cached under a hash of what went in.
 * `imagePath` is what LocalDockerHost takes as `image` (bakedImage: true).
 */
export class LocalDockerHostImage extends pulumi.ComponentResource {
  /** The baked qcow2 on this machine. */
  public readonly imagePath!: pulumi.Output<string>;
  /** What went into the bake (installFingerprint). */
  public readonly fingerprint!: pulumi.Output<string>;
  /** How long the bake took (its first run; later runs reuse the cached image). */
  public readonly bakeSeconds!: pulumi.Output<number>;

  constructor(
    name: string,
    args: LocalDockerHostImageArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("dockerhost:index:LocalDockerHostImage", name, {}, opts);
    const host = checkImageArgs(
      args,
      {
        cloud: "local",
        defaultOs: "debian-12",
        onlyArch: "x86_64",
        schema: argsShape("LocalDockerHostImage"),
      },
      // The same file, memory and kernel checks as a host's VM.
      (a) => localVmProblems({ ...a, sshPublicKey: "" }, fs.existsSync),
    );
    const fingerprint = installFingerprint(host);
    const request: LocalBakeRequest = {
      name,
      directory: expandHome(args.directory ?? DEFAULT_BAKE_DIRECTORY),
      ...bootFiles(args.image, args),
      memoryMb: args.memoryMb ?? 2048,
      cpus: args.cpus ?? 2,
      accelerator: args.accelerator ?? "auto",
      userData: localBakeUserData(host),
      fingerprint,
      timeoutSeconds: args.timeoutSeconds ?? 1800,
    };
    const cli = nodeCli(__dirname, "vm-cli");
    const bake = new command.local.Command(
      `${name}-bake`,
      {
        create: `${cli} bake`,
        // The image file only: hosts booted from it were replaced or deleted before this runs.
        // Reads the create's stdout ($PULUMI_COMMAND_STDOUT) for the image to remove.
        delete: `${cli} bake-remove`,
        stdin: JSON.stringify(request),
      },
      { parent: this, replaceOnChanges: ["*"], customTimeouts: { create: "40m" } },
    );
    const baked = bake.stdout.apply((out) => JSON.parse(out) as BakedLocalImage);
    this.imagePath = baked.apply((b) => b.imagePath);
    this.fingerprint = pulumi.output(fingerprint);
    this.bakeSeconds = baked.apply((b) => b.bakeSeconds);
    this.registerOutputs({
      imagePath: this.imagePath,
      fingerprint: this.fingerprint,
      bakeSeconds: this.bakeSeconds,
    });
  }
}
