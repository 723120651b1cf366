import { describe, expect, it } from "@jest/globals";
import { globalConvergedScript } from "../../components/swarm/global-converge";

// A global service's converge wait on the manager: exact shell text.

describe("a global service's converge wait", () => {
  it("waits until running equals desired and no update is under way, else fails with the tasks' errors", () => {
    expect(globalConvergedScript("app_agent", 120)).toBe(
      [
        "#!/bin/sh",
        "# dockerhost: wait until every task of the global service app_agent runs",
        "set -eu",
        "svc=app_agent",
        "end=$(( $(date +%s) + 120 ))",
        "while :; do",
        `  replicas=$(docker service ls --filter "name=$svc" --format '{{.Name}} {{.Replicas}}' | awk -v s="$svc" '$1 == s { print $2 }')`,
        "  running=${replicas%%/*}",
        "  desired=${replicas#*/}",
        `  state=$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$svc" 2>/dev/null || true)`,
        '  case "$state" in',
        "    paused | rollback_started | rollback_paused | rollback_completed)",
        `      echo "dockerhost: the global service $svc's update is $state: $(docker service inspect --format '{{.UpdateStatus.Message}}' "$svc"); its tasks:" >&2`,
        `      docker service ps --no-trunc --format '{{.Node}} {{.DesiredState}} {{.CurrentState}} {{.Error}}' "$svc" >&2 || true`,
        "      exit 1",
        "      ;;",
        "  esac",
        '  if [ -n "$replicas" ] && [ "$desired" -gt 0 ] && [ "$running" = "$desired" ] && [ "$state" != updating ]; then',
        '    echo "dockerhost: $svc: $replicas tasks running"',
        "    exit 0",
        "  fi",
        '  if [ "$(date +%s)" -ge "$end" ]; then',
        '    echo "dockerhost: the global service $svc did not converge within 120 s (${replicas:-no service} running${state:+, update $state}); its tasks:" >&2',
        `    docker service ps --no-trunc --format '{{.Node}} {{.DesiredState}} {{.CurrentState}} {{.Error}}' "$svc" >&2 || true`,
        "    exit 1",
        "  fi",
        "  sleep 2",
        "done",
        "",
      ].join("\n"),
    );
  });
  it("waits 300 s by default, as the provider's converge check does for replicated services", () => {
    expect(globalConvergedScript("x")).toMatch(/\+ 300 \)\)/);
  });
});
