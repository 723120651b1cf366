import {
  AzureDockerHost,
  AzureDockerHostImage,
  type AzureDockerHostArgs,
  azureFleetNetwork,
  dockerHostArgsProblems,
} from "../../components";
import { imageArgsOf } from "../bake";
import { CLOUD_CONFIG_KEYS, memberArgs, type AzureTarget } from "./target";

// Azure: a VM (its size, data disk and Trusted Launch from the config), a baked image from VM
// Image Builder in the host's location, and a fleet in one group and subnet whose NICs join an
// application security group.

export const AZURE_TARGET: AzureTarget = {
  readArgs: (reader, shared, firewall) => ({
    ...shared,
    ...firewall,
    vmSize: reader.text("vmSize"),
    dockerDiskSizeGb: reader.wholeNumber("dockerVolumeSizeGb"),
    trustedLaunch: reader.flag("trustedLaunch"),
    acrRegistries: reader.list("acrRegistries") as string[] | undefined,
    sshAccess: reader.text("sshAccess") as AzureDockerHostArgs["sshAccess"],
    containerLogs: reader.text("containerLogs") as AzureDockerHostArgs["containerLogs"],
    logRetentionDays: reader.wholeNumber("logRetentionDays"),
  }),
  configKeys: {
    ...CLOUD_CONFIG_KEYS,
    vmSize: "vmSize",
    trustedLaunch: "trustedLaunch",
    dockerDiskSizeGb: "dockerVolumeSizeGb",
    acrRegistries: "acrRegistries",
    sshAccess: "sshAccess",
    containerLogs: "containerLogs",
    logRetentionDays: "logRetentionDays",
  },
  hostProblems: (args) => dockerHostArgsProblems("azure", args),
  host: (hostName, args, bake) => {
    if (!bake) return new AzureDockerHost(hostName, args);
    const image = new AzureDockerHostImage(`${hostName}-image`, {
      ...imageArgsOf(args),
      location: args.location,
    });
    const baked = { imageId: image.imageId, bakedImage: true };
    return new AzureDockerHost(hostName, { ...args, ...baked });
  },
  members: (hostName, args, bake, encryptedOverlay) => {
    const location = args.location;
    const net = azureFleetNetwork(hostName, {
      location,
      encryptedOverlay,
      tags: args.tags,
    });
    const image = bake
      ? new AzureDockerHostImage(`${hostName}-image`, { ...imageArgsOf(args), location })
      : undefined;
    return (memberName) =>
      new AzureDockerHost(memberName, {
        ...memberArgs(args),
        resourceGroupName: net.resourceGroupName,
        subnetId: net.subnetId,
        swarmPeers: net.swarmPeers,
        ...(image ? { imageId: image.imageId, bakedImage: true } : {}),
      });
  },
};
