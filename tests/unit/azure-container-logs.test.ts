import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYER_PUBLIC_KEY,
  byName,
  optionsRecorder,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
// Imported after the mocks are in place, as the stack program would be.
import { AzureDockerHost } from "../../components/azure/azure-docker-host";
import {
  agentForwardingScript,
  azureContainerLogsProblems,
  azureShipsLogs,
  containerLogsRule,
  logWorkspaceName,
  syslogOptions,
} from "../../components/azure/container-logs";
import {
  DOCKER_LOG_RATE_DROP_IN_PATH,
  RSYSLOG_STOP_PATH,
  SYSLOG_DAEMON_STEP,
  rsyslogStopRule,
  syslogDaemonScript,
} from "../../components/bootstrap/syslog-daemon";
import { configProblems } from "../support/config-problems";
import { azureWrittenFiles } from "../support/ec2-user-data";

// Containers' logs of an Azure host in Azure Monitor: the syslog driver, the host's rsyslog,
// Azure Monitor's agent and a data collection rule to a workspace of the host's own.

const REGISTRY =
  "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shop/providers/Microsoft.ContainerRegistry/registries/shopregistry";

async function build(
  name: string,
  extra: Partial<ConstructorParameters<typeof AzureDockerHost>[1]> = {},
) {
  const options = optionsRecorder();
  const host = new AzureDockerHost(
    name,
    {
      os: "debian-12",
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      sshPrivateKey: pulumi.secret("KEY"),
      sshAllowedCidrs: ["203.0.113.7/32"],
      location: "westeurope",
      ...extra,
    },
    { transformations: [options.record] },
  );
  await valueOf(host.ready);
  await settle(recorded);
  return { options: options.byName, mine: recorded.filter((r) => r.name.startsWith(`${name}-`)) };
}

function daemonJson(inputs: Record<string, unknown>): Record<string, unknown> {
  const file = azureWrittenFiles(inputs).find((f) => f.path === "/etc/docker/daemon.json");
  return JSON.parse(file!.content) as Record<string, unknown>;
}

const MONITOR_TYPES = /azure-native:(operationalinsights|monitor):|VirtualMachineExtension/;

describe("container logs in Azure Monitor: the pure parts", () => {
  it.each<[string, Parameters<typeof azureShipsLogs>[0], boolean]>([
    ["unset, baseline", {}, false],
    [
      "unset, strict, no identity in use: no workspace for logs alone",
      { hardening: "strict" },
      false,
    ],
    ["unset, strict, a session", { hardening: "strict", sshAccess: "session" }, true],
    ["unset, strict, ACR pulls", { hardening: "strict", acrRegistries: [REGISTRY] }, true],
    ["unset, baseline, a session", { sshAccess: "session" }, false],
    [
      "host, strict, a session",
      { hardening: "strict", sshAccess: "session", containerLogs: "host" },
      false,
    ],
    ["cloud, baseline", { containerLogs: "cloud" }, true],
  ])("%s", (_, args, ships) => {
    expect(azureShipsLogs(args)).toBe(ships);
  });

  it("gives the driver's options and the rule's one source, destination and flow", () => {
    expect(syslogOptions()).toStrictEqual({
      "syslog-facility": "local6",
      tag: "{{.Name}}",
      mode: "non-blocking",
      "max-buffer-size": "4m",
    });
    expect(containerLogsRule("/ws")).toStrictEqual({
      kind: "Linux",
      dataSources: {
        syslog: [
          {
            name: "containers",
            streams: ["Microsoft-Syslog"],
            facilityNames: ["local6"],
            logLevels: ["*"],
          },
        ],
      },
      destinations: { logAnalytics: [{ name: "host-workspace", workspaceResourceId: "/ws" }] },
      dataFlows: [{ streams: ["Microsoft-Syslog"], destinations: ["host-workspace"] }],
    });
  });

  it.each([
    ["a plain name", "web", "web-logs-"],
    ["dots and underscores", "app_1.prod", "app-1-prod-logs-"],
    ["63 characters", "a".repeat(63), `${"a".repeat(40)}-logs-`],
    ["a cut that would end in -", `${"a".repeat(39)}_b`, `${"a".repeat(39)}-logs-`],
    ["nothing usable", "__", "host-logs-"],
  ])("names the workspace within Azure's rule: %s", (_, host, prefix) => {
    const name = logWorkspaceName("shop", "prod", host);
    expect(name.slice(0, -8)).toBe(prefix);
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/);
    expect(name).not.toBe(logWorkspaceName("shop", "staging", host));
  });

  it("gives the rsyslog rule that stops the containers' facility after the agent's", () => {
    expect(rsyslogStopRule("local6")).toBe(
      [
        "# dockerhost: containers' lines (facility local6) go to Azure Monitor's agent (its 10- rule)",
        "# and stay in the journal; not again into /var/log.",
        "if $syslogfacility-text == 'local6' then stop",
        "",
      ].join("\n"),
    );
  });

  it("waits for the agent's forwarding every 10 s for 15 minutes, then names what to check", () => {
    const script = agentForwardingScript();
    expect(script).toContain('while [ "$i" -lt 90 ]; do');
    expect(script).toContain(
      "  if ls /etc/rsyslog.d/10-azuremonitoragent*.conf >/dev/null 2>&1; then echo forwarding; exit 0; fi",
    );
    expect(script).toContain("  sleep 10\n");
    expect(script).toContain(
      "dockerhost: after 15 min Azure Monitor'\"'\"'s agent has written no rsyslog forwarding",
    );
    expect(script.endsWith("exit 1\n")).toBe(true);
  });

  it.each<[string, Parameters<typeof azureContainerLogsProblems>[0], string[]]>([
    ["the shortest retention", { containerLogs: "cloud", logRetentionDays: 30 }, []],
    ["the longest retention", { containerLogs: "cloud", logRetentionDays: 730 }, []],
    [
      "a retention the workspace refuses",
      { containerLogs: "cloud", logRetentionDays: 7 },
      [
        "logRetentionDays: 7 is no retention a Log Analytics workspace (PerGB2018) accepts. Use a number of days from 30 to 730.",
      ],
    ],
    [
      "the daemon's log driver set beside shipping",
      { containerLogs: "cloud", docker: { daemonConfigJson: '{"log-driver":"local"}' } },
      [
        'docker.daemonConfigJson.log-driver: containerLogs "cloud" sets the engine\'s log-driver (syslog to the host\'s rsyslog, which Azure Monitor\'s agent reads). Remove log-driver from daemonConfigJson, or set containerLogs: "host".',
      ],
    ],
  ])("%s", (_, args, problems) => {
    expect(azureContainerLogsProblems(args)).toStrictEqual(problems);
  });

  it("installs and starts rsyslog where the image lacks it, with apt or dnf", () => {
    expect(syslogDaemonScript("dnf")).toBe(
      [
        "#!/bin/sh",
        "# dockerhost: the syslog daemon that takes containers' logs from the engine",
        "set -eu",
        "if ! command -v rsyslogd >/dev/null 2>&1; then",
        "  dnf -y -q install rsyslog || { echo 'dockerhost: could not install rsyslog' >&2; exit 1; }",
        "fi",
        "systemctl enable --now rsyslog.service || { echo 'dockerhost: could not start rsyslog' >&2; exit 1; }",
        "",
      ].join("\n"),
    );
    expect(syslogDaemonScript("apt")).toContain(
      "  export DEBIAN_FRONTEND=noninteractive\n  { apt-get -q -y --no-install-recommends",
    );
  });
});

describe("AzureDockerHost with containerLogs: cloud", () => {
  it("makes the host's workspace and rule before the VM, the agent after the gate, and the containers wait for it", async () => {
    const { mine, options } = await build("al1", {
      containerLogs: "cloud",
      logRetentionDays: 90,
      containers: [{ name: "web", image: "nginx:1.27" }],
    });
    expect(
      mine
        .filter((r) => MONITOR_TYPES.test(r.type))
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual([
      "azure-native:compute:VirtualMachineExtension al1-monitor-agent",
      "azure-native:monitor:DataCollectionRule al1-logs-rule",
      "azure-native:monitor:DataCollectionRuleAssociation al1-logs-association",
      "azure-native:operationalinsights:Workspace al1-logs",
    ]);
    const tags = { "dockerhost-host": "al1" };
    expect(plain(byName(mine, "al1-logs").inputs)).toStrictEqual({
      resourceGroupName: "rg-generated",
      location: "westeurope",
      workspaceName: logWorkspaceName("dockerhost", "dev", "al1"),
      sku: { name: "PerGB2018" },
      retentionInDays: 90,
      tags,
    });
    expect(plain(byName(mine, "al1-logs-rule").inputs)).toStrictEqual({
      resourceGroupName: "rg-generated",
      location: "westeurope",
      description:
        "dockerhost al1: containers' logs (syslog facility local6) to the host's workspace",
      ...containerLogsRule("al1-logs-id"),
      tags,
    });
    expect(plain(byName(mine, "al1-monitor-agent").inputs)).toStrictEqual({
      resourceGroupName: "rg-generated",
      vmName: "vm-generated",
      location: "westeurope",
      vmExtensionName: "AzureMonitorLinuxAgent",
      publisher: "Microsoft.Azure.Monitor",
      type: "AzureMonitorLinuxAgent",
      typeHandlerVersion: "1.33",
      autoUpgradeMinorVersion: true,
      enableAutomaticUpgrade: true,
      tags,
    });
    expect(plain(byName(mine, "al1-logs-association").inputs)).toStrictEqual({
      resourceUri: "al1-vm-id",
      dataCollectionRuleId: "al1-logs-rule-id",
      description: "dockerhost al1: containers' logs to the host's workspace",
    });
    const urnsOf = async (name: string) =>
      Promise.all(
        ((options.get(name)?.dependsOn ?? []) as pulumi.Resource[]).map(async (r) =>
          (await valueOf(r.urn)).split("::").pop(),
        ),
      );
    expect(await urnsOf("al1-monitor-agent")).toStrictEqual(["al1-ready"]);
    expect(await urnsOf("al1-logs-association")).toStrictEqual(["al1-monitor-agent"]);
    const forwarding = byName(mine, "al1-logs-forwarding");
    expect(forwarding.type).toBe("command:remote:Command");
    expect(forwarding.inputs.create).toBe(agentForwardingScript());
    expect(forwarding.inputs.triggers).toStrictEqual(["vm-uuid-1"]);
    expect(await urnsOf("al1-logs-forwarding")).toStrictEqual(["al1-logs-association"]);
    // The containers' engine provider takes the host's readiness only once the agent forwards.
    const order = recorded.map((r) => r.name);
    expect(order.indexOf("al1-services-engine")).toBeGreaterThan(
      order.indexOf("al1-logs-forwarding"),
    );
    const daemon = daemonJson(byName(mine, "al1-vm").inputs);
    expect(daemon["log-driver"]).toBe("syslog");
    expect(daemon["log-opts"]).toStrictEqual(syslogOptions());
    const steps = azureWrittenFiles(byName(mine, "al1-vm").inputs).filter((f) =>
      f.path.endsWith(SYSLOG_DAEMON_STEP),
    );
    expect(steps.map((f) => f.content)).toStrictEqual([syslogDaemonScript("apt")]);
    const files = Object.fromEntries(
      azureWrittenFiles(byName(mine, "al1-vm").inputs).map((f) => [f.path, f.content]),
    );
    expect(files[DOCKER_LOG_RATE_DROP_IN_PATH]).toBe("[Service]\nLogRateLimitIntervalSec=0\n");
    expect(files[RSYSLOG_STOP_PATH]).toBe(rsyslogStopRule("local6"));
  });

  it("keeps a baseline host's logs on the host: no workspace, no agent, no rsyslog step or files", async () => {
    const { mine } = await build("al2");
    expect(mine.filter((r) => MONITOR_TYPES.test(r.type))).toStrictEqual([]);
    expect(daemonJson(byName(mine, "al2-vm").inputs)["log-driver"]).toBe("json-file");
    const files = azureWrittenFiles(byName(mine, "al2-vm").inputs);
    expect(
      files.filter((f) =>
        [SYSLOG_DAEMON_STEP, DOCKER_LOG_RATE_DROP_IN_PATH, RSYSLOG_STOP_PATH].some((p) =>
          f.path.endsWith(p),
        ),
      ),
    ).toStrictEqual([]);
  });

  it("ships a strict ACR host's logs by default, with a 30-day workspace", async () => {
    const { mine } = await build("al3", { hardening: "strict", acrRegistries: [REGISTRY] });
    expect(byName(mine, "al3-logs").inputs.retentionInDays).toBe(30);
    expect(daemonJson(byName(mine, "al3-vm").inputs)["log-driver"]).toBe("syslog");
  });

  it("refuses a bad retention and rotation options the host's syslog driver takes not, all at once", () => {
    expect(
      configProblems(
        () =>
          new AzureDockerHost("al4", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAllowedCidrs: ["203.0.113.7/32"],
            containerLogs: "cloud",
            logRetentionDays: 1000,
            containers: [
              { name: "web", image: "nginx:1.27", logging: { options: { "max-size": "5m" } } },
            ],
          }),
      ),
    ).toStrictEqual([
      "logRetentionDays: 1000 is no retention a Log Analytics workspace (PerGB2018) accepts. Use a number of days from 30 to 730.",
      'containers[0].logging.options.max-size: the host ships containers\' logs with syslog (containerLogs: "cloud"), which takes no max-size. Give driver: "json-file" (or "local") with it, or leave it out.',
    ]);
  });
});
