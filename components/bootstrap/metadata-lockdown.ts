import { fail } from "./shell";

// The host's SSH private key reaches it in the user-data, so that the deployer can pin its public
// half. On EC2 any process on the VM can read the user-data back from the instance metadata
// service, and on every cloud cloud-init keeps copies on disk. Both are closed here, in bootcmd:
// cloud-init's init stage, which systemd orders before sshd and user sessions, on every boot.
//
// The rule is the kernel's owner match in policy routing (`ip rule ... uidrange`, Linux 4.10+):
// a socket of any user but root gets EACCES for the metadata address before a packet leaves.
// iproute2 is in every image we boot; nft is not (Debian's minimal images lack it), and installing
// it first put apt on the boot's critical path: cloud-init's init stage took 104 s instead of ~45 s
// under emulation (tests/vm, serial log).

/** The metadata service: EC2 and Azure on IPv4, EC2's Nitro endpoint on IPv6. */
export const METADATA_ADDRESSES = { ipv4: "169.254.169.254", ipv6: "fd00:ec2::254" } as const;

/** Every uid but root's (4294967295 is no uid: the kernel's "invalid" value). */
const NOT_ROOT = "1-4294967294";

/** The owner-matched rules, as `ip` commands; deleting first keeps one copy if run twice. */
export function metadataRules(): string[] {
  const v4 = `to ${METADATA_ADDRESSES.ipv4}/32 uidrange ${NOT_ROOT} prohibit`;
  const v6 = `to ${METADATA_ADDRESSES.ipv6}/128 uidrange ${NOT_ROOT} prohibit`;
  return [
    `while ip rule del ${v4} 2>/dev/null; do :; done`,
    `ip rule add ${v4}`,
    "if [ -e /proc/net/if_inet6 ]; then",
    `  while ip -6 rule del ${v6} 2>/dev/null; do :; done`,
    `  ip -6 rule add ${v6}`,
    "fi",
  ];
}

/** Where cloud-init keeps the user-data (user-data.txt, cloud-config.txt, obj.pkl, scripts). */
export const CLOUD_INIT_INSTANCES_DIR = "/var/lib/cloud/instances";

/**
 * The bootcmd entry: the rules, then cloud-init's copies closed to everyone but root. cloud-init
 * runs all bootcmd entries as one script, so this one runs in a subshell of its own; a failure
 * ends bootcmd there, cloud-init reports it, and the readiness gate fails with it: a host never
 * runs open by accident.
 */
export function metadataLockdownBootcmd(): string {
  return [
    "(",
    "set -e",
    ...metadataRules(),
    `chmod 0700 ${CLOUD_INIT_INSTANCES_DIR}`,
    `) || ${fail("could not close the metadata service and cloud-init's copies to non-root users")}`,
  ].join("\n");
}
