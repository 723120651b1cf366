import { acrLoginServerOf, parseRegistryId } from "../core/azure-ids";
import type { ContainerSpec } from "../core/container-spec";

// Pulls from Azure Container Registry by the VM's managed identity (`acrRegistries` on an Azure
// host): the identity holds AcrPull on the named registries and nothing else, and the host's
// docker-credential-dockerhost-acr (bootstrap/acr-credential-helper.ts) turns it into a registry
// token at each pull. No password exists anywhere, so none reaches config or state. Pure.

export interface AcrArgs {
  acrRegistries?: string[];
  containers?: { image?: unknown }[];
  registries?: { address: string }[];
}

/** The named registries' login servers, each once, sorted. */
export function acrLoginServers(acrRegistries: string[] | undefined): string[] {
  const servers = (acrRegistries ?? []).flatMap((id) => {
    const parsed = parseRegistryId(id);
    return parsed ? [parsed.loginServer] : [];
  });
  return [...new Set(servers)].sort();
}

export function acrProblems(args: AcrArgs): string[] {
  const problems: string[] = [];
  (args.acrRegistries ?? []).forEach((id, i) => {
    if (!parseRegistryId(id))
      problems.push(
        `acrRegistries[${i}]: ${JSON.stringify(id)} is no container registry's resource id. Give it as /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name> (the registry's id).`,
      );
  });
  const named = new Set(acrLoginServers(args.acrRegistries));
  const withPassword = new Set((args.registries ?? []).map((r) => r.address.toLowerCase()));
  (args.containers ?? []).forEach((c, i) => {
    const server = typeof c.image === "string" ? acrLoginServerOf(c.image) : undefined;
    if (server && !(c.image as string).startsWith(`${server}/`) && named.has(server)) {
      // The docker CLI looks a registry up in root's credHelpers as the image writes it.
      problems.push(
        `containers[${i}].image: ${JSON.stringify(c.image)} writes the registry's host with capitals; root's docker config names it ${server}, and the docker CLI looks it up as written. Write it ${server}.`,
      );
      return;
    }
    if (!server || named.has(server) || withPassword.has(server)) return;
    problems.push(
      `containers[${i}].image: ${JSON.stringify(c.image)} is in registry ${server}, which acrRegistries does not name, so the host may not pull it. Add the registry's resource id to acrRegistries, or give it a username and password in registries.`,
    );
  });
  return problems;
}

/**
 * The containers an Azure host pulls itself: images in its named registries, and, where no
 * registry has a password, images known only at deploy (an Output). A container's own
 * `pullOnHost` wins; a built image is built on the host anyway.
 */
export function withAcrPulls(
  containers: ContainerSpec[] | undefined,
  acrRegistries: string[] | undefined,
  registries: { address: string }[] | undefined,
): ContainerSpec[] | undefined {
  const named = new Set(acrLoginServers(acrRegistries));
  if (!containers || named.size === 0) return containers;
  const outputsOnHost = (registries ?? []).length === 0;
  return containers.map((c) => {
    if (c.build || c.pullOnHost !== undefined || c.image === undefined) return c;
    const hostPulls =
      typeof c.image === "string" ? named.has(acrLoginServerOf(c.image) ?? "") : outputsOnHost;
    return hostPulls ? { ...c, pullOnHost: true } : c;
  });
}
