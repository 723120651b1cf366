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

const BRIDGE = [
  "const net = require(`net`), cp = require(`child_process`);",
  "const [name, group, target] = process.argv.slice(1);",
  "const probe = net.createServer().listen(0, `127.0.0.1`, () => {",
  "  const port = probe.address().port;",
  "  probe.close(() => {",
  "    const az = cp.spawn(`az`, [`network`, `bastion`, `tunnel`, `--name`, name, `--resource-group`, group,",
  "      `--target-resource-id`, target, `--resource-port`, `22`, `--port`, String(port)],",
  "      { stdio: [`ignore`, `ignore`, `inherit`] });",
  "    const end = (code) => { az.kill(); process.exit(code); };",
  "    az.on(`error`, (e) => { console.error(`dockerhost: cannot run az: ${e.message}`); end(255); });",
  `    const deadline = Date.now() + ${BASTION_TUNNEL_WAIT_SECONDS * 1000};`,
  "    const dial = () => {",
  "      const s = net.connect(port, `127.0.0.1`);",
  "      s.once(`connect`, () => {",
  "        process.stdin.pipe(s); s.pipe(process.stdout);",
  "        s.on(`close`, () => end(0)); s.on(`error`, () => end(255));",
  "      });",
  "      s.once(`error`, () => {",
  "        s.destroy();",
  "        if (az.exitCode !== null || Date.now() > deadline) {",
  "          console.error(`dockerhost: the Bastion tunnel to ${target} did not open (Connection refused)`);",
  "          end(255);",
  "        } else setTimeout(dial, 200);",
  "      });",
  "    };",
  "    dial();",
  "  });",
  "});",
].join(" ");

/** The ProxyCommand: the bridge, and the Bastion and VM it tunnels to. */
export function azureBastionProxyCommand(
  bastionName: string,
  resourceGroup: string,
  vmId: string,
): string {
  return ["node", "-e", BRIDGE, bastionName, resourceGroup, vmId].map(shellQuote).join(" ");
}
