import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { analyzedSchema, ROOT } from "../support/analyzed-schema";
import { readOnChangePage } from "../support/reference/on-change";
import { referencePages } from "../support/reference/pages";
import { formatted } from "../support/prettier-cli";

// docs/reference/ is the analyzer's schema of the components, rendered (reference-pages.ts) and
// formatted as the repository formats markdown: an input added, renamed or documented anew in
// the TypeScript interface changes a page, and this test says which until the page is
// rewritten (DOCKERHOST_WRITE_REFERENCE=1 npm test -- --selectProjects package -- reference).
// on-change.md is the unit level's (reference-on-change*.test.ts run the components).

const DIR = path.join(ROOT, "docs", "reference");

describe("docs/reference/: the components' inputs and outputs, from the schema", () => {
  it("has exactly the pages of the schema's components and types, each as rendered", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(ROOT, "dist", "components", "index.js")) as object;
    const components = new Set(getPulumiComponents(exported).map((c) => c.name));
    const typescriptOnly = Object.entries(exported)
      .filter(([name, value]) => typeof value === "function" && !components.has(name))
      .map(([name]) => name);
    // The "on change" column is read from on-change.md, which the unit level derives and writes
    // (tests/unit/reference-on-change*.test.ts): write that first, then these pages.
    const pages = referencePages(await analyzedSchema(), typescriptOnly, readOnChangePage() ?? "");
    const want = Object.fromEntries(
      await Promise.all(
        Object.entries(pages).map(
          async ([name, text]) => [name, await formatted(path.join(DIR, name), text)] as const,
        ),
      ),
    );
    if (process.env.DOCKERHOST_WRITE_REFERENCE) {
      fs.mkdirSync(DIR, { recursive: true });
      for (const [name, text] of Object.entries(want)) fs.writeFileSync(path.join(DIR, name), text);
    }
    expect(fs.readdirSync(DIR).sort()).toStrictEqual([...Object.keys(want), "on-change.md"].sort());
    for (const [name, text] of Object.entries(want))
      expect(`${name}:\n${fs.readFileSync(path.join(DIR, name), "utf8")}`).toBe(
        `${name}:\n${text}`,
      );
  });
});
