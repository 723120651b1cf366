import { OS_CATALOG, type AzureImage } from "../bootstrap/os-catalog";
import { OS_NAMES, type Arch, type OsName } from "../bootstrap/types";
import { azureSizeParts } from "./vm-sizes";

/** An explicit marketplace image, instead of the catalog's. */
export interface AzureImageReference {
  publisher: string;
  offer: string;
  sku: string;
  version?: string;
  /** Whether the image supports Trusted Launch (Gen2 with secure boot); assumed true. */
  trustedLaunch?: boolean;
}

export function azureImage(
  os: OsName,
  arch: Arch,
  explicit?: AzureImageReference,
): AzureImage | undefined {
  if (explicit) return { version: "latest", trustedLaunch: true, ...explicit };
  return OS_CATALOG[os].azure?.[arch];
}

/**
 * Size families that run Generation 1 VMs only, so never Trusted Launch: Av2, Dv2 and Dv3
 * (learn.microsoft.com, "Trusted launch for Azure virtual machines", sizes table). Their
 * premium-storage siblings (DSv2, Dsv3) do support it.
 */
export function trustedLaunchSizeProblem(size: string): string | undefined {
  const parts = azureSizeParts(size);
  if (!parts) return undefined;
  const gen1Only =
    (parts.family === "A" && parts.version === "_v2") ||
    (parts.family === "D" && parts.features === "" && ["_v2", "_v3"].includes(parts.version));
  if (!gen1Only) return undefined;
  return `trustedLaunch: ${size} runs Generation 1 VMs only, which cannot use Trusted Launch. Pick a Gen2 size (e.g. Standard_D2s_v5), or set trustedLaunch: false.`;
}

/**
 * Marketplace SKUs that say they are Generation 1 (Canonical's `server-gen1`, `...-gen1`): Trusted
 * Launch needs Gen2 (Microsoft, "Trusted launch for Azure virtual machines"; the API refuses the
 * pair only when the VM is created, after its network exists).
 */
const GEN1_SKU = /[-_]?gen1$/i;

/** Checks that need the image and size: that there is an image, and that Trusted Launch can boot. */
export function azureImageProblems(
  os: OsName,
  arch: Arch,
  image: AzureImage | undefined,
  trustedLaunch: boolean,
  vmSize: string,
): string[] {
  if (!image) {
    const gap = OS_CATALOG[os].azureGaps?.[arch];
    if (gap) return [`os: ${os} has no ${arch} image on Azure in the catalog. ${gap}`];
    const others = OS_NAMES.filter((name) => OS_CATALOG[name].azure?.[arch]);
    return [
      `os: ${os} has no ${arch} image on Azure in the catalog. Use ${others.join(", ")}, or pass image.`,
    ];
  }
  if (!trustedLaunch) return [];
  const problems: string[] = [];
  if (GEN1_SKU.test(image.sku)) {
    problems.push(
      `image.sku: ${JSON.stringify(image.sku)} names a Generation 1 image, and Trusted Launch boots Generation 2 VMs only (Azure answers "Use of TrustedLaunch setting is not supported for the provided image" at VM creation). Use the image's Gen2 SKU (for Canonical's Ubuntu, "${image.sku.replace(GEN1_SKU, "")}"), or set trustedLaunch: false.`,
    );
  } else if (!image.trustedLaunch) {
    const ref = `${image.publisher}/${image.offer}/${image.sku}`;
    problems.push(
      `trustedLaunch: the image ${ref} does not support Trusted Launch (secure boot + vTPM). Set trustedLaunch: false to run it without, or use a Gen2 image that supports it.`,
    );
  }
  const sizeProblem = trustedLaunchSizeProblem(vmSize);
  if (sizeProblem) problems.push(sizeProblem);
  return problems;
}
