import { createHash } from "node:crypto";
import type { ShippedLogs } from "../bootstrap/types";
import {
  resolvedContainerLogs,
  shippedLogsOverrideProblems,
  type ContainerLogsChoice,
} from "../core/container-logs";

// Container logs in Azure Monitor (`containerLogs: "cloud"` on an Azure host). Azure has no
// Docker log driver of its own: the engine's `syslog` driver hands each line to the host's
// rsyslog (syslog-daemon.ts) on one facility that nothing else of the host uses, and Azure
// Monitor's agent (AMA), which authenticates with the VM's managed identity, sends what a data
// collection rule names to a Log Analytics workspace of the host's own. The rule collects that
// facility only, so the host's own syslog stays on the host.

/** The syslog facility of containers' lines; the rule collects this one alone. */
export const CONTAINER_LOG_FACILITY = "local6";

/**
 * The workspace's retention bounds on the pay-as-you-go tier: 30 to 730 days. Azure Monitor docs,
 * "Manage data retention in a Log Analytics workspace": the default is 30 days and can be raised
 * "up to two years"; the API takes less only per table. azure-native leaves it to the plan
 * (`operationalinsights.Workspace` retentionInDays: "Allowed values are per pricing plan"), and
 * Terraform's azurerm_log_analytics_workspace states the range: "between 30 and 730".
 */
export const AZURE_LOG_RETENTION = { min: 30, max: 730 } as const;
export const DEFAULT_AZURE_LOG_RETENTION_DAYS = 30;

/**
 * The workspace's name: 4 to 63 letters, digits and "-", starting and ending with a letter or
 * digit (Terraform's azurerm_log_analytics_workspace and Azure's naming rules for
 * Microsoft.OperationalInsights/workspaces). A host's name may hold "_" and "." and run to 63
 * characters, which autonaming would keep and Azure would refuse at `up`: the name is the host's,
 * cleaned and cut, then 8 hex characters of the project, stack and host, so that two stacks'
 * hosts of one name never share one.
 */
export function logWorkspaceName(project: string, stack: string, host: string): string {
  const clean = host
    .replace(/[^A-Za-z0-9-]/g, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
  const hash = createHash("sha256").update(`${project}/${stack}/${host}`).digest("hex").slice(0, 8);
  return `${clean || "host"}-logs-${hash}`;
}

/** The workspace's pricing tier: pay-as-you-go per GB ingested, the tier new workspaces get. */
export const WORKSPACE_SKU = "PerGB2018";

/**
 * The daemon's syslog options. No `syslog-address`: the driver then dials the local socket,
 * /dev/log (moby daemon/logger/syslog: an empty network goes to srslog's unixSyslog). The driver
 * dials when a container starts and the container fails to start if it cannot, so the socket is
 * journald's, always there under systemd, not rsyslog's. `tag` is the container's name (rsyslog
 * cuts its programname at a "/", so no name/id pair as on AWS). `mode: non-blocking` with a
 * bounded buffer, as for awslogs: a slow reader must not stall the host's containers. Facility
 * and severity reach the agent unchanged; it drops what the rule does not name.
 */
export function syslogOptions(): Record<string, string> {
  return {
    "syslog-facility": CONTAINER_LOG_FACILITY,
    tag: "{{.Name}}",
    mode: "non-blocking",
    "max-buffer-size": "4m",
  };
}

export function azureShippedLogs(): ShippedLogs {
  return { driver: "syslog", options: syslogOptions() };
}

/**
 * The agent writes its rsyslog forwarding only once it holds a rule with a syslog source ("When
 * Syslog is added to a DCR, this configuration is installed under /etc/rsyslog.d and rsyslog is
 * automatically restarted": "Collect Syslog events with Azure Monitor Agent"), which it fetches
 * after the association exists. Until then rsyslog sends nothing on. The host's step waits for
 * that rule (`-omfwd` over TCP, or the socket form the agent uses under SELinux), bounded, so
 * the containers start only once their lines reach the agent, and a host whose agent never
 * configures fails `up` with what to look at instead of keeping its logs silently.
 */
export const AGENT_FORWARDING_TRIES = 90;
export const AGENT_FORWARDING_PAUSE_SECONDS = 10;

export function agentForwardingScript(): string {
  const minutes = (AGENT_FORWARDING_TRIES * AGENT_FORWARDING_PAUSE_SECONDS) / 60;
  return [
    "#!/bin/sh",
    "# dockerhost: wait until Azure Monitor's agent forwards syslog (its rsyslog rule)",
    "set -eu",
    "i=0",
    `while [ "$i" -lt ${AGENT_FORWARDING_TRIES} ]; do`,
    "  if ls /etc/rsyslog.d/10-azuremonitoragent*.conf >/dev/null 2>&1; then echo forwarding; exit 0; fi",
    "  i=$((i + 1))",
    `  sleep ${AGENT_FORWARDING_PAUSE_SECONDS}`,
    "done",
    `echo 'dockerhost: after ${minutes} min Azure Monitor'"'"'s agent has written no rsyslog forwarding (/etc/rsyslog.d/10-azuremonitoragent*.conf). Check the extension (az vm extension show --name AzureMonitorLinuxAgent) and the rule'"'"'s association with the VM (az monitor data-collection rule association list --resource <vm id>).' >&2`,
    "exit 1",
    "",
  ].join("\n");
}

/** Azure Monitor Agent for Linux, as a VM extension ("Manage Azure Monitor Agent"). */
export const MONITOR_AGENT = {
  publisher: "Microsoft.Azure.Monitor",
  type: "AzureMonitorLinuxAgent",
  /** The minor version floor; the platform upgrades within it and beyond (see below). */
  typeHandlerVersion: "1.33",
} as const;

/**
 * The data collection rule's one data source, destination and flow, as the API takes them
 * (`monitor.DataCollectionRule`: dataSources.syslog, destinations.logAnalytics, dataFlows).
 * `kind: "Linux"`: a rule for Linux agents.
 */
export function containerLogsRule<W>(workspaceResourceId: W) {
  return {
    kind: "Linux",
    dataSources: {
      syslog: [
        {
          name: "containers",
          streams: ["Microsoft-Syslog"],
          facilityNames: [CONTAINER_LOG_FACILITY],
          logLevels: ["*"],
        },
      ],
    },
    destinations: { logAnalytics: [{ name: "host-workspace", workspaceResourceId }] },
    dataFlows: [{ streams: ["Microsoft-Syslog"], destinations: ["host-workspace"] }],
  };
}

/**
 * Whether the host has an identity its payload uses apart from its logs: a session or ACR pulls
 * (as on AWS, aws/container-logs.ts). Every Azure VM gets a managed identity, but strict's
 * default follows what the host's options use, so that a strict host is not given a workspace
 * and an agent it never asked for.
 */
export function azureIdentityBesidesLogs(args: {
  sshAccess?: string;
  acrRegistries?: string[];
}): boolean {
  return args.sshAccess === "session" || (args.acrRegistries?.length ?? 0) > 0;
}

export interface AzureContainerLogsArgs extends ContainerLogsChoice {
  logRetentionDays?: number;
  sshAccess?: string;
  acrRegistries?: string[];
}

export function azureShipsLogs(args: AzureContainerLogsArgs): boolean {
  return resolvedContainerLogs(args, azureIdentityBesidesLogs(args)) === "cloud";
}

export function azureContainerLogsProblems(args: AzureContainerLogsArgs): string[] {
  const problems: string[] = [];
  const days = args.logRetentionDays;
  const { min, max } = AZURE_LOG_RETENTION;
  if (days !== undefined && (days < min || days > max))
    problems.push(
      `logRetentionDays: ${days} is no retention a Log Analytics workspace (${WORKSPACE_SKU}) accepts. Use a number of days from ${min} to ${max}.`,
    );
  problems.push(
    ...shippedLogsOverrideProblems(
      args,
      azureIdentityBesidesLogs(args),
      "syslog to the host's rsyslog, which Azure Monitor's agent reads",
    ),
  );
  return problems;
}
