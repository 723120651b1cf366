import * as pulumi from "@pulumi/pulumi";
import type { AzureDockerHostArgs } from "../../../components/azure/azure-host-args";
import { BASE_CHANGES, BASE_DEPLOYED, hostRuns, type HostChange } from "./host-changes";
import type { ChangeRun } from "./field-changes";

// An AzureDockerHost's inputs, one change each (host-changes.ts has the fields every host shares).

export const AZURE_DEPLOYED: AzureDockerHostArgs = {
  ...BASE_DEPLOYED,
  os: "debian-12",
  location: "westeurope",
  sshAllowedCidrs: ["203.0.113.7/32"],
};

const GROUP = "/subscriptions/0000/resourceGroups/net/providers";

const AZURE_ONLY: Record<
  Exclude<keyof AzureDockerHostArgs, keyof typeof BASE_CHANGES>,
  HostChange<AzureDockerHostArgs>
> = {
  sshAllowedCidrs: { change: { sshAllowedCidrs: ["203.0.113.0/24"] } },
  allowSshFromAnywhere: {
    change: { allowSshFromAnywhere: true, sshAllowedCidrs: ["0.0.0.0/0"] },
    note: 'with `sshAllowedCidrs` `["0.0.0.0/0"]`',
  },
  sshAccess: {
    change: { sshAccess: "session", sshAllowedCidrs: undefined },
    note: "`sshAllowedCidrs` removed",
  },
  bastion: {
    deployed: { sshAccess: "session", sshAllowedCidrs: undefined },
    change: { bastion: { name: "hub", resourceGroupName: "net", subnetCidr: "10.0.2.0/26" } },
    note: 'an existing Bastion, with `sshAccess` "session" deployed',
  },
  bastionSubnetCidr: {
    deployed: { sshAccess: "session", sshAllowedCidrs: undefined },
    change: { bastionSubnetCidr: "10.43.4.0/26" },
    note: 'with `sshAccess` "session" deployed',
  },
  vmSize: { change: { vmSize: "Standard_D4s_v5" } },
  image: {
    change: {
      image: { publisher: "Debian", offer: "debian-12", sku: "12-gen2", version: "0.20261101.1" },
    },
  },
  imageId: {
    change: { imageId: `${GROUP}/Microsoft.Compute/galleries/g/images/i/versions/1.0.0` },
  },
  resourceGroupName: { change: { resourceGroupName: "apps" }, note: "an existing group" },
  location: { change: { location: "northeurope" } },
  subnetId: {
    change: { subnetId: `${GROUP}/Microsoft.Network/virtualNetworks/hub/subnets/apps` },
    note: "an existing subnet",
  },
  vnetCidr: {
    change: { vnetCidr: "10.50.0.0/16", subnetCidr: "10.50.1.0/24" },
    note: "with `subnetCidr` in it",
  },
  subnetCidr: { change: { subnetCidr: "10.43.3.0/24" } },
  publicIp: { change: { publicIp: false } },
  trustedLaunch: { change: { trustedLaunch: false } },
  encryptionAtHost: { change: { encryptionAtHost: true } },
  osDiskSizeGb: { change: { osDiskSizeGb: 64 } },
  dockerDiskSizeGb: { change: { dockerDiskSizeGb: 60 } },
  diskSku: { change: { diskSku: "StandardSSD_LRS" } },
  swarmPeers: {
    change: {
      swarm: true,
      swarmPeers: {
        applicationSecurityGroupId: `${GROUP}/Microsoft.Network/applicationSecurityGroups/fleet`,
      },
    },
    note: "with `swarm` true",
  },
  tags: { change: { tags: { team: "web" } } },
  acrRegistries: { change: { acrRegistries: ["teamregistry"] } },
  containerLogs: { change: { containerLogs: "cloud" } },
  logRetentionDays: {
    deployed: { containerLogs: "cloud" },
    change: { logRetentionDays: 90 },
    note: 'with `containerLogs` "cloud" deployed',
  },
};

export const AZURE_CHANGES: Record<keyof AzureDockerHostArgs, HostChange<AzureDockerHostArgs>> = {
  ...(BASE_CHANGES as Record<keyof typeof BASE_CHANGES, HostChange<AzureDockerHostArgs>>),
  ...AZURE_ONLY,
};

export function azureRuns(): ChangeRun[] {
  return hostRuns(AZURE_DEPLOYED, AZURE_CHANGES, (m, args) => {
    const host = new m.AzureDockerHost("z1", args);
    return [host.ready, host.endpoints as pulumi.Output<unknown>];
  });
}
