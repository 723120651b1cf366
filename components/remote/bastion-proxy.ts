import { shellQuote } from "../bootstrap/shell";

// SSH through Azure Bastion (an Azure host's `sshAccess: "session"`), as an OpenSSH ProxyCommand
// the session transport runs (session-transport.ts). Bastion's native client has no stdio mode:
// `az network bastion tunnel --name <bastion> --resource-group <group> --target-resource-id <vm>
// --resource-port 22 --port <local>` only opens a local port (Azure Bastion docs, "Connect to a
// VM using Bastion and a native client": the tunnel command), and `az network bastion ssh` runs
// ssh itself with StrictHostKeyChecking=no (Azure/azure-cli-extensions, bastion custom.py), which
// would drop the pin. So the ProxyCommand is a small bridge: it takes a free port on 127.0.0.1,
// starts the tunnel there, dials it until it answers, and carries ssh's stdin and stdout to it;
// sshd's host key is still checked by the deployer's ssh against the pinned one.
//
// The bridge is inline (`node -e`): node is on every machine that runs a Pulumi TypeScript
// program, and the command stays the same from any checkout or CI runner, so a step's inputs
// do not change with the path it runs from. It holds no "%" (ssh's token character) and no "'".

/** How long the bridge waits for the tunnel's port: `az` signs in and reaches Bastion first. */
export const BASTION_TUNNEL_WAIT_SECONDS = 60;

/**
 * ssh's ConnectTimeout through the bridge. With a ProxyCommand it bounds the banner exchange
 * (openssh ssh.c/sshconnect.c), which here also holds node's and az's start, az's ARM read of
 * the Bastion, its token and the websocket, and Bastion's own connection to sshd: the tunnel's
 * wait and a margin.
 */
export const BASTION_CONNECT_TIMEOUT_SECONDS = BASTION_TUNNEL_WAIT_SECONDS + 30;

/**
 * What the bridge prints when the tunnel cannot come up at all (no az, or az ended: not signed
 * in, no extension, no Reader role): the session script stops at once on these instead of
 * retrying a failure that stays.
 */
export const BASTION_FATAL_MARKERS = ["dockerhost: cannot run az", "dockerhost: az ended"];

// ssh ends its ProxyCommand with SIGHUP and does not wait (openssh sshconnect.c,
// ssh_kill_proxy_command), and az's tunnel accepts connections until it is stopped: the bridge
// stops az on SIGHUP, SIGTERM and SIGINT, and when the tunnel closes it flushes its stdout
// first (pipe writes are asynchronous in node). az's stderr goes through the bridge, so az holds
// none of the caller's pipes; --only-show-errors drops az's per-tunnel warnings.
const BRIDGE = [
  "const net = require(`net`), cp = require(`child_process`);",
  "const [name, group, target] = process.argv.slice(1);",
  "let az;",
  "const end = (code) => { if (az) az.kill(); process.exit(code); };",
  "for (const signal of [`SIGHUP`, `SIGTERM`, `SIGINT`]) process.on(signal, () => end(0));",
  "process.stdout.on(`error`, () => end(0));",
  "const probe = net.createServer().listen(0, `127.0.0.1`, () => {",
  "  const port = probe.address().port;",
  "  probe.close(() => {",
  "    az = cp.spawn(`az`, [`network`, `bastion`, `tunnel`, `--name`, name, `--resource-group`, group,",
  "      `--target-resource-id`, target, `--resource-port`, `22`, `--port`, String(port), `--only-show-errors`],",
  "      { stdio: [`ignore`, `ignore`, `pipe`] });",
  "    az.stderr.pipe(process.stderr);",
  "    let connected = false;",
  "    az.on(`error`, (e) => { console.error(`dockerhost: cannot run az: ${e.message}`); end(255); });",
  "    az.on(`exit`, (code) => { if (!connected) { console.error(`dockerhost: az ended (${code}) before its tunnel to ${target} opened`); end(255); } });",
  `    const deadline = Date.now() + ${BASTION_TUNNEL_WAIT_SECONDS * 1000};`,
  "    const dial = () => {",
  "      const s = net.connect(port, `127.0.0.1`);",
  "      const retry = () => {",
  "        s.destroy();",
  "        if (Date.now() > deadline) {",
  `          console.error(\`dockerhost: the Bastion tunnel to \${target} did not open in ${BASTION_TUNNEL_WAIT_SECONDS} s (Connection timed out)\`);`,
  "          end(255);",
  "        } else setTimeout(dial, 200);",
  "      };",
  "      s.once(`error`, retry);",
  "      s.once(`connect`, () => {",
  "        connected = true;",
  "        s.removeListener(`error`, retry);",
  "        process.stdin.pipe(s); s.pipe(process.stdout, { end: false });",
  "        s.on(`end`, () => process.stdout.write(``, () => end(0)));",
  "        s.on(`error`, () => end(255));",
  "      });",
  "    };",
  "    dial();",
  "  });",
  "});",
].join(" ");

/** Whether a ProxyCommand is this bridge: its session steps dial with the bridge's bounds. */
export function isBastionBridge(proxyCommand: string | undefined): boolean {
  return proxyCommand?.startsWith(`node -e ${shellQuote(BRIDGE)} `) ?? false;
}

/** The ProxyCommand: the bridge, and the Bastion and VM it tunnels to. */
export function azureBastionProxyCommand(
  bastionName: string,
  resourceGroup: string,
  vmId: string,
): string {
  return ["node", "-e", BRIDGE, bastionName, resourceGroup, vmId].map(shellQuote).join(" ");
}
