import { describe, expect, it } from "@jest/globals";
import { globalConvergedScript } from "../../components/swarm/global-converge";

// A global service's converge wait on the manager: exact shell text.

describe("a global service's converge wait", () => {
  it("waits until running equals desired, else fails with the tasks' errors", () => {
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
        '  if [ -n "$replicas" ] && [ "$desired" -gt 0 ] && [ "$running" = "$desired" ]; then',
        '    echo "dockerhost: $svc: $replicas tasks running"',
        "    exit 0",
        "  fi",
        '  if [ "$(date +%s)" -ge "$end" ]; then',
        '    echo "dockerhost: the global service $svc did not converge within 120 s (${replicas:-no service} running); its tasks:" >&2',
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
