#!/usr/bin/env node
// A stand-in for `az network bastion tunnel`, on PATH as `az` for the Bastion bridge's test:
// `az network bastion tunnel --name <b> --resource-group <g> --target-resource-id <vm>
// --resource-port 22 --port <local>` listens on 127.0.0.1:<local>, as the real tunnel does, and
// carries each connection to 127.0.0.1:$DOCKERHOST_TEST_BASTION_TO only (the guest's sshd),
// logging "<b> <g> <vm> <resource port>" per tunnel, so a test can tell the bytes went through it,
// and its pid to <log>.pids, so a test can tell the bridge stopped it.
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
const log = process.env.DOCKERHOST_TEST_BASTION_LOG;
fs.appendFileSync(`${log}.pids`, `${process.pid}\n`);
if (process.env.DOCKERHOST_TEST_BASTION_FAIL) {
  // As az does when it is not signed in.
  process.stderr.write("ERROR: Please run 'az login' to setup account.\n");
  process.exit(1);
}
fs.appendFileSync(
  log,
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
// The real tunnel reads the Bastion and gets a token before it listens: the bridge dials until
// the port answers.
setTimeout(() => server.listen(Number(flag("--port")), "127.0.0.1"), 1000);
// Bounded: a tunnel the bridge forgot to stop ends by itself (a test checks that none is left).
setTimeout(() => process.exit(0), 300_000).unref();
