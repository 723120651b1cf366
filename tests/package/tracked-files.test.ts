import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { trackedFileProblems } from "../support/tracked-files";

const root = path.resolve(__dirname, "..", "..");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-tracked-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function git(args: string[], cwd: string): void {
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], {
    cwd,
    stdio: "ignore",
  });
}

describe("tracked files", () => {
  it("this repository tracks no binary and no file over 1 MiB", () => {
    expect(trackedFileProblems(root)).toStrictEqual([]);
  });

  it("a committed package or a large file is named", () => {
    git(["init", "-q"], scratch);
    fs.writeFileSync(path.join(scratch, "notes.md"), "text only\n");
    fs.writeFileSync(path.join(scratch, "runc.deb"), Buffer.from([0x21, 0x3c, 0x00, 0x01]));
    fs.writeFileSync(path.join(scratch, "big.json"), "x".repeat(1024 * 1024 + 1));
    git(["add", "-f", "."], scratch);
    git(["commit", "-q", "-m", "bad"], scratch);
    expect(trackedFileProblems(scratch)).toStrictEqual([
      "big.json: 1048577 bytes, over the 1 MiB limit for tracked files.",
      "runc.deb: binary content.",
    ]);
  });
});
