import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ESP_PROTOCOL_NUMBER, swarmPortRules } from "../swarm/swarm-ports";

// A fleet's own security group: every member joins it (AwsDockerHost's `securityGroupIds`), and
// its rules admit the swarm's ports from the group itself, so only members reach them.
// `referencedSecurityGroupId` is the rule's source group (aws.vpc.SecurityGroupIngressRule).

export function awsFleetSecurityGroup(
  name: string,
  vpcId: pulumi.Input<string>,
  encryptedOverlay: boolean,
  tags: Record<string, string>,
  parent: pulumi.Resource,
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
