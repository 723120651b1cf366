#!/usr/bin/env bash
# The Pulumi engine the tests run, built from Go modules (no CLI download is reachable here):
#   scripts/engine.sh            builds the CLI of engine/go.mod into the cache (once per version),
#                                asks the module proxy for each part in engine/parts.tsv, prints
#                                what each cost, and prints the CLI's path on stdout
# The cache: $DOCKERHOST_ENGINE_CACHE (default ~/.cache/dockerhost/engine)/pulumi-<version>/, with
# the Go module and build caches inside it, so an empty cache directory is a cold build. Users do
# not need any of this: they install the CLI the usual way.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v go >/dev/null; then
  echo "engine.sh: no Go toolchain on PATH: the engine is built from Go modules (Go 1.26 or newer)" >&2
  exit 2
fi
version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$root/engine/go.mod")
sdk=$(awk '$1 == "github.com/pulumi/pulumi/sdk/v3" { print $2 }' "$root/engine/go.mod")
if [ -z "$version" ] || [ "$version" != "$sdk" ]; then
  echo "engine.sh: engine/go.mod must require pkg/v3 and sdk/v3 at one release (pkg/v3 ${version:-none}, sdk/v3 ${sdk:-none})" >&2
  exit 2
fi
cache="${DOCKERHOST_ENGINE_CACHE:-$HOME/.cache/dockerhost/engine}/pulumi-$version"
cli="$cache/bin/pulumi"
mkdir -p "$cache/bin"
export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOFLAGS=-modcacherw GOTOOLCHAIN=local

rows=()
row() { rows+=("$(printf '%-24s %-44s %-10s %s' "$1" "$2" "$3" "$4")"); }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The CLI: warm when the cached binary reports the pinned version.
t=$(now)
if [ -x "$cli" ] && [ "$("$cli" version 2>/dev/null)" = "$version" ]; then
  row pulumi "github.com/pulumi/pulumi/pkg/v3@$version" "$(took "$t")" "warm: cached"
else
  echo "engine.sh: building the Pulumi CLI $version (cold: a few minutes on two cores)" >&2
  (cd "$root/engine" && go build -trimpath \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$cli.new" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) >&2
  mv "$cli.new" "$cli"
  # The binary is the cache; the Go caches (about 3 GB) only served this build.
  rm -rf "$cache/go"
  row pulumi "github.com/pulumi/pulumi/pkg/v3@$version" "$(took "$t")" "cold: built"
fi

# The other parts, each asked for once: the proxy's answer is the result.
lock_version() {
  node -e 'const l = require(process.argv[1]); const p = l.packages["node_modules/" + process.argv[2]]; process.stdout.write(p ? p.version : "")' \
    "$root/package-lock.json" "$1"
}
probe="$cache/probe"
mkdir -p "$probe"
while IFS=$'\t' read -r part npm release module; do
  case "$part" in '' | '#'*) continue ;; esac
  locked=$(lock_version "$npm")
  if [ "$locked" != "$release" ]; then
    echo "engine.sh: engine/parts.tsv builds $part for $npm $release, but package-lock.json has $locked: update the row" >&2
    exit 2
  fi
  t=$(now)
  answer=$(GOMODCACHE="$probe" go mod download -json "$module" 2>&1 || true)
  error=$(printf '%s' "$answer" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { try { const j = JSON.parse(s); process.stdout.write(j.Error ? j.Error.replace(/\s+/g, " ") : ""); } catch { process.stdout.write(s.replace(/\s+/g, " ")); } })')
  if [ -n "$error" ]; then
    row "$part" "$module" "$(took "$t")" "not built: ${error##*server response: }"
  else
    row "$part" "$module" "$(took "$t")" "served now, but not built: engine.sh builds the CLI only (docs/internals.md, \"The engine level\")"
  fi
done <"$root/engine/parts.tsv"
rm -rf "$probe"

{
  printf '%-24s %-44s %-10s %s\n' part "module@version" "time (s)" result
  printf '%s\n' "${rows[@]}"
} >&2
echo "$cli"
