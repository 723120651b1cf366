import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * What each room above bootstrap/ may import, besides itself and packages. compose/ reads a file
 * into the specs of core/ and imports nothing else; services/ and swarm/ check what it read
 * (compose-app.ts, compose-swarm-app.ts); swarm/ builds on services/ (a swarm service runs on the
 * same engine provider and topology). A target never imports another target.
 */
const ROOMS_BELOW = {
  remote: ["core", "bootstrap"],
  compose: ["core"],
  services: ["core", "bootstrap", "remote", "compose"],
  swarm: ["core", "bootstrap", "remote", "compose", "services"],
  host: ["core", "bootstrap", "remote", "services", "swarm", "compose"],
  aws: ["core", "bootstrap", "remote", "services", "swarm", "compose", "host"],
  azure: ["core", "bootstrap", "remote", "services", "swarm", "compose", "host"],
  local: ["core", "bootstrap", "remote", "services", "swarm", "compose", "host"],
};

function wallsAbove() {
  return Object.entries(ROOMS_BELOW).map(([room, below]) => ({
    files: [`components/${room}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          // The package's index is the top: no room imports it.
          paths: ["..", "../index"].map((name) => ({ name, message: "index.ts is the top room." })),
          patterns: [
            {
              group: ["../*", ...below.flatMap((r) => [`!../${r}`, `!../${r}/*`])],
              message: `${room}/ imports ${below.join(", ")} only (DESIGN, "Layout": imports run one way).`,
            },
          ],
        },
      ],
    },
  }));
}

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
  // The walls of DESIGN's layout: imports run one way, core/ <- bootstrap/ <- remote/ <-
  // services/, swarm/, compose/ <- host/ <- the targets <- index.ts. A file that imports against
  // the flow fails `npm run lint`. core/ and bootstrap/ have their own rules (below); the rooms
  // above them get one each from ROOMS_BELOW.
  ...wallsAbove(),
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
