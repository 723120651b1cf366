import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { SshConnectionArgs } from "../host/ssh-connection";
import { pinnedRemoteConnection } from "../host/readiness";
import type { ContainerSpec, ShippedFilesSpec } from "./container-spec";
import {
  shippedDigest,
  shippedDir,
  shippedPayload,
  shipScript,
  unshipScript,
} from "./shipped-files";

// One command per shipment of files (ShippedFilesSpec) that the containers mount, over the host's
// pinned SSH connection once its readiness gate has passed.

/** Each shipment by name, once (containers may mount the same one); the last spec of a name wins. */
export function shipmentsOf(containers: ContainerSpec[]): Map<string, ShippedFilesSpec> {
  const shipments = new Map<string, ShippedFilesSpec>();
  for (const c of containers)
    for (const v of c.volumes ?? []) if (v.files) shipments.set(v.files.name, v.files);
  return shipments;
}

export function shipFiles(
  component: string,
  containers: ContainerSpec[],
  connection: pulumi.Output<pulumi.Unwrap<SshConnectionArgs>>,
  ready: pulumi.Input<string> | undefined,
  parent: pulumi.Resource,
): Map<string, command.remote.Command> {
  const commands = new Map<string, command.remote.Command>();
  for (const [name, spec] of shipmentsOf(containers)) {
    const dir = shippedDir(component, spec);
    commands.set(
      name,
      new command.remote.Command(
        `${component}-files-${name}`,
        {
          connection: pinnedRemoteConnection(connection),
          // Run once the host's gate has passed, as the engine provider is used.
          create: pulumi.output(ready ?? "").apply(() => shipScript(dir, spec.secret ?? false)),
          // A secret's directory is the same before and after a change: with `update` set, a
          // changed trigger runs it instead of replacing the command (pulumi-command v1.2.1
          // common/inputs.go, Triggers: "If the update command was provided the resource will be
          // updated, otherwise it will be replaced"), so no delete of the replaced command runs
          // after the new files are written and removes them.
          ...(spec.secret ? { update: shipScript(dir, true) } : {}),
          delete: unshipScript(dir),
          // The files, possibly keys or passwords: a secret in state, never on a command line.
          stdin: pulumi.secret(shippedPayload(spec)),
          // New content is a new directory: the command is replaced (its triggers replace it:
          // pulumi-command v1.2.1 provider/pkg/provider/common/inputs.go, Triggers with
          // replaceOnChanges), and so is each container that mounts it (its bind's host path).
          // A secret's digest is a secret too: it could confirm a guess of the content.
          triggers: [spec.secret ? pulumi.secret(shippedDigest(spec)) : shippedDigest(spec)],
        },
        { parent },
      ),
    );
  }
  return commands;
}
