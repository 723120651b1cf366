import type { GuestSession } from "./guest-session";

// A container that reads its secret file, on a test guest: what it reads at start, after the
// value was rotated in the store and the host's unit ran (as its timer does), and after
// `docker restart`. Shared by the Parameter Store and Key Vault proofs.

export interface RotationReads {
  first: string;
  whileRunning: string;
  afterRestart: string;
}

export async function readAcrossRotation(
  session: GuestSession,
  reader: { name: string; user: string; image: string; hostFile: string; file: string },
  rotate: () => Promise<unknown>,
): Promise<RotationReads> {
  await session.docker([
    "run",
    "-d",
    "--name",
    reader.name,
    "--user",
    reader.user,
    "-v",
    `${reader.hostFile}:/run/secrets/${reader.file}:ro`,
    reader.image,
    "/bin/busybox",
    "sleep",
    "600",
  ]);
  const cat = async () =>
    (
      await session.docker([
        "exec",
        reader.name,
        "/bin/busybox",
        "cat",
        `/run/secrets/${reader.file}`,
      ])
    ).trim();
  const first = await cat();
  await rotate();
  await session.ssh(`sudo systemctl start dockerhost-secrets.service`);
  const whileRunning = await cat();
  await session.docker(["restart", "-t", "1", reader.name]);
  const afterRestart = await cat();
  return { first, whileRunning, afterRestart };
}
