import { OS_CATALOG, type AzureImage } from "../bootstrap/os-catalog";
import type { Arch, OsName } from "../bootstrap/types";

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

/** Checks that need the image: that there is one, and that it can boot with Trusted Launch. */
export function azureImageProblems(
  os: OsName,
  arch: Arch,
  image: AzureImage | undefined,
  trustedLaunch: boolean,
): string[] {
  if (!image) {
    return [
      `os: ${os} has no ${arch} image on Azure in the catalog. Use ubuntu-24.04, debian-12 or rhel-9, or pass image.`,
    ];
  }
  if (trustedLaunch && !image.trustedLaunch) {
    const ref = `${image.publisher}/${image.offer}/${image.sku}`;
    return [
      `trustedLaunch: the image ${ref} does not support Trusted Launch (secure boot + vTPM). Set trustedLaunch: false to run it without, or use an x86_64 Gen2 image.`,
    ];
  }
  return [];
}
