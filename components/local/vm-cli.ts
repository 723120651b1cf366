#!/usr/bin/env node
// The entry point LocalDockerHost's commands run (create/delete of @pulumi/command's local
// Command): each subcommand is one lifecycle function, so the component runs tested code.
//   start                      LocalVmConfig as JSON on stdin; prints the running VM as JSON
//                              (fetches the default image first: $DOCKERHOST_IMAGE_SITE or Debian's)
//   stop <dir>                 stops the VM and removes its directory
//   data-disk-create <file> <gb>
//   data-disk-remove <file>
//   bake                       LocalBakeRequest as JSON on stdin; prints the baked image as JSON
//   bake-remove [image]        removes a baked image (default: the one in $PULUMI_COMMAND_STDOUT)
import { readStdin, runCliMain } from "../remote/cli-io";
import { ensureDataDisk, removeDataDisk, startVm, stopVm } from "./vm-lifecycle";
import type { LocalVmConfig } from "./vm-config";
import { DEBIAN_IMAGE_SITE, ensureBaseImage, IMAGE_SITE_ENV } from "./base-image";
import {
  bakeLocalImage,
  removeBakedImage,
  type BakedLocalImage,
  type LocalBakeRequest,
} from "./image-bake";

async function fetchDefaultImage(file: string): Promise<void> {
  const site = process.env[IMAGE_SITE_ENV] || DEBIAN_IMAGE_SITE;
  const started = Date.now();
  const outcome = await ensureBaseImage(file, site);
  const took = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`local image ${file}: ${outcome} in ${took} s\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "start": {
      const vm = JSON.parse(await readStdin()) as LocalVmConfig;
      if (vm.fetchBaseImage) await fetchDefaultImage(vm.baseImage);
      const running = await startVm(vm);
      process.stdout.write(`${JSON.stringify(running)}\n`);
      return;
    }
    case "stop": {
      const { stoppedPid } = await stopVm(rest[0]);
      process.stderr.write(stoppedPid ? `stopped qemu pid ${stoppedPid}\n` : "no VM was running\n");
      return;
    }
    case "data-disk-create": {
      const outcome = await ensureDataDisk(rest[0], Number(rest[1]));
      process.stderr.write(`data disk ${rest[0]}: ${outcome}\n`);
      return;
    }
    case "data-disk-remove":
      removeDataDisk(rest[0]);
      return;
    case "bake": {
      const { fetchBaseImage, ...config } = JSON.parse(await readStdin()) as LocalBakeRequest;
      if (fetchBaseImage) await fetchDefaultImage(config.baseImage);
      const baked = await bakeLocalImage(config);
      process.stdout.write(`${JSON.stringify(baked)}\n`);
      return;
    }
    case "bake-remove": {
      const created = process.env.PULUMI_COMMAND_STDOUT;
      const image = rest[0] ?? (created ? (JSON.parse(created) as BakedLocalImage).imagePath : "");
      if (image) removeBakedImage(image);
      return;
    }
    default:
      throw new Error(
        `usage: vm-cli start|stop <dir>|data-disk-create <file> <gb>|data-disk-remove <file>|bake|bake-remove [image]`,
      );
  }
}

runCliMain(main);
