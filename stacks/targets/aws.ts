import {
  AwsDockerHost,
  AwsDockerHostImage,
  type AwsDockerHostArgs,
  awsFleetNetwork,
  dockerHostArgsProblems,
} from "../../components";
import { imageArgsOf } from "../bake";
import { CLOUD_CONFIG_KEYS, memberArgs, type AwsTarget } from "./target";

// AWS: an EC2 host (its instance type and EBS data volume from the config), a baked AMI from EC2
// Image Builder, and a fleet in one subnet whose security group admits only its members.

export const AWS_TARGET: AwsTarget = {
  readArgs: (reader, shared, firewall) => ({
    ...shared,
    ...firewall,
    instanceType: reader.text("instanceType"),
    dockerVolumeSizeGb: reader.wholeNumber("dockerVolumeSizeGb"),
    sshAccess: reader.text("sshAccess") as AwsDockerHostArgs["sshAccess"],
    ssmEndpoints: reader.flag("ssmEndpoints"),
    containerLogs: reader.text("containerLogs") as AwsDockerHostArgs["containerLogs"],
    logRetentionDays: reader.wholeNumber("logRetentionDays"),
    ecrRepositories: reader.list("ecrRepositories") as string[] | undefined,
  }),
  configKeys: {
    ...CLOUD_CONFIG_KEYS,
    instanceType: "instanceType",
    dockerVolumeSizeGb: "dockerVolumeSizeGb",
    sshAccess: "sshAccess",
    ssmEndpoints: "ssmEndpoints",
    containerLogs: "containerLogs",
    logRetentionDays: "logRetentionDays",
    ecrRepositories: "ecrRepositories",
  },
  hostProblems: (args) => dockerHostArgsProblems("aws", args),
  host: (hostName, args, bake) => {
    if (!bake) return new AwsDockerHost(hostName, args);
    const image = new AwsDockerHostImage(`${hostName}-image`, imageArgsOf(args));
    return new AwsDockerHost(hostName, { ...args, ami: image.amiId, bakedImage: true });
  },
  members: (hostName, args, bake, encryptedOverlay) => {
    const net = awsFleetNetwork(hostName, { encryptedOverlay, tags: args.tags });
    const image = bake ? new AwsDockerHostImage(`${hostName}-image`, imageArgsOf(args)) : undefined;
    return (memberName) =>
      new AwsDockerHost(memberName, {
        ...memberArgs(args),
        subnetId: net.subnetId,
        securityGroupIds: [net.securityGroupId],
        ...(image ? { ami: image.amiId, bakedImage: true } : {}),
      });
  },
};
