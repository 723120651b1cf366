#!/usr/bin/env node
// The one test command: compile, then run every level with Node's test runner.
// Levels: unit (mocks), bootstrap (cloud-init schema + shellcheck), vm (a real QEMU guest).
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const started = Date.now();
const levels = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["unit", "bootstrap", "package", "vm"];
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], {
  stdio: "inherit",
});

const ran = [];
const files = levels.flatMap((level) => {
  const dir = join("dist", "tests", level);
  if (!existsSync(dir)) return [];
  const found = readdirSync(dir)
    .filter((f) => f.endsWith(".test.js"))
    .map((f) => join(dir, f));
  if (found.length) ran.push(level);
  return found;
});
if (files.length === 0) {
  console.error(`no test files for levels: ${levels.join(", ")}`);
  process.exit(1);
}
// Two files at a time: the two VM scenarios then boot side by side. Under emulation much of a
// boot is single-threaded (dpkg, Python), so two guests share the two cores better than one.
const result = spawnSync(
  process.execPath,
  ["--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  {
    stdio: "inherit",
  },
);
console.log(`\ntests (${ran.join(", ")}) took ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
