import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

// The deployer's side of a test guest: keys, pinned SSH, the docker CLI over ssh:// and bounded
// waits. Every wait names what it waited for, so a timeout says what did not happen.

const run = promisify(execFile);

export interface KeyPair {
  privateFile: string;
  privateKey: string;
  publicKey: string;
}

export function makeKey(file: string): KeyPair {
  execFileSync("ssh-keygen", [
    "-q",
    "-t",
    "ed25519",
    "-N",
    "",
    "-C",
    "dockerhost-test",
    "-f",
    file,
  ]);
  return {
    privateFile: file,
    privateKey: fs.readFileSync(file, "utf8"),
    publicKey: fs.readFileSync(`${file}.pub`, "utf8").trim(),
  };
}

export function seconds(since: number): number {
  return Math.round((Date.now() - since) / 100) / 10;
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` naming what it waited for. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 2000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = (e as Error).message.split("\n").slice(0, 3).join(" | ");
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface GuestAccess {
  user: string;
  sshPort: number;
  userKey: KeyPair;
  /** The host key the guest must present ("ssh-ed25519 AAAA..."). */
  hostPublicKey: string;
}

/** SSH and the docker CLI to one guest, trusting only its pinned host key. */
export class GuestSession {
  readonly sshConfig: string;
  private readonly binDir: string;

  constructor(
    readonly access: GuestAccess,
    workDir: string,
  ) {
    const knownHosts = path.join(workDir, "known_hosts");
    const [type, key] = access.hostPublicKey.split(/\s+/);
    fs.writeFileSync(knownHosts, `[127.0.0.1]:${access.sshPort} ${type} ${key}\n`);
    this.sshConfig = path.join(workDir, "ssh_config");
    fs.writeFileSync(
      this.sshConfig,
      [
        "Host 127.0.0.1",
        `  Port ${access.sshPort}`,
        `  User ${access.user}`,
        `  IdentityFile ${access.userKey.privateFile}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${knownHosts}`,
        "  StrictHostKeyChecking yes",
        "  BatchMode yes",
        "  ConnectTimeout 10",
        // One connection per guest, shared by every ssh and docker call: an emulated sshd spends
        // ~1.4 s on each new connection's key exchange and login (measured: `docker ps` over
        // ssh:// 5.6 s alone, 1.4 s multiplexed). The master exits after a minute idle, and
        // within a minute of its guest going away (keepalives), so a reboot never leaves calls
        // waiting on a dead connection.
        "  ControlMaster auto",
        `  ControlPath ${path.join(workDir, "ssh-%C")}`,
        "  ControlPersist 60",
        "  ServerAliveInterval 10",
        "  ServerAliveCountMax 6",
        "",
      ].join("\n"),
    );
    // The docker CLI runs plain `ssh`; this wrapper gives it our config and nothing else.
    this.binDir = path.join(workDir, "bin");
    fs.mkdirSync(this.binDir, { recursive: true });
    const realSsh = execFileSync("sh", ["-c", "command -v ssh"], { encoding: "utf8" }).trim();
    fs.writeFileSync(
      path.join(this.binDir, "ssh"),
      `#!/bin/sh\nexec ${realSsh} -F ${this.sshConfig} "$@"\n`,
      { mode: 0o755 },
    );
    fs.mkdirSync(path.join(workDir, "docker-config"), { recursive: true });
    this.env = {
      ...process.env,
      PATH: `${this.binDir}:${process.env.PATH ?? ""}`,
      DOCKER_CONFIG: path.join(workDir, "docker-config"),
      DOCKER_HOST: `ssh://${access.user}@127.0.0.1:${access.sshPort}`,
    };
  }

  readonly env: NodeJS.ProcessEnv;

  /** Runs a shell command on the guest; rejects on a non-zero exit. */
  async ssh(command: string, timeoutMs = 60_000): Promise<string> {
    const { stdout } = await run("ssh", ["-F", this.sshConfig, "127.0.0.1", command], {
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }

  /**
   * Closes the shared connection; the next call logs in afresh. Needed once cloud-init is done:
   * every call through a connection runs with the groups of its login, and a login made during
   * the boot predates the user's docker group (the engine's socket then refuses `ssh://`).
   */
  async closeConnection(): Promise<void> {
    await run("ssh", ["-F", this.sshConfig, "-O", "exit", "127.0.0.1"], { timeout: 10_000 }).catch(
      () => undefined,
    );
  }

  /** Runs a shell command on the guest with `input` on its stdin, as @pulumi/command's stdin. */
  async sshWithInput(command: string, input: string, timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        "ssh",
        ["-F", this.sshConfig, "127.0.0.1", command],
        { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${command}: ${stderr}`)) : resolve(stdout),
      );
      child.stdin?.end(input);
    });
  }

  /** The same, resolving to the exit code instead of rejecting. */
  async sshStatus(command: string, timeoutMs = 60_000): Promise<number> {
    try {
      await this.ssh(command, timeoutMs);
      return 0;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return typeof code === "number" ? code : 255;
    }
  }

  /** The docker CLI on this machine, talking to the guest's engine over ssh://. */
  async docker(args: string[], timeoutMs = 120_000): Promise<string> {
    try {
      const { stdout } = await run("docker", args, {
        env: this.env,
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      });
      return stdout;
    } catch (e) {
      // Node's message is "Command failed: <cmd>" plus stderr, which is empty when the bound
      // killed the CLI: say so, or a timeout reads like a refusal.
      if ((e as { killed?: boolean }).killed)
        (e as Error).message += ` (killed after the ${timeoutMs / 1000} s bound)`;
      throw e;
    }
  }

  /** The host key the guest presents right now, as "type base64". */
  async presentedHostKey(): Promise<string> {
    const { stdout } = await run(
      "ssh-keyscan",
      ["-T", "10", "-t", "ed25519", "-p", String(this.access.sshPort), "127.0.0.1"],
      { timeout: 20_000 },
    );
    const line = stdout.split("\n").find((l) => l.includes("ssh-ed25519"));
    if (!line) throw new Error("ssh-keyscan returned no ed25519 key");
    return line.split(/\s+/).slice(1, 3).join(" ");
  }
}

/** GET http://127.0.0.1:port/path with a short timeout; the body, or undefined when refused. */
export async function httpGet(port: number, urlPath = "/"): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
      signal: AbortSignal.timeout(5000),
    });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}
