import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "@jest/globals";
import {
  awsSsmProxyCommand,
  sessionEnvironment,
  sessionScript,
} from "../../components/remote/session-transport";
import { pinnedSshOptions } from "../../components/remote/deployer-ssh";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey";

describe("the session transport's pure parts", () => {
  it("gives AWS's documented ProxyCommand, with the region", () => {
    expect(awsSsmProxyCommand("eu-west-1")).toBe(
      "aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-west-1",
    );
  });

  it("hands the script the pinned key line, the target, the port and the proxy; the key only when given", () => {
    const connection = {
      host: "i-0abc123",
      port: 22,
      user: "ec2-user",
      hostPublicKey: KEY,
      proxyCommand: "stand-in %h %p",
    };
    expect(sessionEnvironment(connection)).toStrictEqual({
      DOCKERHOST_SSH_KNOWN_HOSTS: `i-0abc123 ${KEY}`,
      DOCKERHOST_SSH_TARGET: "ec2-user@i-0abc123",
      DOCKERHOST_SSH_PORT: "22",
      DOCKERHOST_SSH_PROXY: "stand-in %h %p",
    });
    expect(sessionEnvironment({ ...connection, port: 2222, privateKey: "K" })).toMatchObject({
      DOCKERHOST_SSH_KNOWN_HOSTS: `[i-0abc123]:2222 ${KEY}`,
      DOCKERHOST_SSH_KEY: "K",
    });
    expect(() => sessionEnvironment({ ...connection, proxyCommand: undefined })).toThrow(
      "sessionEnvironment: the connection has no proxyCommand",
    );
  });

  it("gives the Docker provider's ssh the ProxyCommand after the pinned options", () => {
    const files = { knownHosts: "/s/known_hosts", identity: "/s/id" };
    expect(pinnedSshOptions(files, false, "stand-in %h %p")).toStrictEqual([
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      "UserKnownHostsFile=/s/known_hosts",
      "-o",
      "BatchMode=yes",
      "-o",
      "ProxyCommand=stand-in %h %p",
    ]);
  });
});

// The script run by /bin/sh -c, as local.Command runs it, with a stand-in `ssh` on PATH that
// records its arguments and stdin and answers as the case says.
function runScript(behaviour: string[], privateKey?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "session-script-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  // Each call takes the next behaviour: "ok", "dial" (ssh's 255), "hostkey", or an exit code.
  fs.writeFileSync(path.join(dir, "plan"), behaviour.join("\n") + "\n");
  fs.writeFileSync(
    path.join(bin, "ssh"),
    [
      "#!/bin/sh",
      `plan=${dir}/plan`,
      'step=$(head -n 1 "$plan"); sed -i 1d "$plan"',
      `printf '%s\\n' "$@" > ${dir}/args`,
      `for a in "$@"; do case "$a" in UserKnownHostsFile=*) cat "\${a#UserKnownHostsFile=}" > ${dir}/known; esac; done`,
      `while [ $# -gt 0 ]; do if [ "$1" = -i ]; then cat "$2" > ${dir}/key; ls -l "$2" | cut -c1-10 > ${dir}/key-mode; fi; shift; done`,
      `cat > ${dir}/stdin`,
      'case "$step" in',
      "  ok) echo remote-out; exit 0 ;;",
      "  dial) echo 'ssh: connect to host i-1 port 22: Connection refused' >&2; exit 255 ;;",
      "  hostkey) echo 'Host key verification failed.' >&2; exit 255 ;;",
      "  denied) echo 'ec2-user@i-1: Permission denied (publickey).' >&2; exit 255 ;;",
      "  dropped) echo 'Connection to i-1 closed by remote host.' >&2; exit 255 ;;",
      '  *) echo "remote failed" >&2; exit "$step" ;;',
      "esac",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  const env = {
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    DOCKERHOST_SSH_KNOWN_HOSTS: `i-1 ${KEY}`,
    DOCKERHOST_SSH_TARGET: "ec2-user@i-1",
    DOCKERHOST_SSH_PORT: "22",
    DOCKERHOST_SSH_PROXY: "stand-in %h %p",
    ...(privateKey ? { DOCKERHOST_SSH_KEY: privateKey } : {}),
  };
  const script = sessionScript("echo 'it''s' remote", {
    attempts: 3,
    timeoutSeconds: 7,
    retrySeconds: 0,
  });
  const result = spawnSync("/bin/sh", ["-c", script], {
    env,
    input: "the stdin",
    encoding: "utf8",
  });
  const read = (f: string) =>
    fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined;
  const out = {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    args: read("args")?.trim().split("\n"),
    stdin: read("stdin"),
    known: read("known"),
    key: read("key"),
    keyMode: read("key-mode")?.trim(),
    callsLeft: read("plan")?.trim(),
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** The pinned options, before the port: each "-o" and its value. */
const OPTIONS = 22;

describe("the session script, run as local.Command runs it", () => {
  it("runs the remote script through the proxy with the pinned key only, passing stdin through", () => {
    const r = runScript(["ok"], "-----BEGIN KEY-----\nk\n-----END KEY-----");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("remote-out\n");
    expect(r.stdin).toBe("the stdin");
    expect(r.known).toBe(`i-1 ${KEY}\n`);
    expect(r.key).toBe("-----BEGIN KEY-----\nk\n-----END KEY-----\n");
    expect(r.keyMode).toBe("-rw-------");
    expect(r.args?.slice(0, OPTIONS)).toStrictEqual([
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      expect.stringMatching(/^UserKnownHostsFile=\/\S+\/known_hosts$/),
      "-o",
      "GlobalKnownHostsFile=/dev/null",
      "-o",
      "BatchMode=yes",
      "-o",
      "LogLevel=ERROR",
      "-o",
      "ControlMaster=no",
      "-o",
      "ControlPath=none",
      "-o",
      "ServerAliveInterval=15",
      "-o",
      "ServerAliveCountMax=4",
      "-o",
      "ConnectTimeout=7",
      "-o",
      "ProxyCommand=stand-in %h %p",
    ]);
    expect(r.args?.slice(OPTIONS)).toStrictEqual([
      "-p",
      "22",
      "-o",
      "IdentitiesOnly=yes",
      "-i",
      expect.stringMatching(/\/id$/),
      "--",
      "ec2-user@i-1",
      "echo 'it''s' remote",
    ]);
  });

  it("uses the SSH agent when no key is given", () => {
    const r = runScript(["ok"]);
    expect(r.status).toBe(0);
    expect(r.args?.slice(OPTIONS)).toStrictEqual([
      "-p",
      "22",
      "--",
      "ec2-user@i-1",
      "echo 'it''s' remote",
    ]);
  });

  it("tries again while the session is not there, up to its attempts", () => {
    expect(runScript(["dial", "dial", "ok"])).toMatchObject({ status: 0, stdout: "remote-out\n" });
    const r = runScript(["dial", "dial", "dial", "ok"]);
    expect(r.status).toBe(255);
    expect(r.callsLeft).toBe("ok");
    expect(r.stderr).toBe(
      "ssh: connect to host i-1 port 22: Connection refused\ndockerhost: no SSH session to ec2-user@i-1 after 3 tries\n",
    );
  });

  it("refuses a host key other than the pinned one at once", () => {
    const r = runScript(["hostkey", "ok"]);
    expect(r.status).toBe(255);
    expect(r.callsLeft).toBe("ok");
    expect(r.stderr).toBe(
      "Host key verification failed.\ndockerhost: ec2-user@i-1 presented a host key other than the pinned one; refusing it\n",
    );
  });

  it("fails at once when the deployer's key is refused", () => {
    const r = runScript(["denied", "ok"]);
    expect(r).toMatchObject({ status: 255, callsLeft: "ok" });
    expect(r.stderr).toBe(
      "ec2-user@i-1: Permission denied (publickey).\ndockerhost: ec2-user@i-1 refused the deployer's key (sshPrivateKey, or the SSH agent's)\n",
    );
  });

  it("does not run the script again when a session that came up drops (it may have run)", () => {
    const r = runScript(["dropped", "ok"]);
    expect(r).toMatchObject({
      status: 255,
      stderr: "Connection to i-1 closed by remote host.\n",
      callsLeft: "ok",
    });
  });

  it("returns the remote script's own failure without trying again", () => {
    const r = runScript(["3", "ok"]);
    expect(r).toMatchObject({ status: 3, stderr: "remote failed\n", callsLeft: "ok" });
  });

  it("is POSIX sh that shellcheck passes", () => {
    const script = sessionScript("true", { attempts: 2, timeoutSeconds: 5 });
    expect(() =>
      execFileSync("shellcheck", ["-s", "sh", "-"], { input: script, encoding: "utf8" }),
    ).not.toThrow();
  });
});
