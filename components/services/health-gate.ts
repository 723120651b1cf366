import { shellQuote } from "../bootstrap/shell";

// The wait for one container's healthcheck, run over the host's pinned SSH connection after the
// container starts: the containers that depend on it start only once it passed, and a container
// that never turns healthy fails the deploy with its last health log (what the engine's check
// printed), not a bare timeout.

/** Seconds to wait beyond the healthcheck's own start period and retries. */
export const HEALTH_WAIT_SECONDS = 180;

export function healthGateScript(container: string, waitSeconds = HEALTH_WAIT_SECONDS): string {
  const name = shellQuote(container);
  return [
    "set -u",
    `deadline=$(( $(date +%s) + ${waitSeconds} ))`,
    "while :; do",
    `  status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' ${name} 2>&1) || status="missing: $status"`,
    '  case "$status" in',
    "    healthy) echo healthy; exit 0 ;;",
    "    starting) ;;",
    "    *) break ;;",
    "  esac",
    '  [ "$(date +%s)" -lt "$deadline" ] || { status="still starting after ' +
      `${waitSeconds} s"; break; }`,
    "  sleep 2",
    "done",
    `echo "dockerhost: container ${container} is not healthy ($status); its last health check said:" >&2`,
    `docker inspect --format '{{if .State.Health}}{{range .State.Health.Log}}exit {{.ExitCode}}: {{.Output}}{{end}}{{end}}' ${name} 2>&1 | tail -n 20 >&2`,
    "exit 1",
  ].join("\n");
}
