import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";
import { findOnPath } from "./find-on-path";
import {
  aliasKnownHostsLine,
  contextArgs,
  OUR_CONTEXT_PREFIX,
  sshConfigText,
  workstationFiles,
  type WorkstationEntry,
} from "./workstation";

// The workstation side effects of one host, run by its `<name>-workstation` command on
// `pulumi up` (add) and `pulumi destroy` (remove). Files are this user's only (0600 in a 0700
// directory); a Docker context is touched only when it carries the project's own description.

const execFileAsync = promisify(execFile);
/** The docker CLI with this process's environment as it is now (DOCKER_CONFIG, DOCKER_HOST...). */
const run = (file: string, args: string[]) => execFileAsync(file, args, { env: process.env });

function writePrivate(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/**
 * The description of a context, or undefined when there is no context of that name. Read from
 * the JSON `docker context inspect` prints: a `--format` template cannot reach the description
 * (Docker 28: "can't evaluate field Description in type store.Metadata").
 */
async function contextDescriptionOf(docker: string, context: string): Promise<string | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await run(docker, ["context", "inspect", context]));
  } catch {
    return undefined;
  }
  const [inspected] = JSON.parse(stdout) as { Metadata?: { Description?: unknown } }[];
  const description = inspected?.Metadata?.Description;
  return typeof description === "string" ? description : "";
}

function notOurs(context: string): string {
  return (
    `docker context "${context}" exists and was not made by dockerhost; ` +
    `remove or rename it (docker context rm ${context}), or set dockerContext: false on this host`
  );
}

export interface AddOutcome {
  files: string[];
  /** "created", "updated", or why there is none. */
  context: string;
}

export async function addWorkstationEntry(entry: WorkstationEntry): Promise<AddOutcome> {
  // A context that is not ours stops everything before a file is written.
  const docker = entry.dockerContext ? findOnPath("docker") : undefined;
  const existing = docker ? await contextDescriptionOf(docker, entry.context) : undefined;
  if (existing !== undefined && !existing.startsWith(OUR_CONTEXT_PREFIX))
    throw new Error(notOurs(entry.context));

  const files = workstationFiles(entry.sshDir, entry.alias);
  fs.mkdirSync(entry.sshDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(entry.sshDir, 0o700);
  writePrivate(files.knownHosts, aliasKnownHostsLine(entry.alias, entry.hostPublicKey));
  const written = [files.knownHosts];
  if (entry.privateKey) {
    const key = entry.privateKey.endsWith("\n") ? entry.privateKey : `${entry.privateKey}\n`;
    writePrivate(files.identity, key);
    written.push(files.identity);
  } else {
    fs.rmSync(files.identity, { force: true });
  }
  // The config last: OpenSSH reads an entry only once the files it names are there.
  writePrivate(files.config, sshConfigText(entry));
  written.push(files.config);

  if (!entry.dockerContext) return { files: written, context: "none (dockerContext: false)" };
  if (!docker)
    return {
      files: written,
      context: `none: the docker CLI is not on PATH (DOCKER_HOST=ssh://${entry.alias} works once it is)`,
    };
  const verb = existing === undefined ? "create" : "update";
  await run(docker, contextArgs(entry, verb));
  return { files: written, context: verb === "create" ? "created" : "updated" };
}

export interface RemoveOutcome {
  removed: string[];
  context: string;
}

export async function removeWorkstationEntry(
  sshDir: string,
  alias: string,
  context: string,
): Promise<RemoveOutcome> {
  const files = workstationFiles(sshDir, alias);
  const removed = [files.config, files.knownHosts, files.identity].filter((f) => fs.existsSync(f));
  for (const f of removed) fs.rmSync(f, { force: true });
  try {
    fs.rmdirSync(sshDir);
  } catch {
    // other hosts' entries remain
  }
  const docker = findOnPath("docker");
  if (!docker) return { removed, context: "none: the docker CLI is not on PATH" };
  const description = await contextDescriptionOf(docker, context);
  if (description === undefined) return { removed, context: "none" };
  if (!description.startsWith(OUR_CONTEXT_PREFIX))
    return { removed, context: `kept: "${context}" was not made by dockerhost` };
  // --force: the context may be the current one (`docker context use`); Docker then falls back
  // to its default.
  await run(docker, ["context", "rm", "--force", context]);
  return { removed, context: "removed" };
}
