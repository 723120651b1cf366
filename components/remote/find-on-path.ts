import * as fs from "node:fs";
import * as path from "node:path";

// Where a program the deployer runs (qemu, ssh, docker) is on PATH, so a missing one is named
// before anything runs instead of failing as an ENOENT.

export function findOnPath(
  program: string,
  searchPath = process.env.PATH ?? "",
): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
