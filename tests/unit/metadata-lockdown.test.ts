import { describe, expect, it } from "@jest/globals";
import { buildCloudConfig } from "../../components/bootstrap/cloud-init";
import {
  metadataLockdownBootcmd,
  metadataRules,
} from "../../components/bootstrap/metadata-lockdown";
import type { HardeningProfile } from "../../components/bootstrap/types";

describe("the metadata lockdown (bootcmd)", () => {
  it("prohibits the metadata addresses to every uid but root's, once", () => {
    expect(metadataRules()).toStrictEqual([
      "while ip rule del to 169.254.169.254/32 uidrange 1-4294967294 prohibit 2>/dev/null; do :; done",
      "ip rule add to 169.254.169.254/32 uidrange 1-4294967294 prohibit",
      "if [ -e /proc/net/if_inet6 ]; then",
      "  while ip -6 rule del to fd00:ec2::254/128 uidrange 1-4294967294 prohibit 2>/dev/null; do :; done",
      "  ip -6 rule add to fd00:ec2::254/128 uidrange 1-4294967294 prohibit",
      "fi",
    ]);
  });

  it("runs in a subshell that fails the bootstrap when it cannot close them, and closes cloud-init's copies", () => {
    expect(metadataLockdownBootcmd()).toBe(
      [
        "(",
        "set -e",
        ...metadataRules(),
        "chmod 0700 /var/lib/cloud/instances",
        ") || { echo 'dockerhost: could not close the metadata service and cloud-init'\"'\"'s copies to non-root users' >&2; exit 1; }",
      ].join("\n"),
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
      expect(bootcmd(profile)[0]).toBe(metadataLockdownBootcmd());
    expect(bootcmd("off").some((c) => c.includes("uidrange"))).toBe(false);
  });
});
