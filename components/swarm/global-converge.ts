import { shellQuote } from "../bootstrap/shell";

// A global service cannot use the Docker provider's converge check: its schema declares
// `mode.global` and `converge_config` as ConflictsWith each other, so such a service is refused
// before anything is created (kreuzwerker/terraform-provider-docker v4.5.0
// internal/provider/resource_docker_service.go; its test
// TestAccDockerService_ConflictingGlobalModeAndConverge). The service goes in without it, and
// this step on the manager waits until every node that should run a task runs one: `docker
// service ls` shows "running/desired" for global services as for replicated ones (docker/cli
// cli/command/service/formatter.go, Replicas; swarmkit ListServiceStatuses). The old tasks of a
// rolling update count as running until they are replaced, so the wait also reads the update's
// state (UpdateStatus: updating, paused, completed, rollback_*): it waits while "updating" and
// fails on a paused or rolled-back update with its message. A provider update that returns before
// the manager marks the update as started can still pass on the old tasks; a rollback then shows
// in `docker service inspect`. When the tasks do not come up, it fails with their errors, which
// the provider's check never prints.

export const GLOBAL_CONVERGE_SECONDS = 300;

/** Every task of the service, with its node, states and error, on stderr. */
const TASKS = `docker service ps --no-trunc --format '{{.Node}} {{.DesiredState}} {{.CurrentState}} {{.Error}}' "$svc" >&2 || true`;

/** Waits on a manager until the global service's tasks all run; fails with their errors. */
export function globalConvergedScript(
  service: string,
  timeoutSeconds = GLOBAL_CONVERGE_SECONDS,
): string {
  const svc = shellQuote(service);
  return [
    "#!/bin/sh",
    `# dockerhost: wait until every task of the global service ${service} runs`,
    "set -eu",
    `svc=${svc}`,
    `end=$(( $(date +%s) + ${timeoutSeconds} ))`,
    "while :; do",
    `  replicas=$(docker service ls --filter "name=$svc" --format '{{.Name}} {{.Replicas}}' | awk -v s="$svc" '$1 == s { print $2 }')`,
    "  running=${replicas%%/*}",
    "  desired=${replicas#*/}",
    `  state=$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$svc" 2>/dev/null || true)`,
    '  case "$state" in',
    "    paused | rollback_started | rollback_paused | rollback_completed)",
    `      echo "dockerhost: the global service $svc's update is $state: $(docker service inspect --format '{{.UpdateStatus.Message}}' "$svc"); its tasks:" >&2`,
    `      ${TASKS}`,
    "      exit 1",
    "      ;;",
    "  esac",
    '  if [ -n "$replicas" ] && [ "$desired" -gt 0 ] && [ "$running" = "$desired" ] && [ "$state" != updating ]; then',
    '    echo "dockerhost: $svc: $replicas tasks running"',
    "    exit 0",
    "  fi",
    '  if [ "$(date +%s)" -ge "$end" ]; then',
    `    echo "dockerhost: the global service $svc did not converge within ${timeoutSeconds} s (\${replicas:-no service} running\${state:+, update $state}); its tasks:" >&2`,
    `    ${TASKS}`,
    "    exit 1",
    "  fi",
    "  sleep 2",
    "done",
    "",
  ].join("\n");
}
