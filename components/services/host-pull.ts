import * as pulumi from "@pulumi/pulumi";
import { shellQuote } from "../bootstrap/shell";
import { hostCommand, type HostCommand } from "../host/host-command";
import type { ContainerContext } from "./service-container";
import type { ContainerSpec } from "./container-spec";

// A container's image pulled on the host itself (`pullOnHost`), by root's docker CLI, whose
// credential helpers authenticate with the host's cloud identity (credential-helpers.ts); the
// provider's own pull can only send the registries' passwords it was given. The image's
// RemoteImage comes after: the provider looks for the image on the host before it pulls
// (terraform-provider-docker v4.5.0 resource_docker_image_funcs.go, findImage:
// searchLocalImages, and "if foundImage != nil { return foundImage, nil }"), so it pulls nothing.

/** Root, with root's HOME (`-H`): only root reaches the metadata service (metadata-lockdown.ts). */
export function hostPullScript(image: string): string {
  const quoted = shellQuote(image);
  return `sudo -n -H docker pull -q ${quoted} >/dev/null && sudo -n docker image inspect -f '{{.Id}}' ${quoted}`;
}

export function hostPull(ctx: ContainerContext, spec: ContainerSpec): HostCommand {
  return hostCommand(
    `${ctx.component}-${spec.name}-pull`,
    {
      connection: ctx.connection,
      access: ctx.access,
      // After the host's gate, as the provider's own calls are; a changed connection (a new
      // host) is an update, which runs `create` again there (pulumi-command v1.2.1
      // common/inputs.go: without `update`, `create` runs on updates).
      create: pulumi.all([spec.image!, ctx.ready]).apply(([image]) => hostPullScript(image)),
      // Another image is another pull.
      triggers: [spec.image!],
    },
    { parent: ctx.parent },
  );
}
