#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for dockerhost: the Debian packages the tests and local
# hosts use, then the npm packages (Node 24 comes from the `node` devDependency, the Pulumi CLI
# from `pulumi`).
#   cloud-init, shellcheck     bootstrap level: schema check and shell lint of the user-data
#   qemu-*, cloud-image-utils  local hosts and the VM level (qemu, qemu-img, cloud-localds)
#   mmdebstrap                 builds the VM level's Debian 12 guest image from Debian's packages
#   busybox-static             the one-binary container image the VM level deploys
#   openssh-client             SSH to the hosts (the docker CLI's ssh:// transport runs it)
#   pebble                     the VM level's ACME server for the HTTPS edge (Let's Encrypt's own
#                              test server, with pebble-challtestsrv as its DNS)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cloud-init shellcheck openssh-client qemu-system-x86 qemu-utils cloud-image-utils
  mmdebstrap busybox-static pebble)
# The VM level deploys over ssh:// with the docker CLI; Debian's docker.io carries one.
command -v docker >/dev/null 2>&1 || packages+=(docker.io)
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
