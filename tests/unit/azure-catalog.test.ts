import { describe, expect, it } from "@jest/globals";
import {
  azureImage,
  azureImageProblems,
  trustedLaunchSizeProblem,
} from "../../components/azure/image";
import { azureSizeArch, azureSizeParts, vmSizeProblems } from "../../components/azure/vm-sizes";

describe("Azure VM sizes", () => {
  const rows: [string, string | undefined][] = [
    ["Standard_D2s_v5", "x86_64"],
    ["Standard_D2ps_v5", "arm64"],
    ["Standard_E4pds_v5", "arm64"],
    ["Standard_B2pts_v2", "arm64"],
    ["Standard_D2ps_v6", "arm64"],
    ["Standard_E4-2ds_v5", "x86_64"],
    ["Standard_M8-2ms", "x86_64"],
    ["Standard_NC24ads_A100_v4", "x86_64"],
    ["Standard_A2_v2", "x86_64"],
    ["Standard_D2", "x86_64"],
    ["Standard_d2s_v5", undefined],
    ["D2s_v5", undefined],
  ];
  for (const [size, arch] of rows)
    it(`${size} is ${arch}`, () => expect(azureSizeArch(size)).toBe(arch));

  it("reads a constrained-vCPU size's parts", () => {
    expect(azureSizeParts("Standard_E4-2ds_v5")).toStrictEqual({
      family: "E",
      vcpus: 4,
      activeVcpus: 2,
      features: "ds",
      version: "_v5",
    });
    expect(vmSizeProblems("Standard_E4-2ds_v5", "x86_64")).toStrictEqual([]);
  });
});

describe("Trusted Launch per image and size", () => {
  const gen1: [string, boolean][] = [
    ["Standard_A2_v2", true],
    ["Standard_D2_v3", true],
    ["Standard_D11_v2", true],
    ["Standard_D2s_v3", false],
    ["Standard_DS2_v2", false],
    ["Standard_D2ps_v5", false],
    ["Standard_E4-2ds_v5", false],
  ];
  for (const [size, refused] of gen1) {
    it(`${size}: ${refused ? "refused" : "allowed"}`, () =>
      expect(trustedLaunchSizeProblem(size) !== undefined).toBe(refused));
  }
  it("Arm64 catalog images boot with Trusted Launch on an Arm64 size", () => {
    for (const os of ["ubuntu-24.04", "debian-12"] as const) {
      const image = azureImage(os, "arm64");
      expect(image?.trustedLaunch).toBe(true);
      expect(azureImageProblems(os, "arm64", image, true, "Standard_D2ps_v5")).toStrictEqual([]);
    }
  });
  it("names a Gen1-only size", () => {
    const image = azureImage("ubuntu-24.04", "x86_64");
    expect(
      azureImageProblems("ubuntu-24.04", "x86_64", image, true, "Standard_D2_v3"),
    ).toStrictEqual([
      "trustedLaunch: Standard_D2_v3 runs Generation 1 VMs only, which cannot use Trusted Launch. Pick a Gen2 size (e.g. Standard_D2s_v5), or set trustedLaunch: false.",
    ]);
    expect(
      azureImageProblems("ubuntu-24.04", "x86_64", image, false, "Standard_D2_v3"),
    ).toStrictEqual([]);
  });
  it("an explicit image that lacks it", () => {
    const image = azureImage("debian-12", "x86_64", {
      publisher: "Debian",
      offer: "debian-12",
      sku: "12",
      trustedLaunch: false,
    });
    expect(azureImageProblems("debian-12", "x86_64", image, true, "Standard_D2s_v5")).toStrictEqual(
      [
        "trustedLaunch: the image Debian/debian-12/12 does not support Trusted Launch (secure boot + vTPM). Set trustedLaunch: false to run it without, or use a Gen2 image that supports it.",
      ],
    );
  });
  it.each([
    ["server-gen1", "server"],
    ["22_04-lts-gen1", "22_04-lts"],
  ])("refuses the Gen1 SKU %s with Trusted Launch, at preview", (sku, gen2) => {
    const image = azureImage("ubuntu-24.04", "x86_64", {
      publisher: "Canonical",
      offer: "ubuntu-24_04-lts",
      sku,
    });
    expect(
      azureImageProblems("ubuntu-24.04", "x86_64", image, true, "Standard_D2s_v5"),
    ).toStrictEqual([
      `image.sku: ${JSON.stringify(sku)} names a Generation 1 image, and Trusted Launch boots Generation 2 VMs only (Azure answers "Use of TrustedLaunch setting is not supported for the provided image" at VM creation). Use the image's Gen2 SKU (for Canonical's Ubuntu, "${gen2}"), or set trustedLaunch: false.`,
    ]);
    expect(
      azureImageProblems("ubuntu-24.04", "x86_64", image, false, "Standard_D2s_v5"),
    ).toStrictEqual([]);
  });
  it("RHEL 9 on Arm64 is refused with what to pass instead", () => {
    expect(azureImage("rhel-9", "arm64")).toBe(undefined);
    expect(
      azureImageProblems("rhel-9", "arm64", undefined, true, "Standard_D2ps_v5"),
    ).toStrictEqual([
      'os: rhel-9 has no arm64 image on Azure in the catalog. Red Hat publishes RHEL 9 for Arm64 on Azure per minor release (offer "rhel-arm64", SKUs like "9_6-arm64"), each supported only until its EUS term ends. Pass image: { publisher: "RedHat", offer: "rhel-arm64", sku: "<a supported 9_N-arm64 SKU>" } (list them with: az vm image list --publisher RedHat --offer rhel-arm64 --all), or use arch: "x86_64".',
    ]);
    const explicit = azureImage("rhel-9", "arm64", {
      publisher: "RedHat",
      offer: "rhel-arm64",
      sku: "9_6-arm64",
    });
    expect(azureImageProblems("rhel-9", "arm64", explicit, true, "Standard_D2ps_v5")).toStrictEqual(
      [],
    );
  });
  it("an OS without Azure images names the ones that have them", () => {
    expect(
      azureImageProblems("amazon-linux-2023", "arm64", undefined, true, "Standard_D2ps_v5"),
    ).toStrictEqual([
      "os: amazon-linux-2023 has no arm64 image on Azure in the catalog. Use ubuntu-24.04, debian-12, or pass image.",
    ]);
  });
});
