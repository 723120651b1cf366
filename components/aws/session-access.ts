import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { OsName } from "../bootstrap/types";

// SSH over AWS Systems Manager Session Manager (`sshAccess: "session"`): the instance's SSM
// Agent keeps an outbound channel to Systems Manager, so the host opens no inbound port, and the
// deployer's `aws ssm start-session` (session-transport.ts) carries SSH through it.

/**
 * The managed policy AWS documents for Session Manager on an instance: the agent's calls to
 * ssm, ssmmessages and ec2messages ("Step 2: Verify or add instance permissions for Session
 * Manager", AWS Systems Manager User Guide).
 */
export const SSM_CORE_POLICY = "AmazonSSMManagedInstanceCore";

/**
 * The catalog images that carry SSM Agent (AWS Systems Manager User Guide, "Find AMIs with the
 * SSM Agent preinstalled": Amazon Linux 2023, and Ubuntu Server 16.04 and later, as a snap).
 * Debian's and Red Hat's AMIs carry none.
 */
export const SSM_AGENT_PREINSTALLED: Record<OsName, boolean> = {
  "amazon-linux-2023": true,
  "ubuntu-24.04": true,
  "debian-12": false,
  "rhel-9": false,
};

/** The interface endpoints the agent needs in a subnet with no route out (no NAT, no IGW). */
export const SSM_ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages"] as const;

export function sessionOsProblems(os: OsName): string[] {
  return SSM_AGENT_PREINSTALLED[os]
    ? []
    : [
        `sshAccess: "session" needs SSM Agent on the host, and the ${os} AMI carries none (dockerhost installs it only on images that lack it, which is not built yet). Use os: "amazon-linux-2023" or "ubuntu-24.04", or sshAccess: "direct".`,
      ];
}

export interface SsmEndpointsArgs {
  vpcId: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  /** The host's own group: the only source the endpoints accept HTTPS from. */
  hostSecurityGroupId: pulumi.Input<string>;
  tags: Record<string, string>;
  /** The host ships container logs: CloudWatch Logs' endpoint (`logs`) too, or they never arrive. */
  logs?: boolean;
}

/**
 * The three interface endpoints with private DNS, for a subnet without a way out: the agent
 * then reaches Systems Manager inside the VPC (AWS Systems Manager User Guide, "Improve the
 * security of EC2 instances by using VPC endpoints for Systems Manager"). Private DNS needs the
 * VPC's enableDnsSupport and enableDnsHostnames, which the host's own VPC sets.
 */
export function ssmEndpoints(
  name: string,
  args: SsmEndpointsArgs,
  parent: pulumi.Resource,
): aws.ec2.VpcEndpoint[] {
  const region = aws.getRegionOutput({}, { parent }).region;
  const group = new aws.ec2.SecurityGroup(
    `${name}-ssm-endpoints`,
    {
      vpcId: args.vpcId,
      description: `dockerhost ${name}: Systems Manager endpoints`,
      revokeRulesOnDelete: true,
      tags: args.tags,
    },
    { parent },
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-ssm-endpoints-in`,
    {
      securityGroupId: group.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: args.hostSecurityGroupId,
      description: "HTTPS from the host's SSM Agent",
      tags: args.tags,
    },
    { parent },
  );
  // The logs endpoint is named apart from the host's log group (`<name>-logs`).
  const services = [
    ...SSM_ENDPOINT_SERVICES.map((s) => [s, s]),
    ...(args.logs ? [["logs", "logs-endpoint"]] : []),
  ];
  return services.map(
    ([service, suffix]) =>
      new aws.ec2.VpcEndpoint(
        `${name}-${suffix}`,
        {
          vpcId: args.vpcId,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: [args.subnetId],
          securityGroupIds: [group.id],
          tags: { ...args.tags, Name: `${name}-${suffix}` },
        },
        { parent },
      ),
  );
}
