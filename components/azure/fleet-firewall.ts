import * as network from "@pulumi/azure-native/network";
import type * as azureTypes from "@pulumi/azure-native/types";
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { swarmPortRules } from "../swarm/swarm-ports";
import { DEFAULT_SUBNET_CIDR, DEFAULT_VNET_CIDR, createOwnSubnet } from "./network";

// A fleet on Azure: an application security group that every member's NIC joins, and on each
// member's own NSG the swarm's ports admitted from that group only, never from a CIDR list.
// Azure evaluates `sourceApplicationSecurityGroups` against the NICs in the group, and every NIC
// of one group must sit in the same virtual network as the first (learn.microsoft.com, "Application
// security groups", allow rules and constraints): a fleet shares one subnet. An NSG rule's
// protocol may be TCP, UDP, ICMP, ESP, AH or Any ("Network security groups", security rules;
// azure-native's SecurityRuleProtocol has "Esp"): encrypted overlays need ESP, which has no ports.

/** Below the host's own rules (1000+) and far above the denials of Azure's defaults (4095+). */
const FIRST_SWARM_PRIORITY = 900;

export interface AzureSwarmPeers {
  /** The fleet's application security group: the NIC joins it, the NSG admits its members. */
  applicationSecurityGroupId: pulumi.Input<string>;
  /** IPsec ESP among members too, for encrypted overlay networks (strict fleets). */
  encryptedOverlay?: boolean;
}

export function azureFleetGroup(
  name: string,
  resourceGroupName: pulumi.Input<string>,
  location: pulumi.Input<string> | undefined,
  tags: Record<string, string>,
  parent?: pulumi.Resource,
): network.ApplicationSecurityGroup {
  return new network.ApplicationSecurityGroup(
    `${name}-fleet-asg`,
    { resourceGroupName, location, tags },
    { parent },
  );
}

/** The NSG rules of one member: the swarm's ports from the fleet's group to this NIC. */
export function swarmNsgRules(peers: AzureSwarmPeers): azureTypes.input.network.SecurityRuleArgs[] {
  const group = [{ id: peers.applicationSecurityGroupId }];
  return swarmPortRules(peers.encryptedOverlay ?? false).map((rule, i) => ({
    name: `swarm-${rule.key}`,
    description: rule.description,
    priority: FIRST_SWARM_PRIORITY + i,
    direction: "Inbound",
    access: "Allow",
    protocol: rule.protocol === "esp" ? "Esp" : rule.protocol === "udp" ? "Udp" : "Tcp",
    sourceApplicationSecurityGroups: group,
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: rule.port === undefined ? "*" : String(rule.port),
  }));
}

export interface AzureFleetNetworkArgs {
  /** A resource group to use; otherwise the fleet gets its own. */
  resourceGroupName?: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  /** A subnet to put the fleet in; otherwise the fleet gets a VNet of its own. */
  subnetId?: pulumi.Input<string>;
  vnetCidr?: string;
  subnetCidr?: string;
  /** IPsec ESP among members too, for encrypted overlay networks (strict fleets). */
  encryptedOverlay?: boolean;
  tags?: Record<string, string>;
}

export interface AzureFleetNetwork {
  /** Every member's `resourceGroupName`. */
  resourceGroupName: pulumi.Output<string>;
  /** Every member's `subnetId`. */
  subnetId: pulumi.Output<string>;
  /** Every member's `swarmPeers`. */
  swarmPeers: { applicationSecurityGroupId: pulumi.Output<string>; encryptedOverlay: boolean };
}

/** What the members of one Azure fleet share: a group, one subnet and an application security group. */
export function azureFleetNetwork(
  name: string,
  args: AzureFleetNetworkArgs = {},
  parent?: pulumi.Resource,
): AzureFleetNetwork {
  const tags = { ...args.tags, "dockerhost-fleet": name };
  const resourceGroupName = pulumi.output(
    args.resourceGroupName ??
      new resources.ResourceGroup(`${name}-fleet-rg`, { location: args.location, tags }, { parent })
        .name,
  );
  const subnetId = pulumi.output(
    args.subnetId ??
      createOwnSubnet(
        `${name}-fleet`,
        {
          resourceGroupName,
          location: args.location,
          vnetCidr: args.vnetCidr ?? DEFAULT_VNET_CIDR,
          subnetCidr: args.subnetCidr ?? DEFAULT_SUBNET_CIDR,
          tags,
        },
        parent,
      ).subnetId,
  );
  const group = azureFleetGroup(name, resourceGroupName, args.location, tags, parent);
  return {
    resourceGroupName,
    subnetId,
    swarmPeers: {
      applicationSecurityGroupId: group.id,
      encryptedOverlay: args.encryptedOverlay ?? false,
    },
  };
}
