#!/usr/bin/env node
// A stand-in for a cloud's session client, as an OpenSSH ProxyCommand: `node session-standin.js
// <log> <target> <port>`. Like `aws ssm start-session`, it is handed a target that is no address
// (a session id); it carries stdin/stdout to 127.0.0.1:<port> only and logs each session, so a
// test can tell that the bytes went through it and not through a dial of its own.
"use strict";
const fs = require("node:fs");
const net = require("node:net");

const [log, target, port] = process.argv.slice(2);
fs.appendFileSync(log, `${target} ${port}\n`);
const socket = net.connect(Number(port), "127.0.0.1");
socket.setTimeout(120_000, () => socket.destroy());
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on("error", (e) => {
  process.stderr.write(`session stand-in: ${e.message}\n`);
  process.exit(255);
});
socket.on("close", () => process.exit(0));
