import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  knownHostsLine,
  pinnedSshOptions,
  writeIdentity,
  writeKnownHosts,
} from "../../components/remote/deployer-ssh";
import { GATE_DIAL_TIMEOUT_SECONDS, readinessScript } from "../../components/remote/readiness";
import {
  sessionEnvironment,
  sessionScript,
  type SessionDial,
} from "../../components/remote/session-transport";
import { isBastionBridge } from "../../components/remote/bastion-proxy";
import { bastionDial } from "../../components/remote/host-command";
import type { SshConnection } from "../../components/remote/ssh-connection";
import {
  shipScript,
  shippedDir,
  shippedPayload,
  unshipScript,
} from "../../components/services/shipped-files";

// The session transport against a real sshd: the steps a host with sshAccess "session" runs
// (the gate, a shipped-files command, the Docker provider's ssh://), each through a stand-in
// ProxyCommand that reaches the guest on 127.0.0.1 only, and each with the host key pinned.

const run = promisify(execFile);

/** A target name that resolves nowhere: a step that dialed instead of using the proxy fails. */
export const SESSION_TARGET = "dockerhost-session-standin";

export interface SessionProof {
  gate: string;
  shipped: string;
  dockerVersion: string;
  /** Each session the stand-in carried: "<target> <port>". */
  sessions: string[];
  swappedGate: { status: number; stderr: string };
  swappedDocker: string;
}

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

/** The dial hostCommand gives a step: the Bastion bridge's bounds through the bridge. */
function dialFor(connection: SshConnection): SessionDial {
  const dial = { attempts: 3, timeoutSeconds: GATE_DIAL_TIMEOUT_SECONDS };
  return isBastionBridge(connection.proxyCommand) ? bastionDial(dial) : dial;
}

/** A step's script as local.Command runs it: /bin/sh -c, its environment, its stdin. */
async function runStep(
  remote: string,
  connection: SshConnection,
  stdin = "",
  env: NodeJS.ProcessEnv = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(
      "/bin/sh",
      ["-c", sessionScript(remote, dialFor(connection))],
      { env: { ...process.env, ...env, ...sessionEnvironment(connection) }, timeout: 180_000 },
      (error, stdout, stderr) =>
        resolve({
          status: error ? (typeof error.code === "number" ? error.code : 255) : 0,
          stdout,
          stderr,
        }),
    );
    child.stdin?.end(stdin);
  });
}

/** The docker CLI with an `ssh` that adds the provider's sshOpts, as its connhelper does. */
async function dockerThroughProvider(
  work: string,
  connection: SshConnection,
  label: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const files = {
    knownHosts: path.join(work, `session-${label}`, "known_hosts"),
    identity: path.join(work, `session-${label}`, "id"),
  };
  writeKnownHosts(
    files.knownHosts,
    knownHostsLine(connection.host, connection.port, connection.hostPublicKey),
  );
  writeIdentity(files.identity, connection.privateKey ?? "");
  const opts = pinnedSshOptions(files, true, connection.proxyCommand);
  const bin = path.join(work, `session-bin-${label}`);
  fs.mkdirSync(bin, { recursive: true });
  const quoted = opts.map((o) => `'${o.replace(/'/g, `'"'"'`)}'`).join(" ");
  fs.writeFileSync(path.join(bin, "ssh"), `#!/bin/sh\nexec /usr/bin/ssh ${quoted} "$@"\n`, {
    mode: 0o755,
  });
  const { stdout } = await run("docker", ["version", "--format", "{{.Server.Version}}"], {
    env: {
      ...process.env,
      ...env,
      PATH: `${bin}:${env.PATH ?? process.env.PATH ?? ""}`,
      DOCKER_HOST: `ssh://${connection.user}@${connection.host}:${connection.port}`,
      DOCKER_CONFIG: path.join(work, `session-docker-${label}`),
    },
    timeout: 120_000,
  });
  return stdout.trim();
}

export async function proveSessionTransport(args: {
  work: string;
  sshPort: number;
  user: string;
  hostPublicKey: string;
  privateKey: string;
  strangerPublicKey: string;
  /** Another ProxyCommand than the stand-in session client, writing its sessions to `log`. */
  proxy?: (log: string) => { command: string; env: NodeJS.ProcessEnv };
}): Promise<SessionProof> {
  const log = path.join(args.work, `sessions-${args.proxy ? "proxy" : "standin"}.log`);
  fs.writeFileSync(log, "");
  const standin = path.join(__dirname, "session-standin.js");
  const proxy = args.proxy?.(log) ?? { command: `node ${standin} ${log} %h %p`, env: {} };
  const env = proxy.env;
  const connection: SshConnection = {
    host: SESSION_TARGET,
    port: args.sshPort,
    user: args.user,
    hostPublicKey: args.hostPublicKey,
    privateKey: args.privateKey,
    proxyCommand: proxy.command,
  };
  const outcome = (what: string, o: Outcome) => {
    if (o.status !== 0) throw new Error(`${what} over the session: exit ${o.status}: ${o.stderr}`);
    return o.stdout.trim();
  };
  const gate = outcome("the gate", await runStep(readinessScript(), connection, "", env));
  const spec = {
    name: "session-proof",
    entries: [
      { path: "hello.txt", contentBase64: Buffer.from("through the session\n").toString("base64") },
    ],
  };
  const dir = shippedDir("vmtest-session", spec);
  outcome("the ship step", await runStep(shipScript(dir), connection, shippedPayload(spec), env));
  const shipped = outcome(
    "reading it",
    await runStep(`sudo -n cat ${dir}/hello.txt`, connection, "", env),
  );
  outcome("the unship step", await runStep(unshipScript(dir), connection, "", env));
  const label = args.proxy ? "proxy" : "";
  const dockerVersion = await dockerThroughProvider(args.work, connection, `pinned${label}`, env);

  const swapped = { ...connection, hostPublicKey: args.strangerPublicKey };
  const refused = await runStep(readinessScript(), swapped, "", env);
  const swappedDocker = await dockerThroughProvider(
    args.work,
    swapped,
    `swapped${label}`,
    env,
  ).then(
    (v) => `accepted: ${v}`,
    (e: Error) => e.message,
  );
  return {
    gate,
    shipped,
    dockerVersion,
    sessions: fs.readFileSync(log, "utf8").trim().split("\n"),
    swappedGate: { status: refused.status, stderr: refused.stderr },
    swappedDocker,
  };
}
