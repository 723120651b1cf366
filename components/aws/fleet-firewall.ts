import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ESP_PROTOCOL_NUMBER, swarmPortRules } from "../swarm/swarm-ports";
import {
  DEFAULT_SUBNET_CIDR,
  DEFAULT_VPC_CIDR,
  createOwnNetwork,
  existingNetwork,
} from "./network";

// A fleet's own security group: every member joins it (AwsDockerHost's `securityGroupIds`), and
// its rules admit the swarm's ports from the group itself, so only members reach them.
// `referencedSecurityGroupId` is the rule's source group (aws.vpc.SecurityGroupIngressRule).

export function awsFleetSecurityGroup(
  name: string,
  vpcId: pulumi.Input<string>,
  encryptedOverlay: boolean,
  tags: Record<string, string>,
  parent?: pulumi.Resource,
): aws.ec2.SecurityGroup {
  const group = new aws.ec2.SecurityGroup(
    `${name}-fleet-sg`,
    {
      vpcId,
      description: `dockerhost fleet ${name}: swarm ports among members`,
      revokeRulesOnDelete: true,
      tags,
    },
    { parent },
  );
  for (const rule of swarmPortRules(encryptedOverlay)) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-fleet-in-${rule.key}`,
      {
        securityGroupId: group.id,
        referencedSecurityGroupId: group.id,
        // EC2 allows every port of a protocol other than TCP, UDP and ICMP: ESP has none.
        ...(rule.protocol === "esp"
          ? { ipProtocol: String(ESP_PROTOCOL_NUMBER) }
          : { ipProtocol: rule.protocol, fromPort: rule.port, toPort: rule.port }),
        description: rule.description,
        tags,
      },
      { parent },
    );
  }
  return group;
}

export interface AwsFleetNetworkArgs {
  /** A subnet to put the fleet in; otherwise the fleet gets a VPC of its own. */
  subnetId?: pulumi.Input<string>;
  vpcCidr?: string;
  subnetCidr?: string;
  availabilityZone?: pulumi.Input<string>;
  /** IPsec ESP among members too, for encrypted overlay networks (strict fleets). */
  encryptedOverlay?: boolean;
  tags?: Record<string, string>;
}

export interface AwsFleetNetwork {
  vpcId: pulumi.Output<string>;
  /** Every member's `subnetId`. */
  subnetId: pulumi.Output<string>;
  /** Every member's `securityGroupIds` entry. */
  securityGroupId: pulumi.Output<string>;
}

/** What the members of one AWS fleet share: one subnet, and the group that admits only them. */
export function awsFleetNetwork(
  name: string,
  args: AwsFleetNetworkArgs = {},
  parent?: pulumi.Resource,
): AwsFleetNetwork {
  const tags = { ...args.tags, "dockerhost:fleet": name };
  const network = args.subnetId
    ? existingNetwork(args.subnetId, parent)
    : createOwnNetwork(
        `${name}-fleet`,
        {
          vpcCidr: args.vpcCidr ?? DEFAULT_VPC_CIDR,
          subnetCidr: args.subnetCidr ?? DEFAULT_SUBNET_CIDR,
          availabilityZone: args.availabilityZone,
          tags,
        },
        parent,
      );
  const group = awsFleetSecurityGroup(
    name,
    network.vpcId,
    args.encryptedOverlay ?? false,
    tags,
    parent,
  );
  return { vpcId: network.vpcId, subnetId: network.subnetId, securityGroupId: group.id };
}
