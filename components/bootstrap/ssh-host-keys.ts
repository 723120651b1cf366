import type { SshHostKey } from "./types";

/** The cloud-config keys that install the deployer's host key and generate no others. */
export function sshHostKeyConfig(hostKey: SshHostKey | undefined): Record<string, unknown> {
  if (!hostKey) return {};
  return {
    ssh_deletekeys: true,
    // With ssh_keys given cloud-init generates nothing; naming only ed25519 keeps it that way
    // should a key file go missing (an empty list fails the schema).
    ssh_genkeytypes: ["ed25519"],
    ssh_keys: {
      ed25519_private: hostKey.ed25519Private,
      ed25519_public: hostKey.ed25519Public,
    },
  };
}
