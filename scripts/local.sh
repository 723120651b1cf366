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
# Which Pulumi CLI, in this order:
#   DOCKERHOST_PULUMI     a pulumi binary of your choice (an absolute path, or a name on PATH)
#   an installed CLI      the first `pulumi` on PATH outside any node_modules/.bin (npm run puts
#                         this checkout's first: the CLI you installed must not hide behind it)
#   the npm package's     node_modules/.bin/pulumi, which downloads the CLI on first use
installed_pulumi() {
  local dir
  local IFS=:
  for dir in $PATH; do
    case "$dir" in */node_modules/.bin | node_modules/.bin) continue ;; esac
    if [ -x "$dir/pulumi" ] && [ ! -d "$dir/pulumi" ]; then
      echo "$dir/pulumi"
      return 0
    fi
  done
  return 1
}

if [ -n "${DOCKERHOST_PULUMI:-}" ]; then
  if ! pulumi=$(command -v "$DOCKERHOST_PULUMI"); then
    echo "local.sh: DOCKERHOST_PULUMI=$DOCKERHOST_PULUMI is not a program that can be run. Point it at a pulumi binary, or unset it to use an installed CLI." >&2
    exit 2
  fi
  from="DOCKERHOST_PULUMI"
elif pulumi=$(installed_pulumi); then
  from="installed"
else
  pulumi="$PWD/node_modules/.bin/pulumi"
  from="npm"
fi
# Node 24 (the `node` devDependency) before the system's: the stack's program needs Node 22+.
export PATH="$PWD/node_modules/.bin:$PATH"
stack=${DOCKERHOST_STACK:-local}

# The npm package fetches the CLI from get.pulumi.com the first time it runs: when that fails,
# say so with the ways on, instead of its one line.
if [ "$from" = npm ] && ! probe=$("$pulumi" version 2>&1); then
  {
    echo "local.sh: no Pulumi CLI to run. None is installed on PATH, and the npm package 'pulumi'"
    echo "  ($pulumi) could not download one: it fetches https://get.pulumi.com/install.sh and the"
    echo "  release it names, and that failed with:"
    printf '%s\n' "$probe" | sed 's/^/    /'
    echo "Two ways on:"
    echo "  1. install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) so that"
    echo "     'pulumi' is on PATH; local.sh uses an installed CLI before the npm package;"
    echo "  2. or point DOCKERHOST_PULUMI at a pulumi binary: DOCKERHOST_PULUMI=/path/to/pulumi npm run local"
  } >&2
  exit 1
fi

# The local stack's secrets are the keys of a VM that answers on 127.0.0.1 only, and the same
# keys sit in ~/.dockerhost as files only you can read: a passphrase would guard nothing more,
# so the local stack has a known one. Cloud stacks need a real one (docs/getting-started.md, "State").
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE=dockerhost-local
fi

up() {
  "$pulumi" stack select --create --secrets-provider passphrase "$stack"
  # Empty counts as unset: Pulumi.yaml's default for the key is "", and `config get` prints it.
  if [ -z "$("$pulumi" config get --stack "$stack" sshPublicKey 2>/dev/null || true)" ]; then
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
