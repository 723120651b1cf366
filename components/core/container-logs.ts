import { hardeningRules } from "./hardening-profile";
// Where a host's container logs go, as every cloud host reads it: the choice, strict's default,
// and the daemon.json keys that shipping takes over. What each cloud ships to, and with which
// driver, lives in its own room (aws/container-logs.ts, azure/container-logs.ts).

/** Where a host's container logs go: the host's own journal or files, or the cloud's service. */
export const ContainerLogs = { Host: "host", Cloud: "cloud" } as const;
export type ContainerLogs = (typeof ContainerLogs)[keyof typeof ContainerLogs];

export interface ContainerLogsChoice {
  containerLogs?: ContainerLogs;
  hardening?: string;
  docker?: { daemonConfigJson?: string };
}

/**
 * `strict` ships container logs where the host already has an identity its options use (a
 * session, registry pulls); elsewhere the default stays the host's journal, so that no identity,
 * log store or agent is made for logs alone without being asked.
 */
export function resolvedContainerLogs(
  args: ContainerLogsChoice,
  hasIdentity: boolean,
): ContainerLogs {
  if (args.containerLogs) return args.containerLogs;
  return hardeningRules(args.hardening).shipsLogsWithIdentity && hasIdentity ? "cloud" : "host";
}

/**
 * Shipping sets the engine's log-driver and log-opts; a daemonConfigJson that sets them too
 * would silently keep the logs on the host (its overrides win in daemon.json). `ships` says
 * where they go, e.g. "awslogs to the host's log group".
 */
export function shippedLogsOverrideProblems(
  args: ContainerLogsChoice,
  hasIdentity: boolean,
  ships: string,
): string[] {
  if (resolvedContainerLogs(args, hasIdentity) !== "cloud") return [];
  return daemonLogKeys(args.docker?.daemonConfigJson).map(
    (key) =>
      `docker.daemonConfigJson.${key}: containerLogs "cloud" sets the engine's ${key} (${ships}). Remove ${key} from daemonConfigJson, or set containerLogs: "host".`,
  );
}

/** The log keys a daemonConfigJson sets; text that is no JSON object is the bootstrap's to refuse. */
function daemonLogKeys(json: string | undefined): string[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
    return ["log-driver", "log-opts"].filter((k) => k in parsed);
  } catch {
    return [];
  }
}
