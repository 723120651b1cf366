import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { parseKeyVaultSecretId, parseRegistryId } from "../core/azure-ids";
import type { ContainerSpec } from "../core/container-spec";

// What the VM's system-assigned managed identity may do, each as one role assignment on exactly
// what the host's options name: AcrPull on each registry of acrRegistries, Key Vault Secrets User
// on each Key Vault secret its containers read (cloudSecrets). Nothing at a wider scope.

/** Built-in role definition ids ("Azure built-in roles", Containers and Security). */
export const BUILT_IN_ROLES = {
  /** Pull artifacts from a container registry. */
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  /** Read secret contents (Microsoft.KeyVault/vaults/secrets/getSecret/action). */
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
} as const;

export interface VmGrant {
  /** The assignment's logical name, from what it grants on. */
  name: string;
  scope: string;
  roleDefinitionId: string;
}

function roleDefinitionId(subscription: string, role: string): string {
  return `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}

/**
 * The grants, each once, in a stable order. Pure; the ids were checked at preview. Azure compares
 * ids without regard to case, and so do these: one scope in one case, whatever case it was
 * written in, so that rewriting an id's case changes nothing.
 */
export function vmGrants(
  hostName: string,
  acrRegistries: string[] | undefined,
  containers: ContainerSpec[] | undefined,
): VmGrant[] {
  const grants = new Map<string, VmGrant>();
  for (const id of acrRegistries ?? []) {
    const registry = parseRegistryId(id);
    if (!registry) continue;
    const name = `${hostName}-acr-pull-${registry.name.toLowerCase()}`;
    grants.set(id.toLowerCase(), {
      name,
      scope: id.toLowerCase(),
      roleDefinitionId: roleDefinitionId(registry.subscription, BUILT_IN_ROLES.acrPull),
    });
  }
  for (const c of containers ?? [])
    for (const s of c.cloudSecrets ?? []) {
      const secret = s.keyVaultSecret ? parseKeyVaultSecretId(s.keyVaultSecret) : undefined;
      if (!secret) continue;
      // A vault's name holds no "--" and ends in a letter or digit: the first "--" ends it.
      const name = `${hostName}-secret-${secret.vault.toLowerCase()}--${secret.secret.toLowerCase()}`;
      grants.set(s.keyVaultSecret!.toLowerCase(), {
        name,
        scope: s.keyVaultSecret!.toLowerCase(),
        roleDefinitionId: roleDefinitionId(secret.subscription, BUILT_IN_ROLES.keyVaultSecretsUser),
      });
    }
  return [...grants.values()];
}

/**
 * The assignments, to the VM's identity. `principalType: "ServicePrincipal"` because the
 * identity is new: Azure then skips the directory lookup that fails with PrincipalNotFound while
 * a new principal replicates ("Assign Azure roles using Azure Resource Manager templates",
 * principalType). An assignment's name is a GUID, which azure-native makes when none is given.
 */
export function assignVmRoles(
  grants: VmGrant[],
  principalId: pulumi.Output<string>,
  parent: pulumi.Resource,
): authorization.RoleAssignment[] {
  return grants.map(
    (g) =>
      new authorization.RoleAssignment(
        g.name,
        {
          principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: g.roleDefinitionId,
          scope: g.scope,
          description: `dockerhost: ${g.name}`,
        },
        // A replaced VM has a new identity, and azure-native replaces an assignment whose
        // principalId or scope changes (its forceNew properties, listed for
        // RoleAssignment since pulumi-azure-native#1010). The VM goes first
        // (deleteBeforeReplace), and so do its dependents that are replaced with it; the
        // assignment does too where it alone is replaced, since Azure refuses a second
        // assignment of the same role, principal and scope (RoleAssignmentExists).
        { parent, deleteBeforeReplace: true },
      ),
  );
}
