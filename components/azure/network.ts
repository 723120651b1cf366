import * as network from "@pulumi/azure-native/network";
import type * as azureTypes from "@pulumi/azure-native/types";
import * as pulumi from "@pulumi/pulumi";
import type { InboundRule } from "../host/firewall-rules";

/** A host's or a fleet's own VNet and subnet, unless the user gives CIDRs or a subnet. */
export const DEFAULT_VNET_CIDR = "10.43.0.0/16";
export const DEFAULT_SUBNET_CIDR = "10.43.1.0/24";

/** Rule priorities start here and follow the rules' order; Azure's own rules sit at 65000+. */
const FIRST_PRIORITY = 1000;

/**
 * Azure's default rules allow all inbound traffic from the virtual network (AllowVnetInBound,
 * 65000) and from its load balancer (AllowAzureLoadBalancerInBound, 65001) above DenyAllInBound
 * (learn.microsoft.com, "Network security groups", default security rules). These two make
 * "only what a rule names gets in" true for those sources as well.
 */
export const DENY_DEFAULT_ALLOWS: azureTypes.input.network.SecurityRuleArgs[] = [
  {
    name: "deny-vnet-inbound",
    description: "Nothing from the virtual network but what a rule above names",
    priority: 4095,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
  },
  {
    name: "deny-load-balancer-inbound",
    description: "No load balancer traffic: the host has no load balancer in front",
    priority: 4096,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "AzureLoadBalancer",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
  },
];

/** The host's inbound rules as NSG rules, then the denials of Azure's default allows. */
export function nsgRules(rules: InboundRule[]): azureTypes.input.network.SecurityRuleArgs[] {
  const allows = rules.map((rule, i) => ({
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
  return [...allows, ...DENY_DEFAULT_ALLOWS];
}

export interface AzureNetworkArgs {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  vnetCidr: string;
  subnetCidr: string;
  tags: Record<string, string>;
}

export interface OwnSubnet {
  subnetId: pulumi.Output<string>;
  vnet: network.VirtualNetwork;
  subnet: network.Subnet;
}

/** A VNet of the host's own with one subnet. */
export function createOwnSubnet(
  name: string,
  args: AzureNetworkArgs,
  parent?: pulumi.Resource,
): OwnSubnet {
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
  return { subnetId: subnet.id.apply((id) => id ?? ""), vnet, subnet };
}
