import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "examples/**/node_modules/", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  // The walls of DESIGN's layout: imports run one way, core/ <- bootstrap/ <- the rest. A file
  // that imports against the flow fails `npm run lint`. (The rooms above bootstrap/ get theirs
  // as their imports are straightened.)
  {
    files: ["components/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../*"],
              message: "core/ is the bottom room: it imports nothing else of the project.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["components/bootstrap/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../*", "!../core", "!../core/*"],
              message:
                "bootstrap/ imports core/ only: what runs on the VM knows no SSH, service, swarm or cloud code.",
            },
            {
              group: ["@pulumi/*"],
              message: "bootstrap/ is pure (plain data for cloud-init): no Pulumi imports.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["jest.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable" } },
  },
  {
    // Jest loads its sequencer untransformed: CommonJS.
    files: ["tests/support/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { module: "writable", require: "readonly", process: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
