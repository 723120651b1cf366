import type { Arch } from "../bootstrap/types";

// Both clouds name their machine sizes so that the CPU can be read off the name; the checks and
// their messages are the same, only the field, the reader and the defaults differ. Pure.

export interface SizeCatalog {
  /** The argument's name, e.g. "instanceType". */
  field: string;
  /** What the value is, e.g. "EC2 instance type". */
  kind: string;
  archOf: (size: string) => Arch | undefined;
  defaults: Record<Arch, string>;
}

export function sizeArchProblems(catalog: SizeCatalog, size: string, arch: Arch): string[] {
  const { field, kind, archOf, defaults } = catalog;
  const actual = archOf(size);
  if (!actual) {
    return [`${field}: ${JSON.stringify(size)} is not an ${kind}. Use e.g. "${defaults[arch]}".`];
  }
  if (actual !== arch) {
    return [
      `${field}: ${size} is an ${actual} ${kind.split(" ").pop()} but arch is ${arch}. Use an ${arch} ${kind.split(" ").pop()} such as ${defaults[arch]}, or set arch: "${actual}".`,
    ];
  }
  return [];
}
