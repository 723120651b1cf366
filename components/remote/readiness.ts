import * as pulumi from "@pulumi/pulumi";
import type { SshConnection } from "./ssh-connection";
import { hostCommand, type HostCommand } from "./host-command";
import type { SshAccess } from "./session-transport";

/** Longest wait for cloud-init on the host: a slow package mirror, an SELinux relabel reboot. */
export const CLOUD_INIT_WAIT_SECONDS = 1500;
/**
 * Dial attempts before giving up on a booting host. The provider waits up to 5 s between
 * attempts, so 150 refused dials span about 13 minutes: a first boot that turns SELinux on
 * installs a policy, labels every file and reboots before sshd lets anyone in.
 */
export const GATE_DIAL_ATTEMPTS = 150;
export const GATE_DIAL_TIMEOUT_SECONDS = 10;

/**
 * The gate's shell text: waits for cloud-init, fails with cloud-init's own error text, then
 * asks the engine for its version as the login user. `sg` reads the docker group membership
 * that cloud-init added after this SSH session began.
 */
export function readinessScript(): string {
  return [
    "set -eu",
    "if command -v cloud-init >/dev/null 2>&1; then",
    "  rc=0",
    `  timeout ${CLOUD_INIT_WAIT_SECONDS} cloud-init status --wait >/dev/null 2>&1 || rc=$?`,
    '  if [ "$rc" -eq 2 ]; then echo "dockerhost: cloud-init finished with warnings" >&2; fi',
    '  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then',
    '    echo "dockerhost: provisioning failed on $(hostname) (cloud-init exit $rc):" >&2',
    "    cloud-init status --long >&2 || true",
    "    sudo -n tail -n 40 /var/log/cloud-init-output.log >&2 || true",
    "    exit 1",
    "  fi",
    "fi",
    "exec sg docker -c 'docker version --format \"{{.Server.Version}}\"'",
  ].join("\n");
}

export interface ReadinessGateArgs {
  connection: pulumi.Input<SshConnection>;
  access: SshAccess;
  /** Values whose change means a new machine to wait for (instance id, user-data hash). */
  triggers: pulumi.Input<unknown>[];
}

/** The readiness gate as a resource: its stdout (the engine version) is the host's `ready`. */
export function waitForDocker(
  name: string,
  args: ReadinessGateArgs,
  opts: pulumi.CustomResourceOptions,
): HostCommand {
  return hostCommand(
    name,
    {
      connection: args.connection,
      access: args.access,
      dial: { attempts: GATE_DIAL_ATTEMPTS, timeoutSeconds: GATE_DIAL_TIMEOUT_SECONDS },
      create: readinessScript(),
      triggers: args.triggers,
    },
    { ...opts, customTimeouts: { create: "40m" } },
  );
}
