import * as pulumi from "@pulumi/pulumi";
import { shellQuote } from "../bootstrap/shell";
import { hostCommand, type HostCommand } from "../remote/host-command";
import type { ContainerContext } from "./service-container";
import type { ContainerSpec } from "../core/container-spec";

// A container's image pulled on the host itself (`pullOnHost`), by root's docker CLI, whose
// credential helpers authenticate with the host's cloud identity (credential-helpers.ts); the
// provider's own pull can only send the registries' passwords it was given. The image's
// RemoteImage comes after: the provider looks for the image on the host before it pulls
// (terraform-provider-docker v4.5.0 resource_docker_image_funcs.go, findImage:
// searchLocalImages, and "if foundImage != nil { return foundImage, nil }"), so it pulls nothing.

/**
 * Tries while the registry refuses (a new grant takes a while to be honoured: IAM is eventually
 * consistent, and Azure may take up to 10 minutes for a new role assignment, "Troubleshoot Azure
 * RBAC"), so a host's first pull does not fail on a grant made a moment ago; any other failure
 * (no such image or tag, no network) ends the step at once with docker's own words. A refusal
 * reads "unauthorized" (the registry's answer, and ACR's helper's own word for a refused
 * exchange), "not authorized" (IAM's AccessDenied, as the ECR helper passes it on), or an HTTP
 * 401/403; Docker Hub's "pull access denied" for a missing public image is not one.
 */
export const PULL_REFUSED_TRIES = 60;
export const PULL_REFUSED_PAUSE_SECONDS = 10;

/** Root, with root's HOME (`-H`): only root reaches the metadata service (metadata-lockdown.ts). */
export function hostPullScript(image: string): string {
  const quoted = shellQuote(image);
  return [
    "n=0",
    `until err=$(sudo -n -H docker pull -q ${quoted} 2>&1 >/dev/null); do`,
    "  n=$((n+1))",
    '  case "$err" in',
    `    *unauthorized*|*"not authorized"*|*"HTTP Error 40"[13]*|*"403 Forbidden"*) [ "$n" -lt ${PULL_REFUSED_TRIES} ] || { echo "$err" >&2; exit 1; }; sleep ${PULL_REFUSED_PAUSE_SECONDS} ;;`,
    '    *) echo "$err" >&2; exit 1 ;;',
    "  esac",
    "done",
    `sudo -n docker image inspect -f '{{.Id}}' ${quoted}`,
  ].join("\n");
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
