import { shellQuote } from "../bootstrap/shell";
import { knownHostsLine } from "./deployer-ssh";
import type { SshConnection } from "./ssh-connection";

// SSH carried by a cloud's session service instead of a dial to port 22: the deployer's OpenSSH
// runs a ProxyCommand (the session client) that carries the bytes, and still checks the host's
// pinned key, because the session service carries SSH and does not replace its host check.
//
// @pulumi/command's remote.Command dials with Go's SSH client, whose connection takes a jump
// host (`proxy`, another SSH server) but no ProxyCommand (@pulumi/command 1.2.1
// types/input.d.ts, remote.ConnectionArgs / ProxyConnectionArgs). So over a session every
// command step is a local.Command running the system ssh with this file's script: its inputs
// (the pinned key line, the proxy command, the remote script) are all in state, so a destroy,
// which runs no program, still reaches the host. The Docker provider already runs the system
// ssh, and takes the ProxyCommand through its sshOpts.

/**
 * How the deployer reaches a cloud host's sshd. A const object, not a union, so the package's
 * schema (@pulumi/provider's analyzer, which refuses unions) gets an enum.
 */
export const SshAccess = {
  Direct: "direct",
  Session: "session",
} as const;
export type SshAccess = (typeof SshAccess)[keyof typeof SshAccess];

/**
 * AWS Systems Manager's documented ProxyCommand: `aws ssm start-session` with the
 * AWS-StartSSHSession document carries the session to the instance's port 22 (AWS Systems
 * Manager User Guide, "Allow and control permissions for SSH connections through Session
 * Manager", docs.aws.amazon.com/systems-manager/latest/userguide/
 * session-manager-getting-started-enable-ssh-connections.html): Session Manager plugin 1.1.23.0
 * or later on the deployer, SSM Agent 2.3.672.0 or later on the host. %h is the instance id,
 * which is the connection's host.
 */
export function awsSsmProxyCommand(region: string): string {
  return [
    "aws ssm start-session --target %h --document-name AWS-StartSSHSession",
    `--parameters portNumber=%p --region ${shellQuote(region)}`,
  ].join(" ");
}

/** Environment names the session script reads; set by the local.Command's `environment`. */
export const SESSION_ENV = {
  knownHosts: "DOCKERHOST_SSH_KNOWN_HOSTS",
  privateKey: "DOCKERHOST_SSH_KEY",
  target: "DOCKERHOST_SSH_TARGET",
  port: "DOCKERHOST_SSH_PORT",
  proxy: "DOCKERHOST_SSH_PROXY",
} as const;

/** The session script's environment for one connection: the key line, the target, the proxy. */
export function sessionEnvironment(connection: SshConnection): Record<string, string> {
  if (!connection.proxyCommand)
    throw new Error("sessionEnvironment: the connection has no proxyCommand");
  return {
    [SESSION_ENV.knownHosts]: knownHostsLine(
      connection.host,
      connection.port,
      connection.hostPublicKey,
    ).trim(),
    [SESSION_ENV.target]: `${connection.user}@${connection.host}`,
    [SESSION_ENV.port]: String(connection.port),
    [SESSION_ENV.proxy]: connection.proxyCommand,
    ...(connection.privateKey ? { [SESSION_ENV.privateKey]: connection.privateKey } : {}),
  };
}

export interface SessionDial {
  /** Tries before giving up while the session or sshd is not there yet. */
  attempts: number;
  /** ssh's ConnectTimeout for each try. */
  timeoutSeconds: number;
  /** Pause between tries; SESSION_RETRY_SECONDS when absent. */
  retrySeconds?: number;
}

/** Pause between tries, as remote.Command's dial retries wait up to 5 s. */
export const SESSION_RETRY_SECONDS = 5;

/**
 * The local shell text that runs `remoteScript` on the host over the session, as
 * remote.Command runs it (the login user's shell, the resource's stdin passed through). ssh
 * exits 255 for its own failures: those are retried, except a host key other than the pinned
 * one, which fails at once. Any other status is the remote script's own.
 */
export function sessionScript(remoteScript: string, dial: SessionDial): string {
  const e = SESSION_ENV;
  return [
    "set -u",
    "d=$(mktemp -d) || exit 1",
    "trap 'rm -rf \"$d\"' EXIT",
    `printf '%s\\n' "$${e.knownHosts}" > "$d/known_hosts"`,
    "set --",
    `if [ -n "\${${e.privateKey}:-}" ]; then`,
    `  (umask 077 && printf '%s\\n' "$${e.privateKey}" > "$d/id") || exit 1`,
    '  set -- -o IdentitiesOnly=yes -i "$d/id"',
    "fi",
    "n=0",
    "while :; do",
    "  rc=0",
    '  ssh -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$d/known_hosts" \\',
    "    -o GlobalKnownHostsFile=/dev/null -o BatchMode=yes \\",
    `    -o ConnectTimeout=${dial.timeoutSeconds} -o ProxyCommand="$${e.proxy}" \\`,
    `    -p "$${e.port}" "$@" -- "$${e.target}" ${shellQuote(remoteScript)} 2>"$d/err" || rc=$?`,
    '  if [ "$rc" -ne 255 ]; then cat "$d/err" >&2; exit "$rc"; fi',
    "  if grep -q -e 'Host key verification failed' -e 'IDENTIFICATION HAS CHANGED' \"$d/err\"; then",
    '    cat "$d/err" >&2',
    `    echo "dockerhost: $${e.target} presented a host key other than the pinned one; refusing it" >&2`,
    "    exit 255",
    "  fi",
    "  n=$((n + 1))",
    `  if [ "$n" -ge ${dial.attempts} ]; then`,
    '    cat "$d/err" >&2',
    `    echo "dockerhost: no SSH session to $${e.target} after ${dial.attempts} tries" >&2`,
    "    exit 255",
    "  fi",
    `  sleep ${dial.retrySeconds ?? SESSION_RETRY_SECONDS}`,
    "done",
    "",
  ].join("\n");
}
