#!/usr/bin/env node
// npm run render -- --os <os> --arch <arch> [--hardening <p>] [--selinux <m>] [--cloud <c>]
// Prints the exact user-data a host would get, with placeholder keys; exits 1 with the
// validation message when the combination is refused.
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const require = createRequire(import.meta.url);
if (!existsSync(new URL("../dist/components/bootstrap/index.js", import.meta.url))) {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], {
    stdio: "inherit",
  });
}
const {
  renderCloudInit,
  DockerHostConfigError,
  CLOUD_DATA_DISK_DEVICES,
} = require("../dist/components/bootstrap/index.js");

const { values } = parseArgs({
  options: {
    os: { type: "string", default: "debian-12" },
    arch: { type: "string", default: "x86_64" },
    cloud: { type: "string", default: "aws" },
    hardening: { type: "string" },
    selinux: { type: "string" },
    "docker-version": { type: "string" },
    "ssh-key": {
      type: "string",
      default:
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlaceholderDeployerKey000000000000000 you@workstation",
    },
    "no-data-disk": { type: "boolean", default: false },
  },
});

const diskIds = { aws: "vol-0123456789abcdef0", azure: "0", local: "dockerhost-data" };
try {
  const devices = CLOUD_DATA_DISK_DEVICES[values.cloud]?.(diskIds[values.cloud]);
  process.stdout.write(
    renderCloudInit({
      os: values.os,
      arch: values.arch,
      cloud: values.cloud,
      hardening: values.hardening,
      selinux: values.selinux,
      docker: values["docker-version"] ? { version: values["docker-version"] } : undefined,
      sshAuthorizedKeys: [values["ssh-key"]],
      hostKey: {
        ed25519Private:
          "-----BEGIN OPENSSH PRIVATE KEY-----\n(generated at deploy time, kept as a Pulumi secret)\n-----END OPENSSH PRIVATE KEY-----\n",
        ed25519Public:
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlaceholderHostKeyGeneratedAtDeploy000000",
      },
      ...(devices && !values["no-data-disk"] ? { dataDisk: { devices } } : {}),
    }),
  );
} catch (e) {
  if (e instanceof DockerHostConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
