import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalDockerHostArgs } from "../../../components/local/local-args";
import { BASE_CHANGES, BASE_DEPLOYED, hostRuns, type HostChange } from "./host-changes";
import type { ChangeRun } from "./field-changes";

// A LocalDockerHost's inputs, one change each (host-changes.ts has the fields every host shares).
// Its files are empty stand-ins: the component only checks that they exist.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-on-change-"));
export const file = (name: string) => {
  const at = path.join(dir, name);
  fs.writeFileSync(at, "");
  return at;
};
export const removeLocalFiles = () => fs.rmSync(dir, { recursive: true, force: true });

const IMAGE = file("debian-12-genericcloud-amd64.qcow2");

export const LOCAL_DEPLOYED: LocalDockerHostArgs = { ...BASE_DEPLOYED, image: IMAGE };

/** A guest booted from a kernel of its own: the same rows for a host and a bake. */
export const KERNEL_CHANGES = {
  kernel: {
    change: { kernel: file("vmlinuz"), initrd: file("initrd.img") },
    shown: "a kernel file",
    note: "with `initrd`",
  },
  initrd: {
    deployed: { kernel: file("vmlinuz") },
    change: { initrd: file("initrd.img") },
    shown: "an initrd file",
    note: "with `kernel` deployed",
  },
  kernelArgs: {
    deployed: { kernel: file("vmlinuz") },
    change: { kernelArgs: "console=ttyS0 quiet" },
    note: "with `kernel` deployed",
  },
} satisfies Record<"kernel" | "initrd" | "kernelArgs", HostChange<LocalDockerHostArgs>>;

const LOCAL_ONLY: Record<
  Exclude<keyof LocalDockerHostArgs, keyof typeof BASE_CHANGES>,
  HostChange<LocalDockerHostArgs>
> = {
  image: { change: { image: file("debian-12-2026-11.qcow2") }, shown: "another image file" },
  ...KERNEL_CHANGES,
  memoryMb: { change: { memoryMb: 4096 } },
  cpus: { change: { cpus: 4 } },
  diskSizeGb: { change: { diskSizeGb: 40 } },
  dockerDiskSizeGb: {
    change: { dockerDiskSizeGb: 40 },
    note: "its step runs again and keeps the existing disk at its size: docs/local.md",
  },
  sshPort: { change: { sshPort: 2299 } },
  accelerator: { change: { accelerator: "tcg" } },
  privateNetwork: {
    change: { privateNetwork: { group: "239.10.0.1", port: 40100, address: "10.10.0.11" } },
  },
  forwardPorts: { change: { forwardPorts: [8443] } },
};

export const LOCAL_CHANGES: Record<keyof LocalDockerHostArgs, HostChange<LocalDockerHostArgs>> = {
  ...(BASE_CHANGES as Record<keyof typeof BASE_CHANGES, HostChange<LocalDockerHostArgs>>),
  ...LOCAL_ONLY,
};

export function localRuns(): ChangeRun[] {
  return hostRuns(LOCAL_DEPLOYED, LOCAL_CHANGES, (m, args) => {
    const host = new m.LocalDockerHost("l1", args);
    return [host.ready, host.endpoints];
  });
}
