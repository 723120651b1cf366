import * as fs from "node:fs";
import * as path from "node:path";
import { localBakeUserData, resolveBakeSpec } from "../../components/bootstrap/baked-image";
import type { HardeningProfile } from "../../components/bootstrap/types";
import { installFingerprint } from "../../components/bootstrap/install-half";
import type { BakedLocalImage, LocalBakeRequest } from "../../components/local/image-bake";
import { runCli, VM_CLI } from "./guest-boot";
import { ensureGuestImage, guestCacheDir, type GuestImage } from "./guest-image";

// The guest image baked the way LocalDockerHostImage bakes it: vm-cli `bake`, the bake's
// user-data for debian-12, cached beside the guest image (a second run is a file lookup).

export interface BakedGuest {
  image: GuestImage;
  baked: BakedLocalImage;
}

export async function ensureBakedGuestImage(
  hardening: HardeningProfile = "baseline",
  log: (line: string) => void = console.log,
): Promise<BakedGuest> {
  const base = ensureGuestImage(log);
  const host = resolveBakeSpec({ os: "debian-12", arch: "x86_64", cloud: "local", hardening });
  const request: LocalBakeRequest = {
    name: `debian-12-${hardening}`,
    directory: path.join(guestCacheDir(), "baked"),
    baseImage: base.rootfs,
    kernel: base.kernel,
    initrd: base.initrd,
    kernelArgs: base.kernelArgs,
    memoryMb: 2048,
    cpus: 2,
    accelerator: "auto",
    userData: localBakeUserData(host),
    fingerprint: installFingerprint(host),
    timeoutSeconds: 1500,
  };
  const { stdout, stderr } = await runCli(VM_CLI, "bake", { stdin: JSON.stringify(request) });
  if (stderr.trim()) log(stderr.trim());
  const baked = JSON.parse(stdout) as BakedLocalImage;
  // A bake of other inputs is stale once this one exists: 1.3 GB each, never read again.
  for (const file of fs.readdirSync(request.directory))
    if (file.startsWith(`${request.name}-`) && !file.startsWith(`${request.name}-${baked.key}`))
      fs.rmSync(path.join(request.directory, file), { recursive: true, force: true });
  log(
    `baked image ${baked.imagePath}: ${baked.reused ? "reused" : "baked"} (bake took ${baked.bakeSeconds} s)`,
  );
  return { image: { ...base, rootfs: baked.imagePath }, baked };
}
