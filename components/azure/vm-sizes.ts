import type { Arch } from "../bootstrap/types";
import { sizeArchProblems } from "../host/arch-check";

// Which CPU an Azure VM size has, from its name: Arm64 (Ampere, Cobalt) sizes carry a "p" among
// the feature letters after the vCPU count (Standard_D2ps_v5, Standard_E4pds_v5,
// Standard_B2pts_v2, Standard_D2ps_v6). Constrained-vCPU sizes put the active vCPU count after a
// dash (Standard_E4-2ds_v5: an E4ds_v5 with 2 active vCPUs). Pure.

const SIZE = /^Standard_([A-Z]+)(\d+)(?:-(\d+))?([a-z]*)((?:_[A-Za-z0-9]+)*)$/;

export interface AzureSizeParts {
  family: string;
  vcpus: number;
  /** Constrained-vCPU sizes: the vCPUs that run. */
  activeVcpus?: number;
  features: string;
  /** "_v5", "_A100_v4", or "" for first versions. */
  version: string;
}

export function azureSizeParts(size: string): AzureSizeParts | undefined {
  const m = SIZE.exec(size);
  if (!m) return undefined;
  return {
    family: m[1],
    vcpus: Number(m[2]),
    ...(m[3] ? { activeVcpus: Number(m[3]) } : {}),
    features: m[4],
    version: m[5],
  };
}

export function azureSizeArch(size: string): Arch | undefined {
  const parts = azureSizeParts(size);
  if (!parts) return undefined;
  return parts.features.includes("p") ? "arm64" : "x86_64";
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
