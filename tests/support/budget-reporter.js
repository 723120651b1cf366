// A Jest reporter that writes each test file's wall time, its level, the guests it booted and
// whether it passed to .cache/budget.json, for the table that .ci/run prints at its end
// (scripts/budget-table.mjs). The guests are counted from the lines the VM support code logs
// when it starts one (`<name>: qemu pid N` for a host, `local bake ...: booting` for a bake).
const fs = require("node:fs");
const path = require("node:path");

const GUEST_LINE = /(: qemu pid \d+|local bake [^:]+: booting)/g;

class BudgetReporter {
  constructor(globalConfig) {
    this.root = globalConfig.rootDir;
    this.files = [];
  }

  onTestResult(test, result) {
    const logged = (result.console ?? []).map((entry) => String(entry.message)).join("\n");
    this.files.push({
      file: path.relative(this.root, result.testFilePath),
      level: test.context.config.displayName?.name ?? "",
      start: result.perfStats.start,
      end: result.perfStats.end,
      guests: (logged.match(GUEST_LINE) ?? []).length,
      passed: result.numFailingTests === 0 && !result.testExecError,
      tests: result.numPassingTests + result.numFailingTests,
    });
  }

  onRunComplete() {
    const dir = path.join(this.root, ".cache");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "budget.json"), JSON.stringify({ files: this.files }, null, 2));
  }
}

module.exports = BudgetReporter;
