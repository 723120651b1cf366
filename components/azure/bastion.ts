import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr, type Cidr } from "../core/ip";
import { DEFAULT_SUBNET_CIDR, DEFAULT_VNET_CIDR } from "./network";

// SSH through Azure Bastion (`sshAccess: "session"` on an Azure host): the deployer's `az network
// bastion tunnel` reaches the VM's private address through Bastion, so the NSG opens port 22 to
// Bastion's subnet only, never to the internet. The bridge on the deployer's side is
// remote/bastion-proxy.ts. Facts from Azure Bastion's docs:
// - the native client (the tunnel command) needs the Standard SKU or above with "native client
//   support" (`enableTunneling`) ("Configure Bastion for native client connections");
// - Bastion lives in a subnet named AzureBastionSubnet, /26 or larger, and needs a Standard
//   static public IP ("Configure Bastion", subnet and public IP requirements);
// - it connects to the VM's private IP, so the VM's NSG must allow SSH from that subnet
//   ("Working with NSG access and Azure Bastion": target VM subnet, inbound from the
//   AzureBastionSubnet address space).

/** A Bastion that already exists, for a host in a subnet the user gives. */
export interface ExistingBastion {
  name: string;
  resourceGroupName: string;
  /** Its AzureBastionSubnet's address range: the one source the host's NSG lets reach SSH. */
  subnetCidr: string;
}

/** The host's own VNet (10.43.0.0/16) gets AzureBastionSubnet here. */
export const DEFAULT_BASTION_SUBNET_CIDR = "10.43.2.0/26";

/** Azure's fixed name for Bastion's subnet. */
export const BASTION_SUBNET_NAME = "AzureBastionSubnet";

export interface BastionArgsCheck {
  sshAccess?: string;
  subnetId?: unknown;
  bastion?: ExistingBastion;
  bastionSubnetCidr?: string;
  vnetCidr?: string;
  subnetCidr?: string;
}

/** Whether two parsed ranges share an address: the wider one holds the other's start. */
function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.address.kind() !== b.address.kind()) return false;
  return a.address.match(b.address, Math.min(a.prefix, b.prefix));
}

export function bastionProblems(args: BastionArgsCheck): string[] {
  const session = args.sshAccess === "session";
  const problems: string[] = [];
  if (!session) {
    if (args.bastion)
      problems.push(
        'bastion: only used with sshAccess: "session". Remove it, or set sshAccess: "session".',
      );
    if (args.bastionSubnetCidr !== undefined)
      problems.push(
        'bastionSubnetCidr: only used with sshAccess: "session". Remove it, or set sshAccess: "session".',
      );
    return problems;
  }
  if (args.subnetId !== undefined && !args.bastion)
    problems.push(
      'bastion: required with sshAccess: "session" and subnetId: the host is in your VNet, where dockerhost does not make a Bastion. Give your Bastion (Standard SKU or above, native client support on) as { name, resourceGroupName, subnetCidr }, or leave subnetId out so that the host makes its own VNet and Bastion.',
    );
  if (args.bastion && args.subnetId === undefined)
    problems.push(
      "bastion: only used with subnetId: without one the host makes a VNet of its own, which your Bastion cannot reach. Give the subnet (in the Bastion's VNet or one peered with it) as subnetId, or remove bastion so that the host makes its own.",
    );
  if (args.bastion && args.bastionSubnetCidr !== undefined)
    problems.push(
      "bastionSubnetCidr: only used for the Bastion the host makes. Remove it: your bastion's subnet is bastion.subnetCidr.",
    );
  const cidrs: [string, string | undefined][] = [
    ["bastionSubnetCidr", args.bastionSubnetCidr],
    ["bastion.subnetCidr", args.bastion?.subnetCidr],
  ];
  for (const [field, cidr] of cidrs) {
    if (cidr === undefined) continue;
    const parsed = parseCidr(cidr);
    if (!parsed || parsed.address.kind() !== "ipv4")
      problems.push(`${field}: ${JSON.stringify(cidr)} is no IPv4 CIDR, e.g. "10.43.2.0/26".`);
    else if (parsed.prefix > 26)
      problems.push(
        `${field}: ${cidr} is smaller than Bastion's subnet must be (/26 or larger, e.g. "10.43.2.0/26").`,
      );
  }
  // The host's own VNet holds the Bastion's subnet beside the host's.
  if (!args.bastion && args.subnetId === undefined) {
    const written = args.bastionSubnetCidr ?? DEFAULT_BASTION_SUBNET_CIDR;
    const own = parseCidr(written);
    const vnet = parseCidr(args.vnetCidr ?? DEFAULT_VNET_CIDR);
    const subnet = parseCidr(args.subnetCidr ?? DEFAULT_SUBNET_CIDR);
    const field =
      args.bastionSubnetCidr === undefined ? "bastionSubnetCidr (default)" : "bastionSubnetCidr";
    if (own && vnet && (own.prefix < vnet.prefix || !overlaps(own, vnet)))
      problems.push(
        `${field}: ${written} is outside the host's VNet ${args.vnetCidr ?? DEFAULT_VNET_CIDR}. Give a /26 inside vnetCidr.`,
      );
    else if (own && subnet && overlaps(own, subnet))
      problems.push(
        `${field}: ${written} overlaps the host's subnet ${args.subnetCidr ?? DEFAULT_SUBNET_CIDR}. Give a /26 beside subnetCidr in vnetCidr.`,
      );
  }
  return problems;
}

export interface OwnBastionArgs {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  virtualNetworkName: pulumi.Input<string>;
  subnetCidr: string;
  tags: Record<string, string>;
  /** The host's own subnet: Azure refuses a second subnet change in a VNet while one runs. */
  after: pulumi.Resource[];
}

/** A Bastion of the host's own, in its VNet: Standard SKU, native client support on. */
export function createOwnBastion(
  name: string,
  args: OwnBastionArgs,
  parent: pulumi.Resource,
): { bastion: network.BastionHost; subnet: network.Subnet } {
  const subnet = new network.Subnet(
    `${name}-bastion-subnet`,
    {
      resourceGroupName: args.resourceGroupName,
      virtualNetworkName: args.virtualNetworkName,
      subnetName: BASTION_SUBNET_NAME,
      addressPrefix: args.subnetCidr,
    },
    { parent, dependsOn: args.after },
  );
  const ip = new network.PublicIPAddress(
    `${name}-bastion-ip`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      tags: args.tags,
    },
    { parent },
  );
  const host = new network.BastionHost(
    `${name}-bastion`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      sku: { name: "Standard" },
      enableTunneling: true,
      ipConfigurations: [
        {
          name: "primary",
          subnet: { id: subnet.id.apply((id) => id ?? "") },
          publicIPAddress: { id: ip.id },
        },
      ],
      tags: args.tags,
    },
    { parent },
  );
  return { bastion: host, subnet };
}
