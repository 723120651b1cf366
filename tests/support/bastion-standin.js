#!/usr/bin/env node
// A stand-in for `az network bastion tunnel`, on PATH as `az` for the Bastion bridge's test:
// `az network bastion tunnel --name <b> --resource-group <g> --target-resource-id <vm>
// --resource-port 22 --port <local>` listens on 127.0.0.1:<local>, as the real tunnel does, and
// carries each connection to 127.0.0.1:$DOCKERHOST_TEST_BASTION_TO only (the guest's sshd),
// logging "<b> <g> <vm> <resource port>" per tunnel, so a test can tell the bytes went through it.
"use strict";
/* global setTimeout */
const fs = require("node:fs");
const net = require("node:net");

const args = process.argv.slice(2);
const flag = (name) => args[args.indexOf(name) + 1];
if (args.slice(0, 3).join(" ") !== "network bastion tunnel") {
  process.stderr.write(`bastion stand-in: not a tunnel: ${args.join(" ")}\n`);
  process.exit(2);
}
fs.appendFileSync(
  process.env.DOCKERHOST_TEST_BASTION_LOG,
  `${flag("--name")} ${flag("--resource-group")} ${flag("--target-resource-id")} ${flag("--resource-port")}\n`,
);
const to = Number(process.env.DOCKERHOST_TEST_BASTION_TO);
const server = net.createServer((client) => {
  const upstream = net.connect(to, "127.0.0.1");
  client.pipe(upstream);
  upstream.pipe(client);
  const drop = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", drop);
  upstream.on("error", drop);
});
server.listen(Number(flag("--port")), "127.0.0.1", () =>
  process.stdout.write(`Tunnel is ready, connect on port ${flag("--port")}\n`),
);
// Bounded: a tunnel the bridge forgot to stop ends by itself.
setTimeout(() => process.exit(0), 300_000).unref();
process.on("SIGTERM", () => process.exit(0));
