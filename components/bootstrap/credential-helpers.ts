import { installIfMissing } from "./engine-install";
import { shellScript } from "./shell";
import type { CredentialHelper, OsName } from "./types";
import { ACR_HELPER_PATH, ACR_HELPER_SCRIPT } from "./acr-credential-helper";

// Registries the host authenticates to with its own cloud identity: Docker's credential helper
// for each, configured for root, whose docker CLI does the host's pulls. Root, because the
// metadata lockdown (metadata-lockdown.ts) keeps every other user from the instance metadata
// service, where the helper's SDK finds the instance profile's credentials. Nothing is stored:
// the helper asks for a short-lived token at each pull.

/** The helpers the payload writes itself (no OS packages them), by path and text. */
export const SHIPPED_CREDENTIAL_HELPERS = {
  "dockerhost-acr": { path: ACR_HELPER_PATH, script: ACR_HELPER_SCRIPT },
} as const satisfies Partial<Record<CredentialHelper, { path: string; script: string }>>;

type PackagedHelper = Exclude<CredentialHelper, keyof typeof SHIPPED_CREDENTIAL_HELPERS>;

export function isPackagedHelper(helper: CredentialHelper): helper is PackagedHelper {
  return !(helper in SHIPPED_CREDENTIAL_HELPERS);
}

/** The package that carries each helper, per catalog OS; undefined where the OS has none. */
export const CREDENTIAL_HELPER_PACKAGES: Record<
  PackagedHelper,
  Record<OsName, string | undefined>
> = {
  // amazon-ecr-credential-helper: Debian 12 (0.6.0), Ubuntu 24.04 (universe, 0.7.1) and Amazon
  // Linux 2023 (the helper's README: `dnf install amazon-ecr-credential-helper`). RHEL 9's
  // repositories carry none.
  "ecr-login": {
    "amazon-linux-2023": "amazon-ecr-credential-helper",
    "ubuntu-24.04": "amazon-ecr-credential-helper",
    "debian-12": "amazon-ecr-credential-helper",
    "rhel-9": undefined,
  },
};

/** Root's docker CLI config: the helper per registry (docker/cli config file, `credHelpers`). */
export const ROOT_DOCKER_CONFIG = "/root/.docker/config.json";

export function dockerConfigJson(helpers: Record<string, CredentialHelper>): string {
  const sorted = Object.fromEntries(Object.entries(helpers).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ credHelpers: sorted }, null, 2)}\n`;
}

/** A registry host as the helper's config takes it: a DNS name, no scheme, no path. */
const REGISTRY_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

export function credentialHelperProblems(
  os: OsName,
  helpers: Record<string, CredentialHelper> | undefined,
): string[] {
  if (!helpers) return [];
  const problems: string[] = [];
  for (const registry of Object.keys(helpers))
    if (!REGISTRY_HOST.test(registry))
      problems.push(
        `credentialHelpers: ${JSON.stringify(registry)} is no registry host name. Give the host alone, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com.`,
      );
  for (const helper of new Set(Object.values(helpers).filter(isPackagedHelper)))
    if (!CREDENTIAL_HELPER_PACKAGES[helper][os])
      problems.push(
        `credentialHelpers: ${os} has no package for docker-credential-${helper}. Use another os (${Object.entries(
          CREDENTIAL_HELPER_PACKAGES[helper],
        )
          .filter(([, p]) => p)
          .map(([o]) => o)
          .join(", ")}), or give the registry a username and password in registries.`,
      );
  return problems;
}

/**
 * The step: the helper's package where the image lacks it (a bake holds no helper: it is a
 * per-host choice). On a baked image apt may have no lists: update, then try again. Root's
 * config (dockerConfigJson) is one of the host's files, written before any step.
 */
export function credentialHelpersScript(
  manager: "apt" | "dnf",
  os: OsName,
  helpers: Record<string, CredentialHelper>,
): string {
  const lines: string[] = [];
  for (const helper of [...new Set(Object.values(helpers).filter(isPackagedHelper))].sort()) {
    const pkg = CREDENTIAL_HELPER_PACKAGES[helper][os]!;
    lines.push(...installIfMissing(manager, `docker-credential-${helper}`, pkg));
  }
  return shellScript("the registries' credential helpers, for root's docker CLI", lines);
}
