import * as fs from "node:fs";
import { BASTION_CONNECT_TIMEOUT_SECONDS, isBastionBridge } from "./bastion-proxy";
import * as os from "node:os";
import * as path from "node:path";

// The deployer's side of SSH pinning: OpenSSH (which the Docker provider runs) reads the pinned
// host key from a known_hosts file of our own and never asks or trusts on first use.

/** Where per-host SSH files live on the deployer: $DOCKERHOST_STATE_DIR or ~/.dockerhost. */
export function deployerStateDir(): string {
  return process.env.DOCKERHOST_STATE_DIR ?? path.join(os.homedir(), ".dockerhost");
}

export interface DeployerSshFiles {
  knownHosts: string;
  identity: string;
}

/** File paths for one host; the name is the component's (stable across runs). */
export function deployerSshFiles(stack: string, name: string): DeployerSshFiles {
  const dir = path.join(deployerStateDir(), `${stack}-${name}`.replace(/[^A-Za-z0-9_.-]/g, "_"));
  return { knownHosts: path.join(dir, "known_hosts"), identity: path.join(dir, "id_deployer") };
}

/** A known_hosts line; OpenSSH writes non-default ports as [host]:port. */
export function knownHostsLine(host: string, port: number, publicKey: string): string {
  const [type, key] = publicKey.trim().split(/\s+/);
  const address = port === 22 ? host : `[${host}]:${port}`;
  return `${address} ${type} ${key}\n`;
}

function writePrivateFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export function writeKnownHosts(file: string, line: string): void {
  writePrivateFile(file, line);
}

/** OpenSSH reads a key only from a file that no one else can read. */
export function writeIdentity(file: string, privateKey: string): void {
  writePrivateFile(file, privateKey.endsWith("\n") ? privateKey : `${privateKey}\n`);
}

/** Options for the ssh client: the pinned key only, no prompts (CI has no terminal). */
export function pinnedSshOptions(
  files: DeployerSshFiles,
  withIdentity: boolean,
  proxyCommand?: string,
): string[] {
  const options = [
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    `UserKnownHostsFile=${files.knownHosts}`,
    "-o",
    "BatchMode=yes",
  ];
  if (withIdentity) options.push("-o", "IdentitiesOnly=yes", "-i", files.identity);
  // The Docker provider hands these to the system ssh (docker/cli connhelper), which runs the
  // session client and still checks the key against the pinned file.
  if (proxyCommand) options.push("-o", `ProxyCommand=${proxyCommand}`);
  // Before the connhelper's own ConnectTimeout=30: ssh takes an option's first value.
  if (isBastionBridge(proxyCommand))
    options.unshift("-o", `ConnectTimeout=${BASTION_CONNECT_TIMEOUT_SECONDS}`);
  return options;
}
