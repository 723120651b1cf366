import * as fs from "node:fs";
import * as path from "node:path";
import { shellQuote } from "../bootstrap/shell";

// The shell command that runs one of the package's CLI entry points beside `dir`. Installed,
// the package holds compiled .js files; run from a checkout (`pulumi up` in this repository,
// whose Pulumi.yaml runs the TypeScript sources), only the .ts file is there, so it runs
// through ts-node, which Pulumi's TypeScript support already needs, with the checkout's
// tsconfig (ts-node would otherwise look for one from the working directory).

function nearestTsconfig(dir: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, "tsconfig.json");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(at) === at) return undefined;
  }
}

export function nodeCli(dir: string, entry: string): string {
  const compiled = path.join(dir, `${entry}.js`);
  if (fs.existsSync(compiled)) return `node ${shellQuote(compiled)}`;
  const source = path.join(dir, `${entry}.ts`);
  const register = require.resolve("ts-node/register/transpile-only", { paths: [dir] });
  const project = nearestTsconfig(dir);
  const env = project ? `TS_NODE_PROJECT=${shellQuote(project)} ` : "";
  return `${env}node --require ${shellQuote(register)} ${shellQuote(source)}`;
}
