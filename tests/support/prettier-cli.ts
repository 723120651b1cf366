import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The text as `prettier --write` would leave it at `file`, for the files a test generates. (The
 * CLI: Prettier's API loads its plugins by dynamic import, which Jest refuses without ESM.)
 */
export function formatted(file: string, text: string): string {
  const cli = path.join(ROOT, "node_modules", "prettier", "bin", "prettier.cjs");
  return execFileSync(process.execPath, [cli, "--stdin-filepath", file], {
    input: text,
    encoding: "utf8",
  });
}
