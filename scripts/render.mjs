#!/usr/bin/env node
// npm run render -- --os <os> --arch <arch> [--hardening <p>] [--selinux <m>] [--cloud <c>]
// Prints the exact user-data a host would get, with placeholder keys, and on stderr what it
// rendered; exits 1 with the validation message when the combination is refused, 2 with the
// usage for an unknown flag.
// npm run render -- --compose <file> [--profile <p> ...]
// Prints what composeServices makes of a compose file (as `docker compose config` prints it
// normalized): the containers, networks, volumes and shipped files, no secret shown.
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const USAGE = `usage: npm run render -- [options]
       npm run render -- --compose <file> [--profile <name> ...]

Prints the cloud-init user-data a dockerhost host would boot with (placeholder keys), or with
--compose what dockerhost deploys from a compose file: its services as containers, networks,
volumes and shipped files (secrets shown as [secret], files as paths, sizes and digests).

  --os <name>              amazon-linux-2023, ubuntu-24.04, debian-12 (default) or rhel-9
  --arch <arch>            x86_64 (default) or arm64
  --cloud <target>         aws (default), azure or local
  --hardening <profile>    off, baseline (default) or strict
  --selinux <mode>         enforcing, permissive, disabled or os-default (default)
  --docker-version <pin>   the engine package version
  --ssh-key <key>          the deployer's OpenSSH public key (a placeholder by default)
  --no-data-disk           /var/lib/docker on the root disk
  --compose <file>         a compose file instead: what composeServices reads from it
  --profile <name>         with --compose, a Compose profile to run (repeatable)
  -h, --help               this text
`;

const options = {
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
  compose: { type: "string" },
  profile: { type: "string", multiple: true },
  help: { type: "boolean", short: "h", default: false },
};
let values;
try {
  ({ values } = parseArgs({ options, strict: true, allowPositionals: false }));
} catch (e) {
  process.stderr.write(`render: ${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const built = ["bootstrap/index.js", "compose/compose-view.js", "services/compose-app.js"].every(
  (f) => existsSync(new URL(`../dist/components/${f}`, import.meta.url)),
);
if (!built) {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], {
    stdio: "inherit",
  });
}
if (values.compose !== undefined) {
  const { composeServices } = require("../dist/components/services/compose-app.js");
  const { composeView } = require("../dist/components/compose/compose-view.js");
  const { DockerHostConfigError } = require("../dist/components/core/config-error.js");
  const { stringify } = require("yaml");
  try {
    const app = composeServices(values.compose, { profiles: values.profile });
    process.stdout.write(stringify(composeView(app)));
    process.stderr.write(
      `render: ${values.compose}: ${app.containers.length} containers, ${app.networks.length} networks, ${app.volumes.length} volumes\n`,
    );
    process.exit(0);
  } catch (e) {
    if (e instanceof DockerHostConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
const {
  renderCloudInit,
  DockerHostConfigError,
  CLOUD_DATA_DISK_DEVICES,
  resolveHostSpec,
} = require("../dist/components/bootstrap/index.js");

const diskIds = { aws: "vol-0123456789abcdef0", azure: "0", local: "dockerhost-data" };
try {
  const devices = CLOUD_DATA_DISK_DEVICES[values.cloud]?.(diskIds[values.cloud]);
  const spec = {
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
  };
  const text = renderCloudInit(spec);
  const host = resolveHostSpec(spec);
  process.stdout.write(text);
  process.stderr.write(
    `render: ${host.os} ${host.arch} on ${host.cloud}, hardening ${host.hardening}, selinux ${host.selinux}, engine from ${host.engineSource}${host.dataDisk ? ", /var/lib/docker on a data disk" : ""}\n`,
  );
} catch (e) {
  if (e instanceof DockerHostConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
