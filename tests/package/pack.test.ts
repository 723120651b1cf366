import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

// The package as another team gets it: packed, installed into a scratch TypeScript project,
// and the example consumer compiled against it.

const root = path.resolve(__dirname, "..", "..", "..");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-consumer-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  // npm's own CLI under the Node that runs the tests.
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("the packed package", () => {
  let tarball = "";
  let files: string[] = [];

  it("packs compiled JS and types only, with @pulumi packages as peers", () => {
    const out = JSON.parse(
      npm(["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], root),
    ) as {
      filename: string;
      size: number;
      files: { path: string }[];
    }[];
    tarball = path.join(scratch, out[0].filename);
    files = out[0].files.map((f) => f.path);
    console.log(`packed ${out[0].filename}: ${out[0].size} bytes, ${files.length} files`);
    assert.ok(files.includes("dist/components/index.js"));
    assert.ok(files.includes("dist/components/index.d.ts"));
    assert.deepEqual(
      files.filter(
        (f) => /^dist\/(tests|stacks)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")),
      ),
      [],
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Record<
      string,
      Record<string, string>
    >;
    assert.deepEqual(Object.keys(manifest.peerDependencies).sort(), [
      "@pulumi/aws",
      "@pulumi/azure-native",
      "@pulumi/command",
      "@pulumi/docker",
      "@pulumi/pulumi",
      "@pulumi/tls",
    ]);
    assert.deepEqual(Object.keys(manifest.dependencies), ["yaml"]);
  });

  it("installs into a consumer project that compiles against its types", () => {
    const consumer = path.join(scratch, "consumer");
    fs.cpSync(path.join(root, "examples", "typescript-consumer"), consumer, { recursive: true });
    // Hermetic: the tarball, plus its one dependency (yaml) linked from this checkout through an
    // override, so npm needs no registry metadata. An empty cache of its own and a registry on a
    // closed loopback port prove it: whatever the machine's npm cache holds cannot decide this.
    const rootYaml = path.join(root, "node_modules", "yaml");
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        dependencies: { dockerhost: `file:${tarball}`, yaml: `file:${rootYaml}` },
        overrides: { yaml: "$yaml" },
      }),
    );
    npm(
      [
        "install",
        "--registry",
        "http://127.0.0.1:9/",
        "--cache",
        path.join(scratch, "empty-npm-cache"),
        "--fetch-retries",
        "0",
        "--no-audit",
        "--no-fund",
        "--no-update-notifier",
        "--legacy-peer-deps",
        "--ignore-scripts",
      ],
      consumer,
    );
    // The consumer's own copies of the peers: linked from ours rather than downloaded again.
    fs.symlinkSync(
      path.join(root, "node_modules", "@pulumi"),
      path.join(consumer, "node_modules", "@pulumi"),
    );
    // The README's TypeScript snippet is compiled too, so what users copy stays true.
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const snippet = /## Use it from your own stack\n+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(snippet, "README has a TypeScript snippet under 'Use it from your own stack'");
    fs.writeFileSync(path.join(consumer, "readme-snippet.ts"), snippet);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(consumer, "tsconfig.json"), "utf8")) as {
      files: string[];
    };
    tsconfig.files.push("readme-snippet.ts");
    fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(tsconfig));
    const installed = path.join(consumer, "node_modules", "dockerhost", "package.json");
    assert.equal(JSON.parse(fs.readFileSync(installed, "utf8")).name, "dockerhost");
    execFileSync(
      process.execPath,
      [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
      {
        cwd: consumer,
        encoding: "utf8",
      },
    );
  });
});
