import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";

// What the README tells a user must hold for a user: no references to the project's own work
// items (a reader cannot see them), and install lines that work as written.

const root = path.join(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

describe("README claims", () => {
  it("refers to no work item", () => {
    expect(readme.match(/\b(issue|task|ticket) #?\d+\b.*/gi) ?? []).toStrictEqual([]);
  });

  it("gives no install line for a package the registry does not have", () => {
    // The package is not published: `npm install dockerhost` answers 404.
    expect(
      readme.match(/^.*`npm (install|i) dockerhost`(?! answers 404).*$/gm) ?? [],
    ).toStrictEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    // The git install compiles through `prepare`.
    expect(pkg.scripts.prepare).toBe("tsc -p tsconfig.json");
  });
});
