import { aptInstall, aptUpdate, dnfInstall } from "./engine-install";
import { fail, shellScript } from "./shell";
import type { ShippedLogs } from "./types";

// Where containers' logs leave the host through the engine's `syslog` driver (an Azure host's
// containerLogs "cloud"), a syslog daemon takes them on: Azure Monitor's agent collects "messages
// sent by rsyslog or syslog-ng", and at install writes its forwarding
// (/etc/rsyslog.d/10-azuremonitoragent-omfwd.conf) only where /etc/rsyslog.d exists (Azure Monitor
// docs, "Collect Syslog events with Azure Monitor Agent"; Azure/azure-linux-extensions
// AzureMonitorAgent/agent.py). Ubuntu 24.04 and RHEL 9 images carry rsyslog; Debian 12 does not
// ("Starting with Debian Bookworm, the rsyslog package is no longer installed by default": The
// Debian Administrator's Handbook, "System logging"). The agent's installer adds it on Debian 12
// itself (azure-linux-extensions#1895), but here it is there on every OS before any container
// starts. The driver writes to /dev/log, journald's socket under systemd; rsyslog reads what the
// journal passes on (Debian and Ubuntu keep journald's ForwardToSyslog on, RHEL's rsyslog reads the
// journal with imjournal), with the facility the driver set.

export const SYSLOG_DAEMON_PACKAGE = "rsyslog";

/** The step's name; it runs after the engine starts and before the readiness gate. */
export const SYSLOG_DAEMON_STEP = "46-syslog-daemon.sh";

export function needsSyslogDaemon(shipped: ShippedLogs | undefined): boolean {
  return shipped?.driver === "syslog";
}

/**
 * rsyslog where the image lacks it, enabled and running. On a baked image apt may have no lists:
 * update, then try again. Package scripts may be held from starting services (policy-rc.d while
 * the engine installs), so the unit is started here, whatever the install did.
 */
export function syslogDaemonScript(manager: "apt" | "dnf"): string {
  const pkg = SYSLOG_DAEMON_PACKAGE;
  const install =
    manager === "apt"
      ? `{ ${aptInstall([pkg])} || { ${aptUpdate()} && ${aptInstall([pkg])}; }; }`
      : dnfInstall([pkg]);
  return shellScript("the syslog daemon that takes containers' logs from the engine", [
    "if ! command -v rsyslogd >/dev/null 2>&1; then",
    ...(manager === "apt" ? ["  export DEBIAN_FRONTEND=noninteractive"] : []),
    `  ${install} || ${fail(`could not install ${pkg}`)}`,
    "fi",
    `systemctl enable --now rsyslog.service || ${fail("could not start rsyslog")}`,
  ]);
}
