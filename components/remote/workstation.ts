import * as path from "node:path";
import { BASTION_CONNECT_TIMEOUT_SECONDS, isBastionBridge } from "./bastion-proxy";
import { nodeCli } from "./node-cli";

// The deployer's workstation gets, per host, what Docker Machine's `env` gave: an SSH config
// entry of the project's own (an alias that pins the host key in a known_hosts file of its own)
// and a Docker context on that alias, so plain `docker --context <name>` works with strict host
// key checking and ~/.ssh/known_hosts is never written. Pure text here; workstation-files.ts
// writes it.

/** Everything one host's entry needs, as the component hands it to the CLI (JSON on stdin). */
export interface WorkstationEntry {
  /** The SSH alias, `dockerhost-<stack>-<name>`: prefixed so it never shadows a user's own Host. */
  alias: string;
  /** The Docker context, `<stack>-<name>`. */
  context: string;
  stack: string;
  hostName: string;
  /** Where the entries live: `<state dir>/ssh` (~/.dockerhost/ssh). */
  sshDir: string;
  address: string;
  port: number;
  user: string;
  /** The host's pinned public key ("ssh-ed25519 AAAA..."). */
  hostPublicKey: string;
  /** The deployer's private key; absent: the SSH agent. */
  privateKey?: string;
  /** The session's ProxyCommand (sshAccess: "session"); absent: a direct dial. */
  proxyCommand?: string;
  /** Whether to make the Docker context (false: the SSH entry only). */
  dockerContext: boolean;
}

/** A name Docker accepts for a context: `^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$`. */
function contextSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.+-]/g, "_");
}

/** The shell command that runs workstation-cli.ts (beside this file) on the deployer. */
export function workstationCli(): string {
  return nodeCli(__dirname, "workstation-cli");
}

export function workstationNames(
  stack: string,
  hostName: string,
): { alias: string; context: string } {
  const context = contextSafe(`${stack}-${hostName}`);
  return { alias: `dockerhost-${context}`, context };
}

export interface WorkstationFiles {
  config: string;
  knownHosts: string;
  identity: string;
}

export function workstationFiles(sshDir: string, alias: string): WorkstationFiles {
  return {
    config: path.join(sshDir, `${alias}.conf`),
    knownHosts: path.join(sshDir, `${alias}.known_hosts`),
    identity: path.join(sshDir, `${alias}.key`),
  };
}

/** The one line ~/.ssh/config needs, at its top (an Include inside a Host block is conditional). */
export function sshIncludeLine(sshDir: string): string {
  return `Include ${path.join(sshDir, "*.conf")}`;
}

/** The known_hosts line: keyed by the alias (HostKeyAlias), so a reused local port never matches. */
export function aliasKnownHostsLine(alias: string, hostPublicKey: string): string {
  const [type, key] = hostPublicKey.trim().split(/\s+/);
  return `${alias} ${type} ${key}\n`;
}

/** OpenSSH reads a quoted argument as one value, so a path with spaces stays one path. */
function sshValue(text: string): string {
  return /[\s"]/.test(text) ? `"${text.replace(/"/g, "")}"` : text;
}

export function sshConfigText(entry: WorkstationEntry): string {
  const files = workstationFiles(entry.sshDir, entry.alias);
  const lines = [
    `# dockerhost: stack ${entry.stack}, host ${entry.hostName}. Written by pulumi up, removed by pulumi destroy.`,
    `Host ${entry.alias}`,
    `  HostName ${entry.address}`,
    `  Port ${entry.port}`,
    `  User ${entry.user}`,
    `  HostKeyAlias ${entry.alias}`,
    `  UserKnownHostsFile ${sshValue(files.knownHosts)}`,
    "  StrictHostKeyChecking yes",
    "  UpdateHostKeys no",
  ];
  if (entry.proxyCommand) lines.push(`  ProxyCommand ${entry.proxyCommand}`);
  if (isBastionBridge(entry.proxyCommand))
    lines.push(`  ConnectTimeout ${BASTION_CONNECT_TIMEOUT_SECONDS}`);
  if (entry.privateKey)
    lines.push(`  IdentityFile ${sshValue(files.identity)}`, "  IdentitiesOnly yes");
  return `${lines.join("\n")}\n`;
}

/** What a context made by this project says of itself; a context without it is not ours. */
export function contextDescription(entry: Pick<WorkstationEntry, "stack" | "hostName">): string {
  return `dockerhost: stack ${entry.stack}, host ${entry.hostName}`;
}

export const OUR_CONTEXT_PREFIX = "dockerhost: ";

/** `docker context create|update <name> ...` for the entry's alias. */
export function contextArgs(entry: WorkstationEntry, verb: "create" | "update"): string[] {
  return [
    "context",
    verb,
    entry.context,
    "--description",
    contextDescription(entry),
    "--docker",
    `host=ssh://${entry.alias}`,
  ];
}
