import * as fs from "node:fs";

// KVM where the machine really offers it, QEMU's emulation otherwise. A /dev/kvm that opens is
// not proof: inside some cloud VMs it is a paravirtual KVM on which a stock kernel hangs, and
// those machines show no vmx/svm CPU flag. So both facts are required.

export const AcceleratorPreference = {
  Auto: "auto",
  Kvm: "kvm",
  Tcg: "tcg",
} as const;
export type AcceleratorPreference =
  (typeof AcceleratorPreference)[keyof typeof AcceleratorPreference];
export const ACCELERATORS: readonly AcceleratorPreference[] = Object.values(AcceleratorPreference);

export interface AcceleratorFacts {
  /** /dev/kvm exists and this user may open it read-write. */
  kvmDevice: "usable" | "missing" | "no-permission";
  /** The CPU advertises hardware virtualization (vmx or svm). */
  cpuVirtualization: boolean;
}

export interface AcceleratorChoice {
  accel: "kvm" | "tcg";
  /** Said to the user when `auto` falls back to emulation. */
  warning?: string;
}

export function kvmUnusableReason(facts: AcceleratorFacts): string | undefined {
  if (facts.kvmDevice === "missing") return "/dev/kvm does not exist";
  if (facts.kvmDevice === "no-permission")
    return "/dev/kvm is not writable by this user (add the user to the kvm group)";
  if (!facts.cpuVirtualization) return "the CPU shows no vmx/svm flag (no hardware virtualization)";
  return undefined;
}

export function chooseAccelerator(
  preference: AcceleratorPreference,
  facts: AcceleratorFacts,
): AcceleratorChoice {
  if (preference === "tcg") return { accel: "tcg" };
  const reason = kvmUnusableReason(facts);
  if (!reason) return { accel: "kvm" };
  if (preference === "kvm")
    throw new Error(
      `accelerator: "kvm" was asked but ${reason}; set accelerator to "auto" or "tcg"`,
    );
  return {
    accel: "tcg",
    warning: `KVM is not usable here (${reason}): the VM runs under QEMU's emulation, several times slower`,
  };
}

/**
 * At preview, on the machine that will run the VM: "kvm" asked where KVM cannot run fails now,
 * with the reason, rather than when the VM starts. `auto` and `tcg` never fail here.
 */
export function acceleratorPreviewProblem(
  preference: AcceleratorPreference | undefined,
  facts: () => AcceleratorFacts = probeAcceleratorFacts,
): string | undefined {
  if (preference !== "kvm") return undefined;
  const reason = kvmUnusableReason(facts());
  if (!reason) return undefined;
  return `accelerator: "kvm" was asked but ${reason} on this machine. Set accelerator to "auto" (KVM where usable, else emulation) or "tcg".`;
}

export function probeAcceleratorFacts(): AcceleratorFacts {
  let kvmDevice: AcceleratorFacts["kvmDevice"] = "usable";
  try {
    fs.accessSync("/dev/kvm", fs.constants.R_OK | fs.constants.W_OK);
  } catch (e) {
    kvmDevice = (e as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "no-permission";
  }
  let cpuVirtualization = false;
  try {
    cpuVirtualization = /^flags\s*:.*\b(vmx|svm)\b/m.test(fs.readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    cpuVirtualization = false;
  }
  return { kvmDevice, cpuVirtualization };
}
