import * as network from "@pulumi/azure-native/network";
import type * as azureTypes from "@pulumi/azure-native/types";
import * as pulumi from "@pulumi/pulumi";
import type { InboundRule } from "../host/firewall-rules";

/** Rule priorities start here and follow the rules' order; Azure's own rules sit at 65000+. */
const FIRST_PRIORITY = 1000;

/** The host's inbound rules as NSG rules; everything else falls to Azure's DenyAllInBound. */
export function nsgRules(rules: InboundRule[]): azureTypes.input.network.SecurityRuleArgs[] {
  return rules.map((rule, i) => ({
    name: rule.key,
    description: rule.description,
    priority: FIRST_PRIORITY + i,
    direction: "Inbound",
    access: "Allow",
    protocol: rule.protocol === "udp" ? "Udp" : "Tcp",
    sourceAddressPrefix: rule.cidr,
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: String(rule.port),
  }));
}

export interface AzureNetworkArgs {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  vnetCidr: string;
  subnetCidr: string;
  tags: Record<string, string>;
}

/** A VNet of the host's own with one subnet. */
export function createOwnSubnet(
  name: string,
  args: AzureNetworkArgs,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const vnet = new network.VirtualNetwork(
    `${name}-vnet`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      addressSpace: { addressPrefixes: [args.vnetCidr] },
      tags: args.tags,
    },
    { parent },
  );
  const subnet = new network.Subnet(
    `${name}-subnet`,
    {
      resourceGroupName: args.resourceGroupName,
      virtualNetworkName: vnet.name,
      addressPrefix: args.subnetCidr,
    },
    { parent },
  );
  return subnet.id.apply((id) => id ?? "");
}
