import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

// The real Pulumi CLI, built by scripts/engine.sh from Go modules, on the shipped local stack, as a
// user runs it: through local.sh and DOCKERHOST_PULUMI, with a file backend. What it proves here
// stops before the first custom resource, because the plugins those need cannot be built on this
// machine (scripts/engine.sh reports the module proxy's answer for each; README, "Tests").

const ROOT = path.join(__dirname, "..", "..");
const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com";

let cli = "";
let work = "";

/** A copy of the project as a user's checkout: the project files, the rest linked. */
function project(): string {
  const dir = fs.mkdtempSync(path.join(work, "project-"));
  for (const file of ["Pulumi.yaml", "Pulumi.local.yaml", "tsconfig.json", "package.json"])
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  for (const linked of ["stacks", "components", "scripts", "node_modules"])
    fs.symlinkSync(path.join(ROOT, linked), path.join(dir, linked));
  fs.mkdirSync(path.join(dir, ".home"));
  return dir;
}

function env(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: path.join(dir, ".home"),
    // One file backend per project copy. Not `pulumi login`: Pulumi.yaml's backend.url wins over
    // a login, and PULUMI_BACKEND_URL over both (pulumi/pulumi pkg/workspace/creds.go,
    // GetCurrentCloudURL); and file://~ is the passwd entry's home, not $HOME
    // (pkg/backend/diy/backend.go, user.Current).
    PULUMI_BACKEND_URL: `file://${path.join(dir, ".home")}`,
    PULUMI_HOME: path.join(work, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CONFIG_PASSPHRASE: "dockerhost-local",
    DOCKERHOST_ENGINE_CLI: cli,
    DOCKERHOST_PULUMI: path.join(ROOT, "scripts", "engine", "pulumi"),
    PATH: `${path.join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
  };
}

function run(dir: string, file: string, args: string[]): { status: number; out: string } {
  const r = spawnSync(file, args, { cwd: dir, env: env(dir), encoding: "utf8", timeout: 300_000 });
  return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}
const pulumi = (dir: string, ...args: string[]) =>
  run(dir, path.join(ROOT, "scripts", "engine", "pulumi"), args);

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-engine-"));
  const started = Date.now();
  cli = execFileSync(path.join(ROOT, "scripts", "engine.sh"), {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 45 * 60_000,
  }).trim();
  process.stderr.write(`engine: scripts/engine.sh took ${(Date.now() - started) / 1000} s\n`);
}, 46 * 60_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the real Pulumi CLI on the shipped local stack", () => {
  it("is the pinned release", () => {
    const mod = fs.readFileSync(path.join(ROOT, "engine", "go.mod"), "utf8");
    const pinned = /^\tgithub\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/m.exec(mod)?.[1];
    expect(execFileSync(cli, ["version"], { encoding: "utf8" }).trim()).toBe(pinned);
  });

  it("local.sh up gives a new stack its key, as a secret, then the preview refuses its config mistakes, all at once, before any resource", () => {
    const dir = project();
    expect(pulumi(dir, "stack", "init", "local", "--secrets-provider", "passphrase").status).toBe(
      0,
    );
    // The inputs issue's mistakes: a typo'd key, and a range that is no CIDR.
    expect(pulumi(dir, "config", "set", "hardenning", "strict").status).toBe(0);
    expect(
      pulumi(
        dir,
        "config",
        "set",
        "--path",
        "containers[0].ports[0].allowedCidrs[0]",
        "10.0.0.0/33",
      ).status,
    ).toBe(0);
    const up = run(dir, path.join(dir, "scripts", "local.sh"), ["up"]);
    expect(up.status).not.toBe(0);
    expect(up.out).toContain("local.sh: the stack has an SSH key of its own");
    expect(up.out).toContain(
      "dockerhost:hardenning: not a key this stack reads. Did you mean dockerhost:hardening? Rename it with: pulumi config rm hardenning && pulumi config set hardening <value>.",
    );
    expect(up.out).toContain(
      'dockerhost:containers[0].ports[0].allowedCidrs[0]: "10.0.0.0/33" is not a CIDR',
    );
    const stackFile = parse(fs.readFileSync(path.join(dir, "Pulumi.local.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    expect(stackFile.config["dockerhost:sshPublicKey"]).toMatch(/^ssh-ed25519 /);
    expect(stackFile.config["dockerhost:sshPrivateKey"]).toStrictEqual({
      secure: expect.stringMatching(/^v1:/),
    });

    // The same preview as the engine reports it: the stack alone, and the project's messages.
    const preview = pulumi(dir, "preview", "--stack", "local", "--json");
    expect(preview.status).not.toBe(0);
    const report = JSON.parse(preview.out.slice(preview.out.indexOf("{"))) as {
      steps: { op: string; urn: string }[];
      diagnostics: { message: string; severity: string }[];
    };
    expect(report.steps.map((s) => [s.op, s.urn])).toStrictEqual([
      ["create", "urn:pulumi:local::dockerhost::pulumi:pulumi:Stack::dockerhost-local"],
    ]);
    const errors = report.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    expect(errors.join("")).toContain("dockerhost:hardenning: not a key this stack reads.");
  });

  it("applies Pulumi.yaml's types before the program runs", () => {
    const dir = project();
    expect(pulumi(dir, "stack", "init", "local", "--secrets-provider", "passphrase").status).toBe(
      0,
    );
    expect(pulumi(dir, "config", "set", "sshPublicKey", KEY).status).toBe(0);
    expect(pulumi(dir, "config", "set", "localSshPort", "twenty-two").status).toBe(0);
    const preview = pulumi(dir, "preview", "--stack", "local");
    expect(preview.status).not.toBe(0);
    expect(preview.out).toContain(
      "Stack 'local' with configuration key 'localSshPort' must be of type 'integer'",
    );
    expect(preview.out).not.toContain("pulumi:pulumi:Stack");
  });

  it("accepts a stack that leaves every optional key unset (Pulumi.yaml gives each a default)", () => {
    const dir = project();
    expect(pulumi(dir, "stack", "init", "bare", "--secrets-provider", "passphrase").status).toBe(0);
    expect(pulumi(dir, "config", "set", "cloud", "local").status).toBe(0);
    expect(pulumi(dir, "config", "set", "kubernetes", "yes").status).toBe(0);
    const preview = pulumi(dir, "preview", "--stack", "bare");
    // Past the CLI's config check ("is missing configuration values" before the defaults), into
    // the program, which reports its own problems.
    expect(preview.out).not.toContain("missing configuration value");
    expect(preview.out).toContain(
      "dockerhost:kubernetes: not a key this stack reads. Remove it with: pulumi config rm kubernetes (the keys are listed in Pulumi.yaml).",
    );
    expect(preview.out).toContain("dockerhost:sshPublicKey: not set.");
  });
});
