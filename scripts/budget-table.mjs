#!/usr/bin/env node
// The CI budget, printed at the end of .ci/run: each VM test file's wall time, its lane (the Jest
// worker it ran in, as the start and end times place it), the guests it booted and its result;
// the other levels summed per level; and the whole run against the 40-minute target.
//   node scripts/budget-table.mjs --started <epoch s> --setup-done <epoch s>
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { started: { type: "string" }, "setup-done": { type: "string" } },
});
const file = new URL("../.cache/budget.json", import.meta.url);
if (!existsSync(file)) {
  console.log("budget: no .cache/budget.json (npm test did not get to its end)");
  process.exit(0);
}
const { files } = JSON.parse(readFileSync(file, "utf8"));
const s = (ms) => (ms / 1000).toFixed(0);

// Lanes: each file takes the first lane that was free when it started.
const lanes = [];
const laneOf = new Map();
for (const f of [...files].sort((a, b) => a.start - b.start)) {
  let lane = lanes.findIndex((end) => end <= f.start + 1000);
  if (lane < 0) lane = lanes.push(0) - 1;
  lanes[lane] = f.end;
  laneOf.set(f.file, lane + 1);
}
const first = Math.min(...files.map((f) => f.start));
const last = Math.max(...files.map((f) => f.end));
const rows = [["file", "lane", "guests", "start (s)", "wall (s)", "tests", "result"]];
for (const f of files.filter((x) => x.level === "vm").sort((a, b) => a.start - b.start))
  rows.push([
    f.file,
    String(laneOf.get(f.file)),
    String(f.guests),
    s(f.start - first),
    s(f.end - f.start),
    String(f.tests),
    f.passed ? "pass" : "FAIL",
  ]);
for (const level of [...new Set(files.map((f) => f.level))].filter((l) => l !== "vm")) {
  const of = files.filter((f) => f.level === level);
  const lanesUsed = [...new Set(of.map((f) => laneOf.get(f.file)))].sort().join(",");
  rows.push([
    `${level} (${of.length} files, summed)`,
    lanesUsed,
    String(of.reduce((n, f) => n + f.guests, 0)),
    s(Math.min(...of.map((f) => f.start)) - first),
    s(of.reduce((n, f) => n + (f.end - f.start), 0)),
    String(of.reduce((n, f) => n + f.tests, 0)),
    of.every((f) => f.passed) ? "pass" : "FAIL",
  ]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log("\nCI budget (.ci/run)");
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join("  "));
const now = Date.now() / 1000;
const started = Number(values.started);
const setupDone = Number(values["setup-done"]);
if (started) {
  const whole = now - started;
  console.log(
    `whole .ci/run: ${whole.toFixed(0)} s (${(whole / 60).toFixed(1)} min; target 40 min)` +
      (setupDone ? `: setup ${(setupDone - started).toFixed(0)} s, ` : ": ") +
      `jest ${s(last - first)} s`,
  );
}
