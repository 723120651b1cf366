#!/usr/bin/env bash
# The local stack end to end, no cloud account (run ./scripts/setup.sh once before):
#   scripts/local.sh up     creates the stack when missing, gives it an SSH key of its own (the
#                           private half as a Pulumi secret), then `pulumi up --yes`: the
#                           Debian image is fetched and verified on the way, the VM boots, the
#                           containers run, and a Docker context is made for the host
#   scripts/local.sh down   `pulumi destroy --yes`: qemu stopped, the VM's files, data disk,
#                           SSH entry and Docker context removed
# Extra arguments go to `pulumi up` / `pulumi destroy`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 24 (the `node` devDependency) and the Pulumi CLI (the `pulumi` package) before the system's.
export PATH="$PWD/node_modules/.bin:$PATH"
pulumi=${DOCKERHOST_PULUMI:-pulumi}
stack=${DOCKERHOST_STACK:-local}

# The local stack's secrets are the keys of a VM that answers on 127.0.0.1 only, and the same
# keys sit in ~/.dockerhost as files only you can read: a passphrase would guard nothing more,
# so the local stack has a known one. Cloud stacks need a real one (README, "State").
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE=dockerhost-local
fi

up() {
  "$pulumi" stack select --create --secrets-provider passphrase "$stack"
  if ! "$pulumi" config get --stack "$stack" sshPublicKey >/dev/null 2>&1; then
    keys=$(mktemp -d)
    trap 'rm -rf "$keys"' EXIT
    ssh-keygen -q -t ed25519 -N "" -C "dockerhost-$stack" -f "$keys/id"
    "$pulumi" config set --stack "$stack" sshPublicKey "$(cat "$keys/id.pub")"
    "$pulumi" config set --stack "$stack" --secret sshPrivateKey <"$keys/id"
    rm -rf "$keys"
    echo "local.sh: the stack has an SSH key of its own (npx pulumi config get sshPrivateKey -s $stack)"
  fi
  "$pulumi" up --stack "$stack" --yes "$@"
  local context include
  context=$("$pulumi" stack output --stack "$stack" dockerContext)
  include=$("$pulumi" stack output --stack "$stack" sshConfigInclude)
  if ! grep -qsxF "$include" ~/.ssh/config; then
    echo "local.sh: once, put this line at the top of ~/.ssh/config: $include"
  fi
  echo "local.sh: docker --context $context ps"
}

case "${1:-up}" in
  up) shift || true; up "$@" ;;
  down) shift; "$pulumi" destroy --stack "$stack" --yes "$@" ;;
  *) echo "usage: scripts/local.sh up|down [pulumi flags]" >&2; exit 2 ;;
esac
