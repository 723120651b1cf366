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
 * The ProxyCommand adapted from AWS Systems Manager's (AWS writes it inside `sh -c`, which ssh
 * does anyway; the region is added): `aws ssm start-session` with the
 * AWS-StartSSHSession document carries the session to the instance's port 22 (AWS Systems
 * Manager User Guide, "Allow and control permissions for SSH connections through Session
 * Manager", docs.aws.amazon.com/systems-manager/latest/userguide/
 * session-manager-getting-started-enable-ssh-connections.html): Session Manager plugin 1.1.23.0
 * or later on the deployer (the plugin's install page asks for 1.2.764.0), SSM Agent 2.3.672.0
 * or later on the host. %h is the instance id,
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
  /** What the ProxyCommand prints when no try can succeed: the script stops at once. */
  fatalPatterns?: string[];
}

/** Pause between tries, as remote.Command's dial retries wait up to 5 s. */
export const SESSION_RETRY_SECONDS = 5;

/**
 * What OpenSSH prints when no session came up: the dial, the proxy or the banner exchange
 * failed before anything ran (sshconnect.c, kex_exchange_identification; the session client's
 * own TargetNotConnected). Only these are retried: ssh also exits 255 when a session drops or
 * the remote command dies by a signal (clientloop.c keeps exit_status -1 without an
 * "exit-status" message), and running that script again would run it twice.
 */
export const NO_SESSION_PATTERNS = [
  "kex_exchange_identification",
  "ssh_exchange_identification",
  "banner exchange",
  "Connection refused",
  "Connection closed by",
  "Connection reset",
  "Connection timed out",
  "No route to host",
  "Network is unreachable",
  "Could not resolve hostname",
  "TargetNotConnected",
];

/**
 * The local shell text that runs `remoteScript` on the host over the session, as
 * remote.Command runs it (the login user's shell, the resource's stdin passed through). A
 * session that never came up is tried again; a host key other than the pinned one and a
 * refused deployer key fail at once; anything else is the remote script's own status.
 */
export function sessionScript(remoteScript: string, dial: SessionDial): string {
  const e = SESSION_ENV;
  const noSession = NO_SESSION_PATTERNS.map((p) => `-e ${shellQuote(p)}`).join(" ");
  return [
    "set -u",
    "d=$(mktemp -d) || exit 1",
    // The key file goes on a cancel (SIGTERM, SIGINT) too: dash runs EXIT traps only on exit.
    "trap 'rm -rf \"$d\"' EXIT",
    "trap 'exit 143' TERM INT HUP",
    `printf '%s\\n' "$${e.knownHosts}" > "$d/known_hosts"`,
    "set --",
    `if [ -n "\${${e.privateKey}:-}" ]; then`,
    `  (umask 077 && printf '%s\\n' "$${e.privateKey}" > "$d/id") || exit 1`,
    '  set -- -o IdentitiesOnly=yes -i "$d/id"',
    "fi",
    "n=0",
    "while :; do",
    "  rc=0",
    // Command-line options win over ~/.ssh/config: its LogLevel cannot hide the key check's
    // message, and its ControlMaster cannot route the step around the pinned check.
    '  ssh -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$d/known_hosts" \\',
    "    -o GlobalKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR \\",
    "    -o ControlMaster=no -o ControlPath=none -o ServerAliveInterval=15 -o ServerAliveCountMax=4 \\",
    `    -o ConnectTimeout=${dial.timeoutSeconds} -o ProxyCommand="$${e.proxy}" \\`,
    `    -p "$${e.port}" "$@" -- "$${e.target}" ${shellQuote(remoteScript)} 2>"$d/err" || rc=$?`,
    '  if [ "$rc" -ne 255 ]; then cat "$d/err" >&2; exit "$rc"; fi',
    "  if grep -q -e 'Host key verification failed' -e 'IDENTIFICATION HAS CHANGED' \"$d/err\"; then",
    '    cat "$d/err" >&2',
    `    echo "dockerhost: $${e.target} presented a host key other than the pinned one; refusing it" >&2`,
    "    exit 255",
    "  fi",
    "  if grep -q -e 'Permission denied' \"$d/err\"; then",
    '    cat "$d/err" >&2',
    `    echo "dockerhost: $${e.target} refused the deployer's key (sshPrivateKey, or the SSH agent's)" >&2`,
    "    exit 255",
    "  fi",
    ...(dial.fatalPatterns?.length
      ? [
          `  if grep -q ${dial.fatalPatterns.map((p) => `-e ${shellQuote(p)}`).join(" ")} "$d/err"; then cat "$d/err" >&2; exit 255; fi`,
        ]
      : []),
    `  if ! grep -q ${noSession} "$d/err"; then cat "$d/err" >&2; exit 255; fi`,
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
