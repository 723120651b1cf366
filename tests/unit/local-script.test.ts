import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "@jest/globals";

// The README's first command after setup (`npm run local` = scripts/local.sh up), run against a
// stand-in pulumi CLI that records its calls and keeps config in a directory: the exact calls,
// in order, the key it generates, and the passphrase default. No Pulumi engine runs here (the
// real CLI runs local.sh in tests/engine/). Like the real CLI, \`config get\` of an unset key
// prints Pulumi.yaml's default (empty) and succeeds.

const SCRIPT = path.resolve(__dirname, "..", "..", "scripts", "local.sh");

const FAKE_PULUMI = `#!/bin/sh
echo "$* [passphrase=\${PULUMI_CONFIG_PASSPHRASE-unset}]" >> "$FAKE_STATE/calls"
case "$1 $2" in
  "config get") if [ -f "$FAKE_STATE/$5" ]; then cat "$FAKE_STATE/$5"; else echo; fi ;;
  "config set") if [ "$5" = "--secret" ]; then cat > "$FAKE_STATE/$6"; else printf '%s' "$6" > "$FAKE_STATE/$5"; fi ;;
  "stack output") case "$5" in dockerContext) echo local-app ;; sshConfigInclude) echo "Include $FAKE_STATE/ssh/*.conf" ;; esac ;;
esac
`;

describe("scripts/local.sh", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-local-sh-"));
  const state = path.join(work, "state");
  const home = path.join(work, "home");
  const pulumi = path.join(work, "pulumi");
  fs.writeFileSync(pulumi, FAKE_PULUMI, { mode: 0o755 });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  beforeEach(() => {
    for (const dir of [state, home]) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
    }
  });

  const run = (args: string[], env: Record<string, string> = {}): string => {
    const rest = { ...process.env };
    delete rest.PULUMI_CONFIG_PASSPHRASE;
    delete rest.PULUMI_CONFIG_PASSPHRASE_FILE;
    return execFileSync("bash", [SCRIPT, ...args], {
      encoding: "utf8",
      env: { ...rest, HOME: home, FAKE_STATE: state, DOCKERHOST_PULUMI: pulumi, ...env },
    });
  };
  const calls = () => fs.readFileSync(path.join(state, "calls"), "utf8").trim().split("\n");

  it("creates the stack, gives it a key of its own once, brings it up and says how to use it", () => {
    const out = run(["up"]);
    const publicKey = fs.readFileSync(path.join(state, "sshPublicKey"), "utf8");
    expect(publicKey).toMatch(/^ssh-ed25519 AAAA[0-9A-Za-z+/=]+ dockerhost-local$/);
    const p = "[passphrase=dockerhost-local]";
    expect(calls()).toStrictEqual([
      `stack select --create --secrets-provider passphrase local ${p}`,
      `config get --stack local sshPublicKey ${p}`,
      `config set --stack local sshPublicKey ${publicKey} ${p}`,
      `config set --stack local --secret sshPrivateKey ${p}`,
      `up --stack local --yes ${p}`,
      `stack output --stack local dockerContext ${p}`,
      `stack output --stack local sshConfigInclude ${p}`,
    ]);
    // The secret is the private half of that public key, read by pulumi from stdin.
    const privateFile = path.join(state, "sshPrivateKey");
    fs.chmodSync(privateFile, 0o600);
    expect(execFileSync("ssh-keygen", ["-y", "-f", privateFile], { encoding: "utf8" }).trim()).toBe(
      publicKey,
    );
    expect(out).toContain(
      "local.sh: the stack has an SSH key of its own (npx pulumi config get sshPrivateKey -s local)\n",
    );
    expect(out).toContain(
      `local.sh: once, put this line at the top of ~/.ssh/config: Include ${state}/ssh/*.conf\n`,
    );
    expect(out.endsWith("local.sh: docker --context local-app ps\n")).toBe(true);
  });

  it("keeps a configured key and the user's passphrase, and stays quiet about an Include already there", () => {
    fs.writeFileSync(path.join(state, "sshPublicKey"), "ssh-ed25519 AAAAmine me");
    fs.mkdirSync(path.join(home, ".ssh"));
    fs.writeFileSync(path.join(home, ".ssh", "config"), `Include ${state}/ssh/*.conf\nHost x\n`);
    const out = run(["up", "--skip-preview"], { PULUMI_CONFIG_PASSPHRASE: "correct horse" });
    const p = "[passphrase=correct horse]";
    expect(calls()).toStrictEqual([
      `stack select --create --secrets-provider passphrase local ${p}`,
      `config get --stack local sshPublicKey ${p}`,
      `up --stack local --yes --skip-preview ${p}`,
      `stack output --stack local dockerContext ${p}`,
      `stack output --stack local sshConfigInclude ${p}`,
    ]);
    expect(out).not.toContain("~/.ssh/config");
  });

  it("destroys without a prompt, and refuses an unknown verb", () => {
    run(["down"]);
    expect(calls()).toStrictEqual(["destroy --stack local --yes [passphrase=dockerhost-local]"]);
    expect(() => run(["sideways"])).toThrow(/usage: scripts\/local.sh up\|down \[pulumi flags\]/);
  });

  describe("which Pulumi CLI it runs", () => {
    // A checkout of its own, whose node_modules/.bin/pulumi stands in for the npm package, and a
    // PATH of tools we name (so that no CLI of this machine's is found by accident).
    const repo = path.join(work, "repo");
    const tools = path.join(work, "tools");
    const installed = path.join(work, "installed");
    fs.mkdirSync(path.join(repo, "scripts"), { recursive: true });
    fs.mkdirSync(path.join(repo, "node_modules", ".bin"), { recursive: true });
    fs.copyFileSync(SCRIPT, path.join(repo, "scripts", "local.sh"));
    for (const dir of [tools, installed]) fs.mkdirSync(dir, { recursive: true });
    for (const tool of [
      "dirname",
      "sed",
      "cat",
      "rm",
      "mktemp",
      "ssh-keygen",
      "grep",
      "sh",
      "printf",
    ]) {
      const found = execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
      if (found.startsWith("/")) fs.symlinkSync(found, path.join(tools, tool));
    }
    const shim = path.join(repo, "node_modules", ".bin", "pulumi");
    const BASH = execFileSync("bash", ["-c", "command -v bash"], { encoding: "utf8" }).trim();
    const local = (env: Record<string, string>) => {
      const rest = { ...process.env };
      delete rest.DOCKERHOST_PULUMI;
      delete rest.PULUMI_CONFIG_PASSPHRASE;
      return spawnSync(BASH, [path.join(repo, "scripts", "local.sh"), "down"], {
        encoding: "utf8",
        env: { ...rest, HOME: home, FAKE_STATE: state, ...env },
      });
    };

    it("runs a CLI installed on PATH before the npm package's, even where npm put its own first", () => {
      fs.writeFileSync(shim, '#!/bin/sh\necho shim >> "$FAKE_STATE/calls"\n', { mode: 0o755 });
      fs.copyFileSync(pulumi, path.join(installed, "pulumi"));
      fs.chmodSync(path.join(installed, "pulumi"), 0o755);
      const run = local({ PATH: [path.dirname(shim), installed, tools].join(":") });
      expect(run.status).toBe(0);
      expect(calls()).toStrictEqual(["destroy --stack local --yes [passphrase=dockerhost-local]"]);
      fs.rmSync(path.join(installed, "pulumi"));
    });

    it("says what failed, from where, and the two ways on when the npm package cannot download", () => {
      fs.writeFileSync(
        shim,
        "#!/bin/sh\necho 'Downloading pulumi v3.265.0...' >&2\necho 'pulumi: fetch failed' >&2\nexit 1\n",
        { mode: 0o755 },
      );
      const run = local({ PATH: [path.dirname(shim), tools].join(":") });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        [
          "local.sh: no Pulumi CLI to run. None is installed on PATH, and the npm package 'pulumi'",
          `  (${shim}) could not download one: it fetches https://get.pulumi.com/install.sh and the`,
          "  release it names, and that failed with:",
          "    Downloading pulumi v3.265.0...",
          "    pulumi: fetch failed",
          "Two ways on:",
          "  1. install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) so that",
          "     'pulumi' is on PATH; local.sh uses an installed CLI before the npm package;",
          "  2. or point DOCKERHOST_PULUMI at a pulumi binary: DOCKERHOST_PULUMI=/path/to/pulumi npm run local",
          "",
        ].join("\n"),
      );
    });

    it("refuses a DOCKERHOST_PULUMI that is not a program", () => {
      const run = local({ PATH: tools, DOCKERHOST_PULUMI: path.join(work, "nothing-here") });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        `local.sh: DOCKERHOST_PULUMI=${path.join(work, "nothing-here")} is not a program that can be run. Point it at a pulumi binary, or unset it to use an installed CLI.\n`,
      );
    });
  });
});
