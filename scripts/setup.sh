#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for dockerhost: the Debian packages the tests use,
# then the npm packages (Node 24 comes from the `node` devDependency, the Pulumi CLI from `pulumi`).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cloud-init shellcheck openssh-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
