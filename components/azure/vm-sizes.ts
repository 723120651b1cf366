import type { Arch } from "../bootstrap/types";
import { sizeArchProblems } from "../host/arch-check";

// Which CPU an Azure VM size has, from its name: Arm64 (Ampere) sizes carry a "p" among the
// feature letters after the vCPU count (Standard_D2ps_v5, Standard_E4pds_v5, Standard_B2pts_v2).

const SIZE = /^Standard_([A-Z]+)(\d+)([a-z]*)(_[A-Za-z0-9_]+)?$/;

export function azureSizeArch(size: string): Arch | undefined {
  const m = SIZE.exec(size);
  if (!m) return undefined;
  return m[3].includes("p") ? "arm64" : "x86_64";
}

export const DEFAULT_VM_SIZE: Record<Arch, string> = {
  x86_64: "Standard_D2s_v5",
  arm64: "Standard_D2ps_v5",
};

export function vmSizeProblems(size: string, arch: Arch): string[] {
  return sizeArchProblems(
    { field: "vmSize", kind: "Azure VM size", archOf: azureSizeArch, defaults: DEFAULT_VM_SIZE },
    size,
    arch,
  );
}
