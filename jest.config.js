// Jest, the runner the design names. Five projects, one per level (README, "Tests"):
//   npm test                                  every level, with coverage of components/
//   npm test -- --selectProjects unit         one level (or: npm run test:unit)
//   npm test -- tests/unit/ami.test.ts        one file
// TypeScript is transpiled per file by ts-jest (isolatedModules: no type-check there); the type
// check is `tsc -p tsconfig.json`, which npm test runs first (it also builds dist/, which the
// package level packs).

/** @type {import("ts-jest").TsJestTransformerOptions} */
const tsJest = { tsconfig: { isolatedModules: true } };

/** @param {string} level */
const project = (level) => ({
  displayName: level,
  testEnvironment: "node",
  roots: [`<rootDir>/tests/${level}`],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", tsJest] },
  moduleFileExtensions: ["ts", "js", "json"],
});

/** @type {import("jest").Config} */
module.exports = {
  projects: ["unit", "bootstrap", "package", "vm", "engine"].map(project),
  // A bound per test: loading @pulumi/aws and azure-native alone takes seconds on a busy machine,
  // and the package level packs, installs and compiles. The VM files set their own.
  testTimeout: 180_000,
  collectCoverageFrom: ["components/**/*.ts"],
  coverageProvider: "v8",
  coverageReporters: ["text-summary", "json-summary"],
  coverageDirectory: "<rootDir>/.cache/coverage",
  // Two files at a time: the two VM scenarios boot side by side (under emulation much of a boot
  // is single-threaded, so two guests share two cores better than one).
  maxWorkers: 2,
  testSequencer: "<rootDir>/tests/support/vm-first-sequencer.js",
  verbose: true,
  // The budget table at the end of .ci/run reads what this reporter writes (.cache/budget.json).
  reporters: ["default", "<rootDir>/tests/support/budget-reporter.js"],
};
