import * as pulumi from "@pulumi/pulumi";
import type { SshConnectionArgs } from "../remote/ssh-connection";
import { hostCommand, type HostCommand } from "../remote/host-command";
import type { SshAccess } from "../remote/session-transport";
import type { ContainerSpec, ShippedFilesSpec } from "../core/container-spec";
import { shippedDigest } from "../core/shipped-digest";
import { shippedDir, shippedPayload, shipScript, unshipScript } from "./shipped-files";

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
  access: SshAccess,
  parent: pulumi.Resource,
): Map<string, HostCommand> {
  const commands = new Map<string, HostCommand>();
  for (const [name, spec] of shipmentsOf(containers)) {
    const dir = shippedDir(component, spec);
    commands.set(
      name,
      hostCommand(
        `${component}-files-${name}`,
        {
          connection,
          access,
          // Run once the host's gate has passed, as the engine provider is used.
          create: pulumi.output(ready ?? "").apply(() => shipScript(dir, spec.secret ?? false)),
          delete: unshipScript(dir),
          // The files, possibly keys or passwords: a secret in state, never on a command line.
          stdin: pulumi.secret(shippedPayload(spec)),
          // A secret's directory is the same before and after a change, so a change must not
          // replace the command: the replaced command's delete would run after the new one's
          // create and remove the files it wrote. Without triggers, a changed input (the stdin)
          // is an update, which runs `update` in place (pulumi-command v1.2.1
          // provider/pkg/provider/common/inputs.go, Create: "If an `update` command isn't
          // provided, then `create` will also be run when the resource's inputs are modified").
          // Other files do take triggers: their new directory is a new command, replaced (the SDK
          // sets replaceOnChanges ["triggers[*]"] on every Command: @pulumi/command 1.2.1
          // remote/command.js, whatever `update` says; pulumi/pulumi-command#855), and the old
          // one's delete removes the old directory once nothing mounts it.
          ...(spec.secret
            ? { update: shipScript(dir, true) }
            : { triggers: [shippedDigest(spec)] }),
        },
        { parent },
      ),
    );
  }
  return commands;
}
