import { about } from "../support/about";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { readDoc } from "../support/docs-page";

// The package as another team gets it: packed, installed into a scratch TypeScript project,
// and the example consumer compiled against it.

const root = path.resolve(__dirname, "..", "..");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-consumer-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  // npm's own CLI under the Node that runs the tests.
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The package's runtime dependencies and theirs, as this checkout's lock file resolved them. */
function runtimeDependencies(): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dependencies?: Record<string, string> }>;
  };
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(lock.packages[`node_modules/${name}`]?.dependencies ?? {}))
      visit(dep);
  };
  for (const dep of Object.keys(lock.packages[""].dependencies ?? {})) visit(dep);
  return [...seen].sort();
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
    expect(files.includes("dist/components/index.js")).toBeTruthy();
    expect(files.includes("dist/components/index.d.ts")).toBeTruthy();
    // The Compose Specification's schema, which compose-file.ts reads at run time.
    expect(files.includes("dist/components/compose/compose-spec.schema.json")).toBeTruthy();
    expect(
      files.filter(
        (f) => /^dist\/(tests|stacks)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")),
      ),
    ).toStrictEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Record<
      string,
      Record<string, string>
    >;
    expect(Object.keys(manifest.peerDependencies).sort()).toStrictEqual([
      "@pulumi/aws",
      "@pulumi/azure-native",
      "@pulumi/command",
      "@pulumi/docker",
      "@pulumi/pulumi",
      "@pulumi/tls",
    ]);
    expect(Object.keys(manifest.dependencies)).toStrictEqual([
      "@balena/dockerignore",
      "ajv",
      "fflate",
      "ipaddr.js",
      "shell-quote",
      "yaml",
    ]);
  });

  it("installs into a consumer project that compiles against its types", () => {
    const consumer = path.join(scratch, "consumer");
    fs.cpSync(path.join(root, "examples", "typescript-consumer"), consumer, { recursive: true });
    // Hermetic: the tarball, plus its runtime dependencies linked from this checkout through
    // overrides, so npm needs no registry metadata. An empty cache of its own and a registry on
    // a closed loopback port prove it: whatever the machine's npm cache holds cannot decide this.
    const links = runtimeDependencies();
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        dependencies: {
          dockerhost: `file:${tarball}`,
          ...Object.fromEntries(
            links.map((name) => [name, `file:${path.join(root, "node_modules", name)}`]),
          ),
        },
        overrides: Object.fromEntries(links.map((name) => [name, `$${name}`])),
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
    // The snippets of the README and docs/apps.md are compiled too, so what users copy stays true.
    const readmeSnippets = [...readDoc("README.md").matchAll(/```ts\n([\s\S]*?)```/g)].map(
      (m) => m[1],
    );
    // One per target: AWS, Azure, this machine.
    expect(readmeSnippets.length).toBe(3);
    readmeSnippets.forEach((snippet, i) =>
      fs.writeFileSync(path.join(consumer, `readme-target-${i}.ts`), snippet),
    );
    const apps = readDoc("apps.md");
    const snippet = /## Use it from your own stack\n+```ts\n([\s\S]*?)```/.exec(apps)?.[1];
    if (!snippet)
      throw new Error("docs/apps.md has no TypeScript snippet under 'Use it from your own stack'");
    fs.writeFileSync(path.join(consumer, "readme-snippet.ts"), snippet);
    const app = /### Deploy a three-service app\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(apps)?.[1];
    if (!app)
      throw new Error("docs/apps.md has no TypeScript snippet under 'Deploy a three-service app'");
    fs.writeFileSync(path.join(consumer, "readme-app.ts"), app);
    // The bake section's snippets, one per target, need only the names they use.
    const bake = readDoc("bakes.md");
    const bakeSnippets = [...bake.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(bakeSnippets.length).toBe(3);
    fs.writeFileSync(
      path.join(consumer, "readme-bake.ts"),
      [
        'import { AwsDockerHost, AwsDockerHostImage, AzureDockerHost, AzureDockerHostImage, LocalDockerHost, LocalDockerHostImage } from "dockerhost";',
        "declare const sshPublicKey: string;",
        "declare const sshAllowedCidrs: string[];",
        ...bakeSnippets.map((snippet) => `{\n${snippet}}`),
      ].join("\n"),
    );
    // The swarm section's snippets, in order: the services use the swarm the first one makes.
    const swarmSection = readDoc("fleet.md");
    const swarmSnippets = [...swarmSection.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    // AWS fleet, Azure fleet, local fleet, services: one program, so their imports are merged.
    expect(swarmSnippets.length).toBe(4);
    const importLine = /^import \{([^}]*)\} from "dockerhost";\n/m;
    const imported = new Set(
      swarmSnippets.flatMap((s) => (importLine.exec(s)?.[1] ?? "").split(",").map((n) => n.trim())),
    );
    imported.delete("");
    fs.writeFileSync(
      path.join(consumer, "readme-swarm.ts"),
      [
        "declare const sshPublicKey: string;",
        "declare const sshPrivateKey: string;",
        "declare const sshAllowedCidrs: string[];",
        "declare const subnetId: string;",
        'declare const config: { requireSecret(key: string): import("@pulumi/pulumi").Output<string> };',
        `import { ${[...imported].join(", ")} } from "dockerhost";`,
        ...swarmSnippets.map((s) => s.replace(importLine, "")),
      ].join("\n"),
    );
    // The edge page's program.
    const edgeSnippet = /```ts\n([\s\S]*?)```/.exec(readDoc("edge.md"))?.[1];
    if (!edgeSnippet) throw new Error("docs/edge.md has no TypeScript snippet");
    fs.writeFileSync(path.join(consumer, "readme-edge.ts"), edgeSnippet);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(consumer, "tsconfig.json"), "utf8")) as {
      files: string[];
    };
    tsconfig.files.push(
      ...readmeSnippets.map((_, i) => `readme-target-${i}.ts`),
      "readme-snippet.ts",
      "readme-app.ts",
      "readme-bake.ts",
      "readme-swarm.ts",
      "readme-edge.ts",
    );
    fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(tsconfig));
    const installed = path.join(consumer, "node_modules", "dockerhost", "package.json");
    expect(JSON.parse(fs.readFileSync(installed, "utf8")).name).toBe("dockerhost");
    try {
      execFileSync(
        process.execPath,
        [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
        { cwd: consumer, encoding: "utf8" },
      );
    } catch (e) {
      // tsc says what failed on stdout; the thrown error alone only says that it did.
      throw new Error(`tsc in the consumer failed:\n${(e as { stdout?: string }).stdout ?? e}`);
    }
  });

  it("lets a library re-export what it gets from the package, with declaration emit", () => {
    const consumer = path.join(scratch, "consumer");
    // node16 resolution honours the package's exports: a type the index does not export
    // cannot be named, and tsc says so (TS2742/TS4058) instead of emitting declarations.
    fs.writeFileSync(
      path.join(consumer, "tsconfig.reexports.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          declaration: true,
          emitDeclarationOnly: true,
          outDir: "types-out",
          skipLibCheck: true,
          types: [],
        },
        files: ["reexports.ts"],
      }),
    );
    const result = spawnSync(
      process.execPath,
      [
        path.join(root, "node_modules", "typescript", "bin", "tsc"),
        "-p",
        "tsconfig.reexports.json",
      ],
      { cwd: consumer, encoding: "utf8" },
    );
    expect(about(result.stdout + result.stderr, result.status)).toStrictEqual(
      about(result.stdout + result.stderr, 0),
    );
    expect(fs.existsSync(path.join(consumer, "types-out", "reexports.d.ts"))).toBeTruthy();
  });
});
