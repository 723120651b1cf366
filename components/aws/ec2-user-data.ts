import { stableGzip } from "../bootstrap/stable-gzip";

/** EC2 refuses user-data over 16 KiB (before base64). */
export const EC2_USER_DATA_LIMIT = 16 * 1024;

/**
 * The instance's user-data fields. Text that fits goes as it is (what every host released so far
 * has, so none of them sees a diff); a larger payload (SELinux on Debian carries a policy) goes
 * gzip'd, which cloud-init unpacks. The gzip is byte-stable, so it never differs between deploys.
 */
export function ec2UserData(text: string): { userData?: string; userDataBase64?: string } {
  if (Buffer.byteLength(text) <= EC2_USER_DATA_LIMIT) return { userData: text };
  const packed = stableGzip(Buffer.from(text));
  if (packed.length > EC2_USER_DATA_LIMIT)
    throw new Error(
      `the host's user-data is ${packed.length} bytes gzip'd, over EC2's ${EC2_USER_DATA_LIMIT}; fewer sshAuthorizedKeys or a smaller docker.daemonConfigJson bring it down`,
    );
  return { userDataBase64: packed.toString("base64") };
}
