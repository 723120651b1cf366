#!/usr/bin/env bash
# The edge's Caddy for the VM tests and bench:update, built from Go modules (caddy/go.mod; no
# registry is reachable here, and Debian's caddy 2.6.2 is older than the edge's image on real
# hosts): a static binary built as Caddy's release builds are (.goreleaser.yml: CGO_ENABLED=0,
# -trimpath -mod=readonly, -ldflags "-s -w", tags nobadger nomysql nopgx), once per caddy/ and
# these flags, its path printed on stdout.
# The cache: $DOCKERHOST_GUEST_CACHE (default ~/.cache/dockerhost/guest-images)/caddy-<version>-<sum>/,
# the Go caches inside it while it builds, so an empty cache directory is a cold build (about
# 75 s on two idle cores). `nice`: it builds beside running guests, which keep the CPU first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v go >/dev/null; then
  echo "caddy.sh: no Go toolchain on PATH: the edge's Caddy is built from Go modules (caddy/go.mod's go line: 1.26 or newer)" >&2
  exit 2
fi
version=$(awk '$1 == "require" && $2 == "github.com/caddyserver/caddy/v2" { print $3 }' "$root/caddy/go.mod")
if [ -z "$version" ]; then
  echo "caddy.sh: caddy/go.mod must require github.com/caddyserver/caddy/v2 on a require line of its own" >&2
  exit 2
fi
flags=(-trimpath -tags "nobadger,nomysql,nopgx" -ldflags "-s -w")
sum=$(cat "$root/caddy/go.mod" "$root/caddy/go.sum" "$root/caddy/main.go" <(echo "${flags[*]}") | sha256sum | cut -c1-12)
cache="${DOCKERHOST_GUEST_CACHE:-$HOME/.cache/dockerhost/guest-images}/caddy-$version-$sum"
bin="$cache/caddy"
# Warm when the cached binary reports the pinned release ("v2.10.2 h1:...").
if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "^$version "; then
  echo "$bin"
  exit 0
fi
mkdir -p "$cache"
echo "caddy.sh: building Caddy $version (cold: about a minute on two cores)" >&2
started=$(date +%s)
(cd "$root/caddy" && GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOFLAGS="-modcacherw -mod=readonly" \
  GOTOOLCHAIN=local CGO_ENABLED=0 nice -n 10 go build "${flags[@]}" -o "$bin.new" .) >&2
mv "$bin.new" "$bin"
# The binary is the cache; the Go caches (about 1 GB) only served this build.
rm -rf "$cache/go"
echo "caddy.sh: built $("$bin" version | cut -d' ' -f1) in $(($(date +%s) - started)) s" >&2
echo "$bin"
