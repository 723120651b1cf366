import * as fs from "node:fs";
import * as path from "node:path";
import { localBakeUserData, resolveBakeSpec } from "../../components/bootstrap/baked-image";
import type { HardeningProfile, SelinuxMode } from "../../components/bootstrap/types";
import { installFingerprint } from "../../components/bootstrap/install-half";
import type { BakedLocalImage, LocalBakeRequest } from "../../components/local/image-bake";
import { runCli, VM_CLI } from "./guest-boot";
import { ensureGuestImage, guestCacheDir, type GuestImage } from "./guest-image";

// The guest image baked the way LocalDockerHostImage bakes it: vm-cli `bake`, the bake's
// user-data for debian-12, cached beside the guest image (a second run is a file lookup).
// A bake may start from another bake (`on`): its packages are there already, so the bake's own
// install lines (the same as from the plain image) add only what the first one lacks. The VM
// level bakes strict on the baseline bake that local-host and swarm-fleet use, and pays the
// packages' install once (from the plain image, proven by that bake and by local-host's cold host).

export interface BakedGuest {
  image: GuestImage;
  baked: BakedLocalImage;
}

export async function ensureBakedGuestImage(
  hardening: HardeningProfile = "baseline",
  log: (line: string) => void = console.log,
  options: { selinux?: SelinuxMode; on?: BakedGuest } = {},
): Promise<BakedGuest> {
  const base = options.on?.image ?? ensureGuestImage(log);
  const host = resolveBakeSpec({
    os: "debian-12",
    arch: "x86_64",
    cloud: "local",
    hardening,
    ...(options.selinux ? { selinux: options.selinux } : {}),
  });
  const layered = options.on ? `-on-${path.basename(options.on.baked.imagePath, ".qcow2")}` : "";
  const request: LocalBakeRequest = {
    name: `debian-12-${hardening}${options.selinux ? `-selinux-${options.selinux}` : ""}${layered}`,
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
    // A bound, not a timing: CI's run of 2026-12-03 took 1,435.6 s beside two other guests.
    timeoutSeconds: 2400,
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
