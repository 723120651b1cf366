import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { docTableAfter, readDoc } from "../support/docs-page";
import { planUp, type PlannedStep } from "../support/plan/engine-plan";
import { recordRegistrations } from "../support/plan/registrations";
import { SCENARIOS } from "../support/plan/scenarios";
import { runStackTwice } from "../support/plan/two-runs";
import { useMocks } from "../support/pulumi-mocks";

// docs/lifecycle.md's step tables are what the engine's rules give for the resources the stack
// really registers (tests/support/plan/engine-plan.ts): a change of the code that changes an
// order changes a table, and this test says which. DOCKERHOST_WRITE_LIFECYCLE=1 writes the
// derived tables into the page instead (then read the diff: every changed row is a change of
// what `pulumi up` does).

const recorded = useMocks("dev");
const registrations = recordRegistrations();
const PAGE = "lifecycle.md";

const row = (s: PlannedStep, i: number) => [String(i + 1), `\`${s.resource}\``, s.kind, s.why];

function markdownTable(steps: PlannedStep[]): string {
  const lines = [["#", "resource", "step", "why"], ...steps.map(row)];
  return [
    `| ${lines[0].join(" | ")} |`,
    "| - | - | - | - |",
    ...lines.slice(1).map((cells) => `| ${cells.join(" | ")} |`),
  ].join("\n");
}

function writeTable(heading: string, table: string): void {
  const file = path.join(__dirname, "..", "..", "docs", PAGE);
  const text = readDoc(PAGE);
  const at = text.indexOf(`\n### ${heading}\n`);
  if (at < 0) throw new Error(`docs/${PAGE} has no heading "### ${heading}"`);
  const start = text.indexOf("\n| #", at);
  const end = text.indexOf("\n\n", start + 1);
  fs.writeFileSync(file, text.slice(0, start + 1) + table + text.slice(end));
}

describe("docs/lifecycle.md: the engine's steps for each day-2 change", () => {
  it.each(SCENARIOS.map((s) => [s.heading, s] as const))("%s", async (heading, scenario) => {
    const { before, after } = await runStackTwice(registrations, recorded, scenario);
    const steps = planUp({ before, after, keepOutputs: scenario.keepOutputs });
    if (process.env.DOCKERHOST_WRITE_LIFECYCLE) writeTable(heading, markdownTable(steps));
    const documented = docTableAfter(PAGE, `### ${heading}`).slice(1);
    expect(documented.map((cells) => cells.slice(1, 5))).toStrictEqual(steps.map(row));
  });
});
