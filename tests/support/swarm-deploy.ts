import {
  DEFAULT_ROLLBACK,
  DEFAULT_UPDATE,
  type SwarmServiceSpec,
} from "../../components/core/swarm-service-spec";
import { WEB_PORT } from "./guest-boot";
import type { GuestSession } from "./guest-session";

/**
 * The web image's healthcheck, generous for emulation beside other guests: a `docker exec`
 * there can take seconds, and a check that timed out marked a healthy task unhealthy (swarm
 * killed it: exit 137).
 */
export const EMULATION_HEALTHCHECK = {
  test: ["CMD-SHELL", `/bin/busybox wget -q -O /dev/null http://127.0.0.1:${WEB_PORT}/`],
  interval: "10s",
  timeout: "30s",
  retries: 3,
  startPeriod: "20s",
};

// A swarm service deployed with the docker CLI in the shape SwarmServices gives docker.Service
// (swarm-service-args.ts): the same update and rollback policy, limits and security defaults.
// Healthchecks here are shell text (the CLI's --health-cmd), in `healthcheck.test[1]`.

export function serviceCreateArgs(
  name: string,
  spec: SwarmServiceSpec,
  secrets: { source: string; target: string }[] = [],
): string[] {
  const update = { ...DEFAULT_UPDATE, ...spec.update };
  const rollback = { ...DEFAULT_ROLLBACK, ...spec.rollback };
  const hc = spec.healthcheck;
  return [
    "service",
    "create",
    "--detach",
    "--name",
    name,
    ...(spec.global ? ["--mode", "global"] : ["--replicas", String(spec.replicas ?? 1)]),
    ...(spec.ports ?? []).flatMap((p) => [
      "--publish",
      `published=${p.external ?? p.internal},target=${p.internal},protocol=${p.protocol ?? "tcp"},mode=${p.mode}`,
    ]),
    ...policyFlags("update", update),
    ...policyFlags("rollback", rollback),
    ...(hc
      ? [
          "--health-cmd",
          hc.test[1],
          "--health-interval",
          hc.interval ?? "30s",
          "--health-timeout",
          hc.timeout ?? "5s",
          "--health-retries",
          String(hc.retries ?? 3),
          "--health-start-period",
          hc.startPeriod ?? "10s",
        ]
      : []),
    "--limit-memory",
    `${spec.memoryMb ?? 512}M`,
    "--cap-drop",
    "ALL",
    "--restart-condition",
    "any",
    "--restart-delay",
    "5s",
    "--restart-window",
    "60s",
    "--stop-grace-period",
    "10s",
    ...(spec.placement ?? []).flatMap((c) => ["--constraint", c]),
    ...secrets.flatMap((s) => ["--secret", `source=${s.source},target=${s.target},mode=0444`]),
    String(spec.image),
    ...(spec.command ?? []),
  ];
}

function policyFlags(
  kind: "update" | "rollback",
  p: {
    parallelism: number;
    delay: string;
    order: string;
    monitor: string;
    failureAction: string;
    maxFailureRatio: string;
  },
): string[] {
  return [
    `--${kind}-parallelism`,
    String(p.parallelism),
    `--${kind}-delay`,
    p.delay,
    `--${kind}-order`,
    p.order,
    `--${kind}-monitor`,
    p.monitor,
    `--${kind}-failure-action`,
    p.failureAction,
    `--${kind}-max-failure-ratio`,
    p.maxFailureRatio,
  ];
}

/** The tasks of `service` the swarm wants running, as "<node> <current state>" lines. */
export async function desiredTasks(manager: GuestSession, service: string): Promise<string[]> {
  const listed = await manager.docker([
    "service",
    "ps",
    service,
    "--filter",
    "desired-state=running",
    "--format",
    "{{.Node}} {{.CurrentState}}",
  ]);
  return listed.trim().split("\n").filter(Boolean);
}

/**
 * A bounded request loop: `count` GETs, each with a timeout; failures (counted by what failed:
 * a timeout, an HTTP status, or the connection's error code) and the longest gap.
 */
export async function requestLoop(
  url: string,
  count: number,
  intervalMs: number,
  timeoutMs: number,
): Promise<LoopResult> {
  return requestLoopWith(
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.text();
    },
    count,
    intervalMs,
    timeoutMs,
  );
}

export interface LoopResult {
  failed: number;
  longestGapMs: number;
  bodies: Set<string>;
  failures: Record<string, number>;
  /** When each failed request started (Date.now()), to lay beside the steps' own times. */
  failedAt: number[];
}

/** The same loop around any request that resolves to a body or rejects (the edge's HTTPS GET). */
export async function requestLoopWith(
  get: () => Promise<string>,
  count: number,
  intervalMs: number,
  timeoutMs = 0,
): Promise<LoopResult> {
  let failed = 0;
  let lastOk = Date.now();
  let longestGapMs = 0;
  const bodies = new Set<string>();
  const failures: Record<string, number> = {};
  const failedAt: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = Date.now();
    try {
      bodies.add(await get());
      longestGapMs = Math.max(longestGapMs, Date.now() - lastOk);
      lastOk = Date.now();
    } catch (e) {
      failed++;
      failedAt.push(started);
      const why = failureKind(e, timeoutMs);
      failures[why] = (failures[why] ?? 0) + 1;
    }
    const wait = intervalMs - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  longestGapMs = Math.max(longestGapMs, Date.now() - lastOk);
  return { failed, longestGapMs, bodies, failures, failedAt };
}

/** What a failed request met: fetch wraps the socket's error (ECONNREFUSED, ECONNRESET) in cause. */
function failureKind(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string } };
  if (err.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  return err.cause?.code ?? err.message ?? String(e);
}
