import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { docPages, readDoc } from "../support/docs-page";

// What the README and the pages of docs/ tell a user must hold for a user: no references to the
// project's own work items (a reader cannot see them), install lines that work as written, links
// that lead to a page and a heading that exist, and a README short enough to read in minutes.

const root = path.join(__dirname, "..", "..");
const pages = ["README.md", ...docPages()];
const readme = pages.map(readDoc).join("\n");

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, "")
    .replace(/ /g, "-");

function headings(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = /^#+ (.*)$/.exec(line);
    if (m && !fenced) out.push(anchor(m[1]));
  }
  return out;
}

describe("README and docs claims", () => {
  it("keeps the README under 150 lines, the rest in docs/", () => {
    expect(readDoc("README.md").split("\n").length).toBeLessThanOrEqual(150);
    expect(docPages().length).toBeGreaterThanOrEqual(8);
  });

  it("links only to pages and headings that exist", () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readDoc(page);
      for (const m of text.matchAll(/\]\(([\w./-]*\.md)?(?:#([\w-]+))?\)/g)) {
        const [link, file, hash] = [m[0], m[1], m[2]];
        if (!file && !hash) continue;
        // docs/reference/ is a folder of its own; the other pages are docs/ or the README.
        const name = file ? (file.startsWith("reference/") ? file : path.basename(file)) : page;
        const inDocs = page !== "README.md" || (file ?? "").startsWith("docs/");
        const target =
          file === undefined ? page : inDocs && name !== "README.md" ? name : "README.md";
        const exists =
          docPages().includes(target) ||
          fs.existsSync(path.join(__dirname, "..", "..", "docs", target));
        if (target !== "README.md" && !exists) {
          broken.push(`${page}: ${link} (no page ${target})`);
          continue;
        }
        if (hash && !headings(readDoc(target)).includes(hash))
          broken.push(`${page}: ${link} (no heading #${hash} in ${target})`);
      }
    }
    expect(broken).toStrictEqual([]);
  });

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
