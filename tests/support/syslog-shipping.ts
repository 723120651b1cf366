import * as fs from "node:fs";
import * as path from "node:path";
import {
  agentForwardingScript,
  CONTAINER_LOG_FACILITY,
  syslogOptions,
} from "../../components/azure/container-logs";
import {
  RSYSLOG_STOP_PATH,
  rsyslogStopRule,
  syslogDaemonScript,
} from "../../components/bootstrap/syslog-daemon";
import type { GuestSession } from "./guest-session";
import { quote } from "./metadata-standin";

// Container logs shipped as an Azure host ships them (containerLogs "cloud"), on a test guest
// with no cloud: the payload's rsyslog step word for word, the engine's syslog driver with the
// options the payload writes, and in the agent's place a listener on the guest's loopback that
// rsyslog forwards every facility to over TCP, as the agent's own forwarding does (written where
// the agent writes it), and the payload's rule that keeps the lines out of /var/log. Nothing
// leaves the guest. The agent's filter by the rule's facilities is the test's to apply.

const DIR = "/run/dockerhost-syslog";
const SCRIPT = `${DIR}/syslog-standin.py`;
const RECORD = `${DIR}/received.log`;
// Where the agent writes its own forwarding, so the host's wait step finds it word for word.
const FORWARD_CONF = "/etc/rsyslog.d/10-azuremonitoragent-omfwd.conf";
const PORT = 28330;

/** One line as rsyslog sent it, in RFC 5424 (its RSYSLOG_SyslogProtocol23Format). */
export interface ReceivedLine {
  facility: number;
  severity: number;
  appName: string;
  message: string;
}

export interface SyslogShippingProof {
  /** What the payload's step printed, and how long it took (it installs rsyslog). */
  stepSeconds: number;
  /** Every line the listener received, parsed. */
  received: ReceivedLine[];
  dockerLogs: string;
  /** What the host's wait step printed, run word for word once the forwarding was in place. */
  forwardingStep: string;
  /** Lines of /var/log/syslog with the container's output (the payload's stop rule: none). */
  inVarLogSyslog: number;
  /** A control line of another facility, which rsyslog's default rules do write there. */
  controlInVarLogSyslog: number;
}

/** The forwarding the test stands in with: every facility, TCP, the loopback address. */
const FORWARD = [
  "# dockerhost test: in the place of Azure Monitor Agent's forwarding (all facilities, TCP, loopback)",
  `*.* action(type="omfwd" target="127.0.0.1" port="${PORT}" protocol="tcp" template="RSYSLOG_SyslogProtocol23Format")`,
  "",
].join("\n");

/** Runs the payload's step, then one container printing `out` and `err`; reads what arrived. */
export async function proveSyslogShipping(
  session: GuestSession,
  image: string,
  out: string[],
  err: string[],
): Promise<SyslogShippingProof> {
  const started = Date.now();
  await session.sshWithInput("sudo sh -s", syslogDaemonScript("apt"), 600_000);
  const stepSeconds = (Date.now() - started) / 1000;
  const standin = fs.readFileSync(path.join(__dirname, "syslog-standin.py"), "utf8");
  await session.sshWithInput(
    `sudo sh -c ${quote(`mkdir -p ${DIR} && cat > ${SCRIPT} && rm -f ${RECORD}`)}`,
    standin,
  );
  try {
    await session.sshWithInput(`sudo sh -c ${quote(`cat > ${FORWARD_CONF}`)}`, FORWARD);
    await session.sshWithInput(
      `sudo sh -c ${quote(`cat > ${RSYSLOG_STOP_PATH}`)}`,
      rsyslogStopRule(CONTAINER_LOG_FACILITY),
    );
    await session.ssh(
      `sudo sh -c ${quote(
        [
          `(setsid python3 ${SCRIPT} 127.0.0.1 ${PORT} ${RECORD} >/dev/null 2>&1 < /dev/null &)`,
          `for i in $(seq 50); do python3 -c 'import socket; socket.create_connection(("127.0.0.1", ${PORT}), 1).close()' 2>/dev/null && break; sleep 0.2; done`,
          "systemctl restart rsyslog.service",
        ].join("\n"),
      )}`,
      180_000,
    );
    const forwardingStep = (await session.sshWithInput("sh -s", agentForwardingScript())).trim();
    const printed = [...out.map((l) => `echo ${l}`), ...err.map((l) => `echo ${l} >&2`)].join("; ");
    await session.docker([
      "run",
      "-d",
      "--name",
      "shipped-syslog",
      "--log-driver",
      "syslog",
      ...Object.entries(syslogOptions()).flatMap(([k, v]) => ["--log-opt", `${k}=${v}`]),
      image,
      "/bin/busybox",
      "sh",
      "-c",
      printed,
    ]);
    await session.docker(["wait", "shipped-syslog"]);
    const dockerLogs = await session.docker(["logs", "shipped-syslog"]);
    await session.ssh("logger -p user.info dockerhost-syslog-control");
    const expected = out.length + err.length;
    let received: ReceivedLine[] = [];
    // rsyslog forwards as lines arrive; a fixed count of reads.
    for (let i = 0; i < 60; i++) {
      received = parseReceived(await session.ssh(`sudo cat ${RECORD} 2>/dev/null || true`));
      if (received.filter((l) => l.appName === "shipped-syslog").length >= expected) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const count = async (text: string) =>
      Number((await session.ssh(`sudo grep -c ${text} /var/log/syslog || true`)).trim() || "0");
    let controlInVarLogSyslog = 0;
    for (let i = 0; i < 30 && controlInVarLogSyslog === 0; i++) {
      controlInVarLogSyslog = await count("dockerhost-syslog-control");
      if (!controlInVarLogSyslog) await new Promise((r) => setTimeout(r, 1000));
    }
    const inVarLogSyslog = await count(out[0]);
    return {
      stepSeconds,
      received,
      dockerLogs,
      forwardingStep,
      inVarLogSyslog,
      controlInVarLogSyslog,
    };
  } finally {
    await session.ssh("docker rm -f shipped-syslog >/dev/null 2>&1 || true");
    // rsyslog stays installed (a package's removal proves nothing); it stops, so the guest's
    // later checks see the journal as before.
    await session.ssh(
      `sudo sh -c ${quote(
        [
          `pkill -f '${SCRIPT.replace(/\.py$/, "[.]py")}' || true`,
          `rm -f ${FORWARD_CONF} ${RSYSLOG_STOP_PATH}`,
          "systemctl disable --now rsyslog.service syslog.socket >/dev/null 2>&1 || true",
          `rm -rf ${DIR}`,
        ].join("\n"),
      )}`,
    );
  }
}

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG` (RFC 5424, section 6). */
export function parseReceived(text: string): ReceivedLine[] {
  const lines: ReceivedLine[] = [];
  for (const line of text.split("\n")) {
    const m = /^<(\d+)>1 \S+ \S+ (\S+) \S+ \S+ (?:-|\[.*?\]) ?(.*)$/.exec(line);
    if (!m) continue;
    const pri = Number(m[1]);
    // rsyslog keeps the space after a legacy message's tag in its msg property.
    lines.push({ facility: pri >> 3, severity: pri & 7, appName: m[2], message: m[3].trim() });
  }
  return lines;
}
