import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { inboundRules } from "../host/firewall-rules";
import { withEdge } from "../services/edge-app";
import type { AzureDockerHostArgs } from "./azure-host-args";
import { DEFAULT_BASTION_SUBNET_CIDR, createOwnBastion } from "./bastion";
import { swarmNsgRules } from "./fleet-firewall";
import { DEFAULT_SUBNET_CIDR, DEFAULT_VNET_CIDR, createOwnSubnet, nsgRules } from "./network";

// An Azure host's network: its resource group and VNet unless given, its NSG, public IP and NIC,
// and with sshAccess "session" the Bastion SSH comes through.

export interface AzureHostNetwork {
  resourceGroupName: pulumi.Input<string>;
  nic: network.NetworkInterface;
  publicIp?: network.PublicIPAddress;
  /** With sshAccess "session": the Bastion the deployer's tunnel goes through. */
  bastion?: { name: pulumi.Input<string>; resourceGroupName: pulumi.Input<string> };
}

export function azureHostNetwork(
  name: string,
  args: AzureDockerHostArgs,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): AzureHostNetwork {
  const location = args.location;
  const session = args.sshAccess === "session";
  const resourceGroupName =
    args.resourceGroupName ??
    new resources.ResourceGroup(`${name}-rg`, { location, tags }, { parent }).name;
  const own =
    args.subnetId === undefined
      ? createOwnSubnet(
          name,
          {
            resourceGroupName,
            location,
            vnetCidr: args.vnetCidr ?? DEFAULT_VNET_CIDR,
            subnetCidr: args.subnetCidr ?? DEFAULT_SUBNET_CIDR,
            tags,
          },
          parent,
        )
      : undefined;
  const subnetId = args.subnetId ?? own!.subnetId;

  let bastion: AzureHostNetwork["bastion"];
  let bastionSubnet: pulumi.Resource | undefined;
  let sshSources = args.sshAllowedCidrs ?? [];
  if (session) {
    // Checked at preview: a host in a given subnet names its Bastion.
    const bastionCidr =
      args.bastion?.subnetCidr ?? args.bastionSubnetCidr ?? DEFAULT_BASTION_SUBNET_CIDR;
    sshSources = [bastionCidr];
    if (args.bastion) bastion = args.bastion;
    else {
      const host = createOwnBastion(
        name,
        {
          resourceGroupName,
          location,
          virtualNetworkName: own!.vnet.name,
          subnetCidr: bastionCidr,
          tags,
          after: [own!.subnet],
        },
        parent,
      );
      bastion = { name: host.bastion.name, resourceGroupName };
      bastionSubnet = host.subnet;
    }
  }

  const nsg = new network.NetworkSecurityGroup(
    `${name}-nsg`,
    {
      resourceGroupName,
      location,
      securityRules: [
        ...(args.swarmPeers ? swarmNsgRules(args.swarmPeers) : []),
        ...nsgRules(inboundRules(sshSources, withEdge(name, args.containers ?? [], args.edge))),
      ],
      tags,
    },
    { parent },
  );
  const publicIp =
    args.publicIp === false
      ? undefined
      : new network.PublicIPAddress(
          `${name}-ip`,
          {
            resourceGroupName,
            location,
            sku: { name: "Standard" },
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
            tags,
          },
          { parent },
        );
  const nic = new network.NetworkInterface(
    `${name}-nic`,
    {
      resourceGroupName,
      location,
      networkSecurityGroup: { id: nsg.id },
      ipConfigurations: [
        {
          name: "primary",
          primary: true,
          subnet: { id: subnetId },
          privateIPAllocationMethod: "Dynamic",
          ...(args.swarmPeers
            ? { applicationSecurityGroups: [{ id: args.swarmPeers.applicationSecurityGroupId }] }
            : {}),
          ...(publicIp ? { publicIPAddress: { id: publicIp.id } } : {}),
        },
      ],
      tags,
    },
    // Azure takes one change at a time in a VNet (AnotherOperationInProgress, as
    // pulumi-azure-native#699 met it): the NIC joins the host's subnet after Bastion's is made.
    { parent, ...(bastionSubnet ? { dependsOn: [bastionSubnet] } : {}) },
  );
  return { resourceGroupName, nic, publicIp, bastion };
}
