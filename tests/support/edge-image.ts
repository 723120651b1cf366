import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { GuestSession } from "./guest-session";

// The edge's image for the VM tests: Caddy built from Go modules on this machine (caddy/go.mod,
// the release of EDGE_IMAGE; scripts/caddy.sh), a static binary, so the image is the binary, the
// CA bundle and Caddy's directories, imported as one layer through the guest's engine (no
// registry is reachable here). Not Debian's caddy: bookworm has 2.6.2, whose every reload starts
// a new certificate cache, so a handshake in that moment can fail (caddyserver/caddy#5589); since
// v2.7.0 the cache is kept through reloads (#5623), as in real hosts' 2.10.2. The Caddyfile,
// command and flags are the ones real hosts run (edgeContainerSpec).

export const TEST_EDGE_IMAGE = "dockerhost-test/edge:caddy";

// The checkout: two up from here, or three when run compiled from dist/ (bench:update).
const ROOT = [path.join(__dirname, "..", ".."), path.join(__dirname, "..", "..", "..")].find(
  (dir) => fs.existsSync(path.join(dir, "scripts", "caddy.sh")),
)!;
const run = promisify(execFile);

/**
 * Builds (or finds in the guest cache) the Caddy binary and returns its path. Started before a
 * guest boots, the build overlaps the boot; scripts/caddy.sh runs it under `nice`.
 */
export async function buildCaddy(): Promise<string> {
  const { stdout } = await run(path.join(ROOT, "scripts", "caddy.sh"), [], {
    timeout: 15 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}

/** The image's root as a tarball: what the official image holds that the edge uses. */
export function edgeImageTarball(workDir: string, caddy: string): string {
  const root = path.join(workDir, "edge-image-root");
  fs.rmSync(root, { recursive: true, force: true });
  for (const dir of ["usr/bin", "etc/ssl/certs", "data", "config", "tmp"])
    fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.chmodSync(path.join(root, "tmp"), 0o1777);
  fs.copyFileSync(caddy, path.join(root, "usr", "bin", "caddy"));
  fs.chmodSync(path.join(root, "usr", "bin", "caddy"), 0o755);
  // Go's resolver reads /etc/nsswitch.conf for the order of files and DNS ("localhost", the
  // admin API's address, from /etc/hosts first); the official image has this line from its
  // Alpine base (alpine-baselayout-data).
  fs.writeFileSync(path.join(root, "etc", "nsswitch.conf"), "hosts: files dns\n");
  const bundle = "/etc/ssl/certs/ca-certificates.crt";
  if (fs.existsSync(bundle))
    fs.copyFileSync(bundle, path.join(root, "etc", "ssl", "certs", "ca-certificates.crt"));
  const tarball = path.join(workDir, "edge-image.tar");
  execFileSync("tar", ["-C", root, "--owner=0", "--group=0", "-cf", tarball, "."]);
  return tarball;
}

/** Imports the image into the guest's engine; resolves to it and Caddy's own version line. */
export async function importEdgeImage(
  session: GuestSession,
  workDir: string,
  caddy: string,
): Promise<{ image: string; version: string }> {
  const tarball = edgeImageTarball(workDir, caddy);
  await session.docker(["import", tarball, TEST_EDGE_IMAGE], 10 * 60_000);
  const { stdout } = await run(caddy, ["version"]);
  return { image: TEST_EDGE_IMAGE, version: stdout.trim().split(" ")[0] ?? "" };
}
