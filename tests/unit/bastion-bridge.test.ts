import { describe, expect, it } from "@jest/globals";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import {
  BASTION_FATAL_MARKERS,
  azureBastionProxyCommand,
  isBastionBridge,
} from "../../components/remote/bastion-proxy";
import { bastionDial } from "../../components/remote/host-command";
import { sessionScript } from "../../components/remote/session-transport";
import { pinnedSshOptions } from "../../components/remote/deployer-ssh";

// The Bastion bridge (remote/bastion-proxy.ts) under /bin/sh and node, against a stand-in `az` on
// PATH (tests/support/bastion-standin.js) and a stand-in sshd on 127.0.0.1.

const VM_ID = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/web";

/** The bridge's script alone, as `node -e` gets it once the shell took the quotes off. */
function bridgeScript(): string {
  const command = azureBastionProxyCommand("b", "g", VM_ID);
  return command.slice("node -e '".length, command.lastIndexOf("' b g "));
}

describe("the Bastion bridge (the ProxyCommand)", () => {
  it("carries stdin and stdout through the tunnel `az` opens, and stops it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bastion-bridge-"));
    const az = path.join(dir, "az");
    fs.copyFileSync(path.join(__dirname, "../support/bastion-standin.js"), az);
    fs.chmodSync(az, 0o755);
    // An echo server stands in for sshd; it answers after the bridge's input is in.
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    const port = (echo.address() as net.AddressInfo).port;
    const command = azureBastionProxyCommand("web-bastion", "shop", VM_ID);
    const result = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn("/bin/sh", ["-c", `exec ${command}`], {
        env: {
          ...process.env,
          PATH: `${dir}:${process.env.PATH}`,
          DOCKERHOST_TEST_BASTION_LOG: path.join(dir, "log"),
          DOCKERHOST_TEST_BASTION_TO: String(port),
        },
      });
      let stdout = "";
      child.stdout!.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("through the tunnel\n")) child.stdin!.end();
      });
      child.stdin!.write("through the tunnel\n");
      child.on("exit", (status: number | null) => resolve({ status, stdout }));
    });
    echo.close();
    expect(result).toStrictEqual({ status: 0, stdout: "through the tunnel\n" });
    expect(fs.readFileSync(path.join(dir, "log"), "utf8")).toBe(`web-bastion shop ${VM_ID} 22\n`);
    fs.rmSync(dir, { recursive: true });
  });

  it("exits 255, as a dead proxy, when `az` is missing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bastion-noaz-"));
    fs.symlinkSync(process.execPath, path.join(dir, "node"));
    const result = spawnSync(
      "/bin/sh",
      ["-c", `exec ${azureBastionProxyCommand("b", "g", VM_ID)}`],
      {
        env: { PATH: dir },
        encoding: "utf8",
        input: "",
      },
    );
    fs.rmSync(dir, { recursive: true });
    expect(result.status).toBe(255);
    expect(result.stderr).toBe("dockerhost: cannot run az: spawn az ENOENT\n");
  });

  it("stops the tunnel when ssh ends it with SIGHUP, as ssh ends its ProxyCommand", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bastion-hup-"));
    fs.copyFileSync(path.join(__dirname, "../support/bastion-standin.js"), path.join(dir, "az"));
    fs.chmodSync(path.join(dir, "az"), 0o755);
    const sshd = net.createServer((s) => s.write("SSH-2.0-stand-in\r\n"));
    await new Promise<void>((r) => sshd.listen(0, "127.0.0.1", r));
    const log = path.join(dir, "log");
    const child = spawn("node", ["-e", bridgeScript(), "b", "g", VM_ID], {
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        DOCKERHOST_TEST_BASTION_LOG: log,
        DOCKERHOST_TEST_BASTION_TO: String((sshd.address() as net.AddressInfo).port),
      },
    });
    await new Promise<void>((r) => child.stdout.once("data", () => r()));
    const [azPid] = fs.readFileSync(`${log}.pids`, "utf8").trim().split("\n").map(Number);
    child.kill("SIGHUP");
    await new Promise<void>((r) => child.once("exit", () => r()));
    await new Promise((r) => setTimeout(r, 300));
    sshd.close();
    // Gone, or a zombie left for a parent that does not reap (a container's init): not running.
    const state = fs.existsSync(`/proc/${azPid}/stat`)
      ? fs.readFileSync(`/proc/${azPid}/stat`, "utf8").split(") ")[1][0]
      : "gone";
    expect(["gone", "Z"]).toContain(state);
    fs.rmSync(dir, { recursive: true });
  });

  it("stops at once, with its marker, when az ends before the tunnel opens (not signed in)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bastion-fail-"));
    fs.copyFileSync(path.join(__dirname, "../support/bastion-standin.js"), path.join(dir, "az"));
    fs.chmodSync(path.join(dir, "az"), 0o755);
    const result = spawnSync(
      "/bin/sh",
      ["-c", `exec ${azureBastionProxyCommand("b", "g", VM_ID)}`],
      {
        env: {
          ...process.env,
          PATH: `${dir}:${process.env.PATH}`,
          DOCKERHOST_TEST_BASTION_LOG: path.join(dir, "log"),
          DOCKERHOST_TEST_BASTION_FAIL: "1",
        },
        encoding: "utf8",
        input: "",
      },
    );
    fs.rmSync(dir, { recursive: true });
    expect(result.status).toBe(255);
    expect(result.stderr).toBe(
      `ERROR: Please run 'az login' to setup account.\ndockerhost: az ended (1) before its tunnel to ${VM_ID} opened\n`,
    );
    expect(BASTION_FATAL_MARKERS.some((m) => result.stderr.includes(m))).toBe(true);
  });

  it("dials with the bridge's ConnectTimeout and stops on its markers; a direct session keeps its own", () => {
    const dial = bastionDial({ attempts: 150, timeoutSeconds: 10 });
    expect(dial).toStrictEqual({
      attempts: 150,
      timeoutSeconds: 90,
      fatalPatterns: ["dockerhost: cannot run az", "dockerhost: az ended"],
    });
    const script = sessionScript("true", dial);
    expect(script).toContain("-o ConnectTimeout=90 ");
    expect(script).toContain(
      `  if grep -q -e 'dockerhost: cannot run az' -e 'dockerhost: az ended' "$d/err"; then cat "$d/err" >&2; exit 255; fi`,
    );
    expect(sessionScript("true", { attempts: 150, timeoutSeconds: 10 })).not.toContain("az ended");
    const bridge = azureBastionProxyCommand("b", "g", VM_ID);
    expect(isBastionBridge(bridge)).toBe(true);
    expect(isBastionBridge("aws ssm start-session --target %h")).toBe(false);
    expect(
      pinnedSshOptions({ knownHosts: "k", identity: "i" }, false, bridge).slice(0, 2),
    ).toStrictEqual(["-o", "ConnectTimeout=90"]);
  });

  it("holds no ssh token character and no single quote, so it is one ProxyCommand line", () => {
    const command = azureBastionProxyCommand("b", "g", VM_ID);
    expect(command).not.toMatch(/%/);
    expect(command.startsWith("node -e '")).toBe(true);
    expect(command.endsWith(` b g ${VM_ID}`)).toBe(true);
    expect(command).not.toContain("\n");
  });
});
