import * as compute from "@pulumi/azure-native/compute";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import { hostCommand } from "../remote/host-command";
import type { GatedHost } from "../host/host-runtime";
import {
  agentForwardingScript,
  containerLogsRule,
  DEFAULT_AZURE_LOG_RETENTION_DAYS,
  logWorkspaceName,
  MONITOR_AGENT,
  WORKSPACE_SKU,
} from "./container-logs";

// The Azure side of a host's shipped container logs (container-logs.ts says the design): its own
// Log Analytics workspace and the data collection rule that routes the containers' facility to
// it, made beside the VM (neither needs it); then, once the host passed its gate (rsyslog is
// installed and running, so the agent finds a syslog daemon to configure), Azure Monitor's
// agent, the rule's association with the VM, and a step on the host that waits until the agent
// forwards.

export interface LogStoreInput {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  retentionInDays?: number;
  tags: Record<string, string>;
}

export interface LogStore {
  workspace: operationalinsights.Workspace;
  rule: monitor.DataCollectionRule;
}

export function hostLogStore(
  name: string,
  input: LogStoreInput,
  parent: pulumi.Resource,
): LogStore {
  const workspace = new operationalinsights.Workspace(
    `${name}-logs`,
    {
      resourceGroupName: input.resourceGroupName,
      location: input.location,
      workspaceName: logWorkspaceName(pulumi.getProject(), pulumi.getStack(), name),
      sku: { name: WORKSPACE_SKU },
      retentionInDays: input.retentionInDays ?? DEFAULT_AZURE_LOG_RETENTION_DAYS,
      tags: input.tags,
    },
    { parent },
  );
  // A rule sends to a workspace in its own region ("Data collection rules in Azure Monitor",
  // regional limits): both take the host's location.
  const rule = new monitor.DataCollectionRule(
    `${name}-logs-rule`,
    {
      resourceGroupName: input.resourceGroupName,
      location: input.location,
      description: `dockerhost ${name}: containers' logs (syslog facility local6) to the host's workspace`,
      ...containerLogsRule(workspace.id),
      tags: input.tags,
    },
    { parent },
  );
  return { workspace, rule };
}

export interface MonitorAgentInput {
  vm: compute.VirtualMachine;
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  rule: monitor.DataCollectionRule;
  tags: Record<string, string>;
}

/**
 * The agent and the association, made after `gate`. Both name the VM through its outputs, so a
 * replaced VM replaces them too: with the VM delete-before-replace, the engine deletes first the
 * dependents whose replace-on-change inputs come from it (vmName, resourceUri: path parameters,
 * which azure-native replaces on: pulumi-azure-native#77), and makes them again on the new VM
 * (pulumi/pulumi docs/architecture/deployment-execution/resource-registration.md, "Dependent
 * replacements").
 */
export function attachMonitorAgent(
  name: string,
  input: MonitorAgentInput,
  gate: pulumi.Resource,
  host: GatedHost,
  parent: pulumi.Resource,
): pulumi.CustomResource[] {
  const agent = new compute.VirtualMachineExtension(
    `${name}-monitor-agent`,
    {
      resourceGroupName: input.resourceGroupName,
      vmName: input.vm.name,
      location: input.location,
      vmExtensionName: MONITOR_AGENT.type,
      publisher: MONITOR_AGENT.publisher,
      type: MONITOR_AGENT.type,
      typeHandlerVersion: MONITOR_AGENT.typeHandlerVersion,
      // Minor versions by the platform at each deploy, and newer ones as Azure releases them
      // (automatic extension upgrade): the agent's fixes reach the host without a redeploy.
      autoUpgradeMinorVersion: true,
      enableAutomaticUpgrade: true,
      tags: input.tags,
    },
    { parent, dependsOn: [gate] },
  );
  const association = new monitor.DataCollectionRuleAssociation(
    `${name}-logs-association`,
    {
      resourceUri: input.vm.id,
      dataCollectionRuleId: input.rule.id,
      description: `dockerhost ${name}: containers' logs to the host's workspace`,
    },
    { parent, dependsOn: [agent] },
  );
  // Once the agent has the rule it forwards (agentForwardingScript); a new VM waits again.
  const forwarding = hostCommand(
    `${name}-logs-forwarding`,
    {
      connection: host.connection,
      access: host.access,
      create: agentForwardingScript(),
      triggers: [host.machineId],
    },
    { parent, dependsOn: [association] },
  );
  return [agent, association, forwarding];
}
