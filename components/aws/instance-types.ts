import type { Arch } from "../bootstrap/types";

// Which CPU an EC2 instance type has, from its name: Graviton families carry a "g" after the
// generation digit (t4g, m7gd, c6gn, im4gn), plus the first-generation a1. Pure.

const FAMILY = /^([a-z]+)(\d+)([a-z-]*)\.[a-z0-9]+$/;

export function ec2InstanceArch(instanceType: string): Arch | undefined {
  const m = FAMILY.exec(instanceType);
  if (!m) return undefined;
  const [, letters, , suffix] = m;
  if (letters === "a" || suffix.includes("g")) return "arm64";
  return "x86_64";
}

export const DEFAULT_INSTANCE_TYPE: Record<Arch, string> = {
  x86_64: "t3.small",
  arm64: "t4g.small",
};

export function instanceTypeProblems(instanceType: string, arch: Arch): string[] {
  const actual = ec2InstanceArch(instanceType);
  if (!actual) {
    return [
      `instanceType: ${JSON.stringify(instanceType)} is not an EC2 instance type. Use e.g. "${DEFAULT_INSTANCE_TYPE[arch]}".`,
    ];
  }
  if (actual !== arch) {
    return [
      `instanceType: ${instanceType} is an ${actual} type but arch is ${arch}. Use an ${arch} type such as ${DEFAULT_INSTANCE_TYPE[arch]}, or set arch: "${actual}".`,
    ];
  }
  return [];
}
