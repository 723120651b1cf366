import { about } from "../support/about";
import { describe, expect, it } from "@jest/globals";
import {
  metadataLockdownBootcmd,
  metadataRules,
} from "../../components/bootstrap/metadata-lockdown";
import { OS_CATALOG } from "../../components/bootstrap/os-catalog";
import { buildCloudConfig } from "../../components/bootstrap/cloud-init";
import type { HardeningProfile } from "../../components/bootstrap/types";

const RULES =
  "printf '%s\\n' 'table inet dockerhost_metadata' 'delete table inet dockerhost_metadata' 'table inet dockerhost_metadata {' '  chain output {' '    type filter hook output priority filter; policy accept;' '    ip daddr 169.254.169.254 meta skuid != 0 counter reject with icmpx admin-prohibited' '    ip6 daddr fd00:ec2::254 meta skuid != 0 counter reject with icmpx admin-prohibited' '  }' '}' | nft -f -";

describe("the metadata lockdown (bootcmd)", () => {
  it("rejects every owner but root, in a table of its own", () => {
    expect(metadataRules().slice(5, 7)).toStrictEqual([
      "    ip daddr 169.254.169.254 meta skuid != 0 counter reject with icmpx admin-prohibited",
      "    ip6 daddr fd00:ec2::254 meta skuid != 0 counter reject with icmpx admin-prohibited",
    ]);
  });

  it("apt: installs nft only where the image lacks it, loads the rules, closes cloud-init's copies", () => {
    expect(metadataLockdownBootcmd(OS_CATALOG["debian-12"])).toBe(
      [
        "command -v nft >/dev/null 2>&1 || { apt-get -q -o Acquire::Languages=none -o Acquire::Retries=3 -o Acquire::GzipIndexes=true -o Acquire::CompressionTypes::Order::=gz update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends -o Acquire::GzipIndexes=true -o Acquire::CompressionTypes::Order::=gz -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-unsafe-io install nftables >/dev/null; }",
        RULES,
        "chmod 0700 /var/lib/cloud/instances",
      ].join("\n"),
    );
  });

  it("dnf", () => {
    expect(metadataLockdownBootcmd(OS_CATALOG["rhel-9"]).split("\n")[0]).toBe(
      "command -v nft >/dev/null 2>&1 || { dnf -y -q install nftables >/dev/null; }",
    );
  });

  it("runs first in bootcmd on every profile but off", () => {
    const bootcmd = (hardening: HardeningProfile) =>
      buildCloudConfig({
        os: "ubuntu-24.04",
        arch: "x86_64",
        cloud: "aws",
        hardening,
        sshAuthorizedKeys: [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000",
        ],
      }).bootcmd as string[];
    for (const profile of ["baseline", "strict"] as const)
      expect(about(profile, bootcmd(profile)[0])).toStrictEqual(
        about(profile, metadataLockdownBootcmd(OS_CATALOG["ubuntu-24.04"])),
      );
    expect(bootcmd("off").some((c) => c.includes("nft"))).toBe(false);
  });
});
