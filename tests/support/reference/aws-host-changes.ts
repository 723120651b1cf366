import * as pulumi from "@pulumi/pulumi";
import type { AwsDockerHostArgs } from "../../../components/aws/aws-host-args";
import { BASE_CHANGES, BASE_DEPLOYED, hostRuns, type HostChange } from "./host-changes";
import type { ChangeRun } from "./field-changes";

// An AwsDockerHost's inputs, one change each (host-changes.ts has the fields every host shares).

export const AWS_DEPLOYED: AwsDockerHostArgs = {
  ...BASE_DEPLOYED,
  os: "debian-12",
  sshAllowedCidrs: ["203.0.113.7/32"],
};

const AWS_ONLY: Record<
  Exclude<keyof AwsDockerHostArgs, keyof typeof BASE_CHANGES>,
  HostChange<AwsDockerHostArgs>
> = {
  sshAllowedCidrs: { change: { sshAllowedCidrs: ["203.0.113.0/24"] } },
  allowSshFromAnywhere: {
    change: { allowSshFromAnywhere: true, sshAllowedCidrs: ["0.0.0.0/0"] },
    note: 'with `sshAllowedCidrs` `["0.0.0.0/0"]`',
  },
  instanceType: { change: { instanceType: "t3.medium" } },
  ami: { change: { ami: "ami-0fedcba9876543210" } },
  subnetId: { change: { subnetId: "subnet-0123456789abcdef0" }, note: "an existing subnet" },
  vpcCidr: {
    change: { vpcCidr: "10.50.0.0/16", subnetCidr: "10.50.1.0/24" },
    note: "with `subnetCidr` in it",
  },
  subnetCidr: { change: { subnetCidr: "10.42.2.0/24" } },
  availabilityZone: { change: { availabilityZone: "us-east-1b" } },
  associatePublicIp: { change: { associatePublicIp: false } },
  rootVolumeSizeGb: { change: { rootVolumeSizeGb: 40 } },
  dockerVolumeSizeGb: { change: { dockerVolumeSizeGb: 60 } },
  kmsKeyId: { change: { kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/abcd" } },
  containersNeedImds: { change: { containersNeedImds: true } },
  egressCidrs: { change: { egressCidrs: ["10.0.0.0/8"] } },
  securityGroupIds: { change: { securityGroupIds: ["sg-0123456789abcdef0"] } },
  tags: { change: { tags: { team: "web" } } },
  // Debian 12's AMI carries no SSM Agent (a refusal of its own): these rows run Ubuntu's.
  sshAccess: {
    deployed: { os: "ubuntu-24.04" },
    change: { sshAccess: "session", sshAllowedCidrs: undefined },
    note: "`sshAllowedCidrs` removed, on `ubuntu-24.04`",
  },
  ssmEndpoints: {
    deployed: { os: "ubuntu-24.04", sshAccess: "session", sshAllowedCidrs: undefined },
    change: { ssmEndpoints: true },
    note: 'with `sshAccess` "session" deployed, on `ubuntu-24.04`',
  },
  containerLogs: { change: { containerLogs: "cloud" } },
  logRetentionDays: {
    deployed: { containerLogs: "cloud" },
    change: { logRetentionDays: 90 },
    note: 'with `containerLogs` "cloud" deployed',
  },
  ecrRepositories: { change: { ecrRepositories: ["web"] } },
};

export const AWS_CHANGES: Record<keyof AwsDockerHostArgs, HostChange<AwsDockerHostArgs>> = {
  ...(BASE_CHANGES as Record<keyof typeof BASE_CHANGES, HostChange<AwsDockerHostArgs>>),
  ...AWS_ONLY,
};

export function awsRuns(): ChangeRun[] {
  return hostRuns(AWS_DEPLOYED, AWS_CHANGES, (m, args) => {
    const host = new m.AwsDockerHost("a1", args);
    return [host.ready, host.endpoints as pulumi.Output<unknown>];
  });
}
