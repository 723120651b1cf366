import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, it } from "@jest/globals";
import { nodeCli } from "../../components/remote/node-cli";

// The commands the hosts run: the compiled entry point where the package is installed, the
// TypeScript one through ts-node in a checkout (Pulumi.yaml runs the sources).

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-node-cli-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it("runs the compiled .js when it is there", () => {
  fs.writeFileSync(path.join(work, "vm-cli.js"), "");
  expect(nodeCli(work, "vm-cli")).toBe(`node ${path.join(work, "vm-cli.js")}`);
});

it("runs the .ts source through ts-node with the checkout's tsconfig otherwise", () => {
  const repo = path.resolve(__dirname, "..", "..");
  const dir = path.join(repo, "components", "host");
  expect(nodeCli(dir, "workstation-cli")).toBe(
    `TS_NODE_PROJECT=${path.join(repo, "tsconfig.json")} node --require ` +
      `${require.resolve("ts-node/register/transpile-only")} ${path.join(dir, "workstation-cli.ts")}`,
  );
});
