// Azure resource ids the host's managed identity is granted on: a Key Vault secret (containers'
// cloudSecrets) and a container registry (acrRegistries). Pure grammar. Azure compares ids
// without regard to case ("Resource naming rules": resource provider namespaces and types are
// case-insensitive), so the words of the path are matched that way.

const SUBSCRIPTION = "/subscriptions/([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})";
const GROUP = "/resourceGroups/([-\\w.()]{1,90})";

/**
 * A vault's name: 3-24 letters, digits and hyphens, from a letter, to a letter or digit, no
 * "--"; a secret's: 1-127 letters, digits and hyphens ("Naming rules and restrictions for Azure
 * resources", Microsoft.KeyVault).
 */
const KEY_VAULT_SECRET = new RegExp(
  `^${SUBSCRIPTION}${GROUP}/providers/Microsoft\\.KeyVault/vaults/([A-Za-z](?![A-Za-z0-9-]*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9])/secrets/([A-Za-z0-9-]{1,127})$`,
  "i",
);

/** A registry's name: 5-50 letters and digits (Microsoft.ContainerRegistry's naming rule). */
const REGISTRY = new RegExp(
  `^${SUBSCRIPTION}${GROUP}/providers/Microsoft\\.ContainerRegistry/registries/([A-Za-z0-9]{5,50})$`,
  "i",
);

export interface KeyVaultSecretId {
  subscription: string;
  vault: string;
  secret: string;
}

export function parseKeyVaultSecretId(id: string): KeyVaultSecretId | undefined {
  const m = KEY_VAULT_SECRET.exec(id);
  return m ? { subscription: m[1], vault: m[3], secret: m[4] } : undefined;
}

/**
 * The secret's versionless URL in Azure's public cloud (`https://<vault>.vault.azure.net`, Key
 * Vault's "About keys, secrets, and certificates": object identifiers); a read gets the current
 * version. Sovereign clouds use other suffixes, which dockerhost does not serve.
 */
export function keyVaultSecretUrl(id: string): string {
  const parsed = parseKeyVaultSecretId(id);
  if (!parsed) throw new Error(`unreachable: ${id} was checked at preview`);
  return `https://${parsed.vault.toLowerCase()}.vault.azure.net/secrets/${parsed.secret}`;
}

export interface RegistryId {
  subscription: string;
  name: string;
  /** The registry's login server in Azure's public cloud: `<name, lowercase>.azurecr.io`. */
  loginServer: string;
}

export function parseRegistryId(id: string): RegistryId | undefined {
  const m = REGISTRY.exec(id);
  return m
    ? { subscription: m[1], name: m[3], loginServer: `${m[3].toLowerCase()}.azurecr.io` }
    : undefined;
}

/** An image's registry when it is an Azure container registry's login server. */
export function acrLoginServerOf(image: string): string | undefined {
  const slash = image.indexOf("/");
  if (slash < 0) return undefined;
  const host = image.slice(0, slash).toLowerCase();
  return /^[a-z0-9]{5,50}\.azurecr\.io$/.test(host) ? host : undefined;
}
