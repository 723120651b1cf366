import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// What a repository may track: text, each file under 1 MiB. Packages, images and downloads are
// fetched by scripts/setup.sh or the tests, never committed.

export const MAX_TRACKED_BYTES = 1024 * 1024;

/** Files allowed to break the rule, each with the reason. None today. */
export const TRACKED_FILE_ALLOW_LIST: Record<string, string> = {};

/** Git's own test for binary content: a NUL byte in the first 8000 bytes. */
export function looksBinary(head: Buffer): boolean {
  return head.subarray(0, 8000).includes(0);
}

export function trackedFileProblems(repo: string): string[] {
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: repo, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  const problems: string[] = [];
  for (const file of files) {
    if (file in TRACKED_FILE_ALLOW_LIST) continue;
    const full = path.join(repo, file);
    if (!fs.existsSync(full)) continue; // deleted in the work tree, not yet committed
    const size = fs.statSync(full).size;
    if (size > MAX_TRACKED_BYTES) {
      problems.push(`${file}: ${size} bytes, over the 1 MiB limit for tracked files.`);
      continue;
    }
    const fd = fs.openSync(full, "r");
    const head = Buffer.alloc(8000);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    if (looksBinary(head.subarray(0, read))) problems.push(`${file}: binary content.`);
  }
  return problems;
}
