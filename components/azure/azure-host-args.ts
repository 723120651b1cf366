import type * as pulumi from "@pulumi/pulumi";
import type { DockerHostArgs } from "../host/host-args";
import type { SshAccess } from "../remote/session-transport";
import type { ContainerLogs } from "../core/container-logs";
import type { ExistingBastion } from "./bastion";
import type { AzureImageReference } from "./image";
import type { AzureSwarmPeers } from "./fleet-firewall";

// What AzureDockerHost takes beyond the arguments every cloud host shares (host-args.ts).

/** Managed disk SKUs for the OS and Docker disks. */
export const AzureDiskSku = {
  PremiumLrs: "Premium_LRS",
  StandardSsdLrs: "StandardSSD_LRS",
  StandardLrs: "Standard_LRS",
} as const;
export type AzureDiskSku = (typeof AzureDiskSku)[keyof typeof AzureDiskSku];

export interface AzureDockerHostArgs extends DockerHostArgs {
  /**
   * Who may reach SSH: required with sshAccess "direct" (the default), and never the whole
   * internet without allowSshFromAnywhere. Not used with sshAccess "session".
   */
  sshAllowedCidrs?: string[];
  allowSshFromAnywhere?: boolean;
  /**
   * How the deployer reaches sshd: "direct" (port 22 from sshAllowedCidrs) or "session"
   * (through Azure Bastion's native client tunnel: the NSG opens port 22 to Bastion's subnet
   * only, never to the internet; the host key stays pinned).
   */
  sshAccess?: SshAccess;
  /**
   * With sshAccess "session" and a subnetId of yours: your Bastion (Standard SKU or above, native
   * client support on). Without subnetId the host makes its own in its VNet.
   */
  bastion?: ExistingBastion;
  /** The AzureBastionSubnet of the host's own Bastion (default 10.43.2.0/26; /26 or larger). */
  bastionSubnetCidr?: string;
  /** Default Standard_D2s_v5 (x86_64) or Standard_D2ps_v5 (arm64); checked against `arch`. */
  vmSize?: string;
  /** An explicit marketplace image instead of the catalog's for `os`. */
  image?: AzureImageReference;
  /**
   * An Azure Compute Gallery image (definition or version resource id) instead of a marketplace
   * image, e.g. an AzureDockerHostImage's imageId (with bakedImage: true).
   */
  imageId?: pulumi.Input<string>;
  /** A resource group to use; otherwise the host gets its own. */
  resourceGroupName?: pulumi.Input<string>;
  /** Region; the provider's `azure-native:location` when absent. */
  location?: pulumi.Input<string>;
  /** A subnet to use; otherwise the host gets a VNet of its own (10.43.0.0/16, 10.43.1.0/24). */
  subnetId?: pulumi.Input<string>;
  vnetCidr?: string;
  subnetCidr?: string;
  /** A static Standard public IP (default true); false keeps the host on its private address. */
  publicIp?: boolean;
  /** Secure boot + vTPM (default true). Needs a Gen2 image that supports it. */
  trustedLaunch?: boolean;
  /**
   * Encrypt temp disk and caches on the host too. Needs the EncryptionAtHost feature registered
   * on the subscription: az feature register --namespace Microsoft.Compute --name EncryptionAtHost
   */
  encryptionAtHost?: boolean;
  osDiskSizeGb?: number;
  /** Size of the separate managed data disk for /var/lib/docker (default 30); 0: none. */
  dockerDiskSizeGb?: number;
  diskSku?: AzureDiskSku;
  /**
   * A fleet member: the NIC joins the fleet's application security group and the NSG admits the
   * swarm's ports from that group only. Changing it updates the NIC and NSG in place.
   */
  swarmPeers?: AzureSwarmPeers;
  tags?: Record<string, string>;
  /**
   * Container registries the host pulls from with its managed identity, by resource id: the
   * identity gets AcrPull on these and no others, and the host's credential helper gets a token
   * at each pull; no password anywhere. Containers whose image is in them (or known only at
   * deploy) are pulled on the host (`pullOnHost`). A change gives the host a new user-data, so
   * the VM is replaced.
   */
  acrRegistries?: string[];
  /**
   * Where containers' logs go. "host": the profile's driver on the host (json-file with rotation,
   * strict: the journal). "cloud": Azure Monitor, a Log Analytics workspace of the host's own,
   * fed by the engine's syslog driver, the host's rsyslog and Azure Monitor's agent with the VM's
   * managed identity; no key in config. Default "cloud" for strict hosts whose options use their
   * identity (sshAccess "session", acrRegistries), "host" otherwise. A change gives the host a
   * new user-data, so the VM is replaced.
   */
  containerLogs?: ContainerLogs;
  /** Days the host's workspace keeps its container logs, 30 to 730 (default 30). */
  logRetentionDays?: number;
}
