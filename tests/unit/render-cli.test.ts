import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

// `npm run render` as a user calls it: usage for --help and for a flag it does not know (no stack
// trace), and a line on stderr that says what it rendered.

const script = path.join(__dirname, "..", "..", "scripts", "render.mjs");
const render = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 60_000 });

describe("npm run render", () => {
  it("prints its usage for --help, on stdout, and exits 0", () => {
    const run = render("--help");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run render -- \[options\]\n/);
    expect(run.stdout).toContain("  --hardening <profile>    off, baseline (default) or strict\n");
    expect(run.stderr).toBe("");
  });

  it.each([["--bogus"], ["--os"], ["extra"]])("refuses %s with the usage and exit 2", (arg) => {
    const run = render(arg);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^render: .+\n\nusage: npm run render -- \[options\]\n/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("says on stderr which OS, target and profile it rendered", () => {
    const run = render("--os", "rhel-9", "--hardening", "strict", "--cloud", "azure");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^#cloud-config\n|^Content-Type: multipart/);
    expect(run.stderr).toBe(
      "render: rhel-9 x86_64 on azure, hardening strict, selinux enforcing, engine from docker-ce, /var/lib/docker on a data disk\n",
    );
  });

  it("exits 1 with the reason for a refused combination", () => {
    const run = render("--os", "ubuntu-24.04", "--selinux", "enforcing");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^selinux: /m);
  });

  it("prints what a compose file deploys with --compose, and exits 1 with its problems", () => {
    const ok = render("--compose", "tests/fixtures/compose-app/compose.yaml");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^containers:\n {2}- name: front\n/);
    expect(ok.stdout).toContain(
      "\nnetworks:\n  - name: backend\n    internal: true\nvolumes:\n  - name: db-data\n",
    );
    expect(ok.stderr).toBe(
      "render: tests/fixtures/compose-app/compose.yaml: 3 containers, 1 networks, 1 volumes\n",
    );
    const refused = render("--compose", "tests/fixtures/compose-app/missing.yaml");
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });
});
