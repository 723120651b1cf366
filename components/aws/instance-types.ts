import type { Arch } from "../bootstrap/types";
import { sizeArchProblems } from "../host/arch-check";

// Which CPU an EC2 instance type has, from its name: Graviton families carry a "g" after the
// generation digit (t4g, m7gd, c6gn, im4gn), plus the first-generation a1. EC2 Mac instances are
// Intel for mac1 and Apple silicon for every later one (mac2, mac2-m2, mac2-m2pro, mac-m4...:
// AWS's "Amazon EC2 Mac instances" page). Pure.

const FAMILY = /^([a-z]+)(\d+)([a-z-]*)\.[a-z0-9]+$/;
const MAC = /^mac(\d*)(-[a-z0-9]+)?\.[a-z0-9]+$/;

export function ec2InstanceArch(instanceType: string): Arch | undefined {
  const mac = MAC.exec(instanceType);
  if (mac) return mac[1] === "1" ? "x86_64" : "arm64";
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

export function instanceTypeProblems(size: string, arch: Arch): string[] {
  if (MAC.test(size)) {
    return [
      `instanceType: ${size} is an EC2 Mac instance, which runs macOS only; dockerhost hosts run Linux. Use e.g. "${DEFAULT_INSTANCE_TYPE[arch]}".`,
    ];
  }
  return sizeArchProblems(
    {
      field: "instanceType",
      kind: "EC2 instance type",
      archOf: ec2InstanceArch,
      defaults: DEFAULT_INSTANCE_TYPE,
    },
    size,
    arch,
  );
}
