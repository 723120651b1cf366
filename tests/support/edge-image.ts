import type { GuestSession } from "./guest-session";

// The edge's image, built on the guest from Debian's `caddy` package (no registry is reachable
// here; the guest reaches Debian's mirror): the package's binary, the libraries `ldd` names for
// it, and an nsswitch.conf (glibc's default would ask DNS before /etc/hosts for "localhost", the
// admin API's address), imported as a one-layer image. What the README names for real hosts is
// Caddy's official image by digest (EDGE_IMAGE); the Caddyfile and flags are the same.

export const DEBIAN_EDGE_IMAGE = "dockerhost-test/edge:debian-caddy";

const BUILD = [
  "set -eu",
  "d=/tmp/edge-image",
  'rm -rf "$d" && mkdir -p "$d/root" && cd "$d"',
  // The bake may have left no package lists: fetch them only then.
  "apt-get download caddy >/dev/null 2>&1 || { sudo -n apt-get update -qq && apt-get download caddy >/dev/null; }",
  "dpkg-deb -x caddy_*.deb pkg",
  "mkdir -p root/usr/bin root/etc/ssl/certs root/data root/config root/tmp",
  "cp pkg/usr/bin/caddy root/usr/bin/caddy",
  "for lib in $(ldd pkg/usr/bin/caddy | grep -o '/[^ ]*'); do",
  '  mkdir -p "root$(dirname "$lib")" && cp -L "$lib" "root$lib"',
  "done",
  "printf 'hosts: files dns\\n' > root/etc/nsswitch.conf",
  "if [ -e /etc/ssl/certs/ca-certificates.crt ]; then cp -L /etc/ssl/certs/ca-certificates.crt root/etc/ssl/certs/; fi",
  `tar -C root --owner=0 --group=0 -c . | docker import - ${DEBIAN_EDGE_IMAGE} >/dev/null`,
  "dpkg-deb -f caddy_*.deb Version",
].join("\n");

export async function buildEdgeImageOnGuest(
  session: GuestSession,
): Promise<{ image: string; version: string }> {
  const version = (await session.ssh(BUILD, 10 * 60_000)).trim();
  return { image: DEBIAN_EDGE_IMAGE, version };
}
