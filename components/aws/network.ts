import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A host's or a fleet's own VPC and subnet, unless the user gives CIDRs or a subnet. */
export const DEFAULT_VPC_CIDR = "10.42.0.0/16";
export const DEFAULT_SUBNET_CIDR = "10.42.1.0/24";

/** The route to the internet; egress, not an opening for inbound traffic. */
export const INTERNET_ROUTE = "0.0.0.0/0";

export interface OwnNetworkArgs {
  vpcCidr: string;
  subnetCidr: string;
  availabilityZone?: pulumi.Input<string>;
  tags: Record<string, string>;
}

export interface OwnNetwork {
  vpcId: pulumi.Output<string>;
  subnetId: pulumi.Output<string>;
  availabilityZone: pulumi.Output<string>;
}

/** A VPC of the host's own with one public subnet: no reliance on a default VPC. */
export function createOwnNetwork(
  name: string,
  args: OwnNetworkArgs,
  parent?: pulumi.Resource,
): OwnNetwork {
  const tags = (suffix: string) => ({ ...args.tags, Name: `${name}-${suffix}` });
  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    {
      cidrBlock: args.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: tags("vpc"),
    },
    { parent },
  );
  // The VPC's default group allows all traffic between its members; nothing should use it.
  new aws.ec2.DefaultSecurityGroup(
    `${name}-default-sg`,
    { vpcId: vpc.id, tags: tags("default-sg") },
    { parent },
  );
  const igw = new aws.ec2.InternetGateway(
    `${name}-igw`,
    { vpcId: vpc.id, tags: tags("igw") },
    { parent },
  );
  const subnet = new aws.ec2.Subnet(
    `${name}-subnet`,
    {
      vpcId: vpc.id,
      cidrBlock: args.subnetCidr,
      availabilityZone: args.availabilityZone,
      mapPublicIpOnLaunch: false,
      tags: tags("subnet"),
    },
    { parent },
  );
  const routes = new aws.ec2.RouteTable(
    `${name}-routes`,
    {
      vpcId: vpc.id,
      routes: [{ cidrBlock: INTERNET_ROUTE, gatewayId: igw.id }],
      tags: tags("routes"),
    },
    { parent },
  );
  new aws.ec2.RouteTableAssociation(
    `${name}-routes-assoc`,
    { subnetId: subnet.id, routeTableId: routes.id },
    { parent },
  );
  return { vpcId: vpc.id, subnetId: subnet.id, availabilityZone: subnet.availabilityZone };
}

/** The VPC and zone of a subnet the user brings. */
export function existingNetwork(
  subnetId: pulumi.Input<string>,
  parent?: pulumi.Resource,
): OwnNetwork {
  const subnet = aws.ec2.getSubnetOutput({ id: subnetId }, { parent });
  return {
    vpcId: subnet.vpcId,
    subnetId: pulumi.output(subnetId),
    availabilityZone: subnet.availabilityZone,
  };
}
