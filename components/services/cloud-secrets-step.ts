import * as pulumi from "@pulumi/pulumi";
import { hostCommand, type HostCommand } from "../remote/host-command";
import { secretsRemoveScript, secretsStepScript } from "./cloud-secrets";
import type { ContainerSpec } from "../core/container-spec";
import type { ContainerContext } from "./service-container";

/**
 * The container's `<c>-secrets` step on the host (cloud-secrets.ts), before the container. No
 * triggers: the files keep their paths across a change, so a change is an update, which runs the
 * step again in place (pulumi-command v1.2.1 common/inputs.go: without `update`, `create` runs
 * on updates); a replacement would run the old copy's delete after the new create and remove
 * the files it wrote. The delete runs when the container leaves the app.
 */
export function cloudSecretsStep(ctx: ContainerContext, spec: ContainerSpec): HostCommand {
  return hostCommand(
    `${ctx.component}-${spec.name}-secrets`,
    {
      connection: ctx.connection,
      access: ctx.access,
      // After the host's gate, as the provider's own calls are.
      create: pulumi.output(ctx.ready).apply(() => secretsStepScript(ctx.component, spec)),
      delete: secretsRemoveScript(ctx.component, spec),
    },
    { parent: ctx.parent },
  );
}
