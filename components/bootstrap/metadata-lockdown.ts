import { aptInstall, aptUpdate, dnfInstall } from "./engine-install";
import type { OsEntry } from "./os-catalog";

// The host's SSH private key reaches it in the user-data, so that the deployer can pin its public
// half. On EC2 any process on the VM can read the user-data back from the instance metadata
// service, and on every cloud cloud-init keeps copies on disk. Both are closed here, in bootcmd:
// cloud-init's init stage, which systemd orders before sshd and user sessions, on every boot.

/** The metadata service: EC2 and Azure on IPv4, EC2's Nitro endpoint on IPv6. */
export const METADATA_ADDRESSES = { ipv4: "169.254.169.254", ipv6: "fd00:ec2::254" } as const;
export const METADATA_TABLE = "dockerhost_metadata";

/** An nftables table of its own: only root's sockets reach the metadata service. */
export function metadataRules(): string[] {
  const reject = "meta skuid != 0 counter reject with icmpx admin-prohibited";
  return [
    // Declared, deleted and declared again: loading twice in one boot leaves one copy.
    `table inet ${METADATA_TABLE}`,
    `delete table inet ${METADATA_TABLE}`,
    `table inet ${METADATA_TABLE} {`,
    "  chain output {",
    "    type filter hook output priority filter; policy accept;",
    `    ip daddr ${METADATA_ADDRESSES.ipv4} ${reject}`,
    `    ip6 daddr ${METADATA_ADDRESSES.ipv6} ${reject}`,
    "  }",
    "}",
  ];
}

/** Where cloud-init keeps the user-data (user-data.txt, cloud-config.txt, obj.pkl, scripts). */
export const CLOUD_INIT_INSTANCES_DIR = "/var/lib/cloud/instances";

/**
 * The bootcmd entry: nft from the image, or installed first where the image lacks it (Debian's
 * minimal images); the rules; then cloud-init's copies closed to everyone but root. A failure
 * stops the bootstrap, so a host never runs open by accident.
 */
export function metadataLockdownBootcmd(os: OsEntry): string {
  const install =
    os.packageManager === "apt"
      ? `${aptUpdate()} >/dev/null && DEBIAN_FRONTEND=noninteractive ${aptInstall(["nftables"])} >/dev/null`
      : `${dnfInstall(["nftables"])} >/dev/null`;
  const rules = metadataRules()
    .map((line) => `'${line}'`)
    .join(" ");
  return [
    `command -v nft >/dev/null 2>&1 || { ${install}; }`,
    `printf '%s\\n' ${rules} | nft -f -`,
    `chmod 0700 ${CLOUD_INIT_INSTANCES_DIR}`,
  ].join("\n");
}
