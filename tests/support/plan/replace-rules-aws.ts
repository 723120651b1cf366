import { ec2InstanceArch } from "../../../components/aws/instance-types";
import type { Registration } from "./registrations";
import { words, type ReplaceRule } from "./replace-rule";

// The AWS resources the hosts and bakes register. Read from hashicorp/terraform-provider-aws's
// schemas (ForceNew, CustomizeDiff) and Update functions at v6.58.0, through the verbatim
// function index lonegunmanb/terraform-provider-aws-index (tag v6.58.0, 2f6e22c4): @pulumi/aws
// 7.48.0 bridges v6.66.0 (pulumi-proserv/pulumi-tool-import importids/aws/v7/source.json), too
// large to fetch here, and these schemas did not change from v6.46.0 to v6.58.0 but for a route
// target. Every regional resource is replaced on a change of `region`
// (forceNewIfRegionChanges); `tags` are updated in place. A dotted entry is a nested path (the
// Terraform SDK replaces on a nested ForceNew field, and updates the rest of the block).

const RULES: Record<string, (reg: Registration, old?: Registration) => ReplaceRule> = {
  "aws:ec2/vpc:Vpc": () => ({
    // resourceVPC, resourceVPCCustomizeDiff (instance_tenancy: any change but dedicated->default).
    replaces: words("cidrBlock ipv4IpamPoolId ipv4NetmaskLength instanceTenancy region"),
    updates: words(`assignGeneratedIpv6CidrBlock enableDnsHostnames enableDnsSupport
      enableNetworkAddressUsageMetrics ipv6CidrBlock ipv6CidrBlockNetworkBorderGroup
      ipv6IpamPoolId ipv6NetmaskLength tags`),
    source: "aws_vpc",
  }),
  "aws:ec2/subnet:Subnet": () => ({
    // resourceSubnet; its CustomizeDiff forces ipv6_cidr_block only where addresses were assigned.
    replaces: words(`availabilityZone availabilityZoneId cidrBlock ipv4IpamPoolId
      ipv4NetmaskLength ipv6IpamPoolId ipv6Native ipv6NetmaskLength outpostArn vpcId region`),
    updates: words(`assignIpv6AddressOnCreation customerOwnedIpv4Pool enableDns64
      enableLniAtDeviceIndex enableResourceNameDnsARecordOnLaunch
      enableResourceNameDnsAaaaRecordOnLaunch ipv6CidrBlock mapCustomerOwnedIpOnLaunch
      mapPublicIpOnLaunch privateDnsHostnameTypeOnLaunch tags`),
    source: "aws_subnet",
  }),
  "aws:ec2/internetGateway:InternetGateway": () => ({
    replaces: words("region"),
    updates: words("vpcId tags"),
    source: "aws_internet_gateway",
  }),
  "aws:ec2/routeTable:RouteTable": () => ({
    replaces: words("vpcId region"),
    updates: words("routes propagatingVgws tags"),
    source: "aws_route_table",
  }),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": () => ({
    replaces: words("subnetId gatewayId region"),
    updates: words("routeTableId"),
    source: "aws_route_table_association",
  }),
  "aws:ec2/securityGroup:SecurityGroup": () => ({
    replaces: words("name namePrefix description vpcId region"),
    updates: words("ingress egress revokeRulesOnDelete tags"),
    source: "aws_security_group",
  }),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": () => ({
    replaces: words("vpcId region"),
    updates: words("ingress egress revokeRulesOnDelete tags"),
    source: "aws_default_security_group",
  }),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": () => SG_RULE,
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": () => SG_RULE,
  "aws:ec2/keyPair:KeyPair": () => ({
    replaces: words("keyName keyNamePrefix publicKey region"),
    updates: words("tags"),
    source: "aws_key_pair",
  }),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (reg) => {
    // private_dns_enabled is in place for an Interface endpoint only (its CustomizeDiff).
    const dns = reg.inputs.vpcEndpointType === "Interface" ? "" : "privateDnsEnabled";
    return {
      replaces: words(`serviceName vpcEndpointType vpcId resourceConfigurationArn
        serviceNetworkArn serviceRegion dnsOptions.privateDnsPreference
        dnsOptions.privateDnsSpecifiedDomains region ${dns}`),
      updates: words(`autoAccept dnsOptions ipAddressType policy routeTableIds securityGroupIds
        subnetConfigurations subnetIds tags ${dns ? "" : "privateDnsEnabled"}`),
      source: "aws_vpc_endpoint",
    };
  },
  "aws:ebs/volume:Volume": () => ({
    // size, type, iops and throughput go through ModifyVolume (resourceEBSVolumeUpdate); AWS
    // refuses a smaller size when the change is applied.
    replaces: words(`availabilityZone encrypted kmsKeyId snapshotId multiAttachEnabled outpostArn
      region`),
    updates: words("size type iops throughput finalSnapshot volumeInitializationRate tags"),
    source: "aws_ebs_volume",
  }),
  "aws:ec2/instance:Instance": (reg, old) => {
    // user_data_replace_on_change: a user-data change forces a new instance (else stop, start).
    const userData = "userData userDataBase64";
    const replacesUserData = reg.inputs.userDataReplaceOnChange === true;
    // resourceInstance's CustomizeDiff: a type of another CPU architecture forces a new instance.
    const archOf = (r?: Registration) => ec2InstanceArch(String(r?.inputs.instanceType ?? ""));
    const newArch = old !== undefined && archOf(old) !== archOf(reg);
    return {
      replaces: words(`ami subnetId availabilityZone keyName privateIp associatePublicIpAddress
        ebsOptimized securityGroups tenancy hibernation hostId placementGroup placementGroupId
        placementPartitionNumber launchTemplate ephemeralBlockDevices instanceMarketOptions
        enclaveOptions.enabled cpuOptions.amdSevSnp ebsBlockDevices networkInterfaces
        primaryNetworkInterface.networkInterfaceId secondaryNetworkInterfaces
        rootBlockDevice.encrypted rootBlockDevice.kmsKeyId region
        ${replacesUserData ? userData : ""} ${newArch ? "instanceType" : ""}`),
      // instanceType of the same architecture: stop, modify, start.
      updates:
        words(`${newArch ? "" : "instanceType"} iamInstanceProfile vpcSecurityGroupIds secondaryPrivateIps
        sourceDestCheck ipv6AddressCount metadataOptions monitoring creditSpecification
        rootBlockDevice volumeTags tags disableApiStop disableApiTermination
        instanceInitiatedShutdownBehavior maintenanceOptions capacityReservationSpecification
        cpuOptions privateDnsNameOptions forceDestroy getPasswordData userDataReplaceOnChange
        ${replacesUserData ? "" : userData}`),
      source: "aws_instance",
      // resourceInstanceUpdate stops and starts the instance for these; a started instance gets a
      // new public IPv4 address unless it holds an Elastic IP (AWS EC2 User Guide, "Public IPv4
      // addresses"), which the host does not.
      updateRecomputes: (props) => props.some((p) => STOP_START.includes(p.split(".")[0])),
    };
  },
  "aws:ec2/volumeAttachment:VolumeAttachment": () => ({
    replaces: words("instanceId volumeId deviceName region"),
    updates: words("forceDetach skipDestroy stopInstanceBeforeDetaching"),
    source: "aws_volume_attachment",
  }),
  "aws:iam/role:Role": () => ({
    replaces: words("name namePrefix path"),
    updates: words(`assumeRolePolicy description forceDetachPolicies inlinePolicies
      managedPolicyArns maxSessionDuration permissionsBoundary tags`),
    source: "aws_iam_role",
  }),
  "aws:iam/rolePolicy:RolePolicy": () => ({
    replaces: words("name namePrefix role"),
    updates: words("policy"),
    source: "aws_iam_role_policy",
  }),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": () => ({
    replaces: words("policyArn role"),
    updates: [],
    source: "aws_iam_role_policy_attachment",
    // pulumi-aws provider/resource_overrides.go: DeleteBeforeReplace.
    deleteBeforeReplace: true,
  }),
  "aws:iam/instanceProfile:InstanceProfile": () => ({
    replaces: words("name namePrefix path"),
    updates: words("role tags"),
    source: "aws_iam_instance_profile",
  }),
  "aws:cloudwatch/logGroup:LogGroup": () => ({
    replaces: words("name namePrefix logGroupClass region"),
    updates: words("retentionInDays kmsKeyId deletionProtectionEnabled skipDestroy tags"),
    source: "aws_cloudwatch_log_group",
  }),
  "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": () => ({
    replaces: words("name region"),
    updates: words(`description instanceMetadataOptions instanceProfileName instanceTypes keyPair
      logging placement resourceTags securityGroupIds snsTopicArn subnetId
      terminateInstanceOnFailure tags`),
    source: "aws_imagebuilder_infrastructure_configuration",
  }),
};

/** A rule's source kind (an IPv4 or IPv6 range, a prefix list, a group) is fixed at create. */
const SG_RULE: ReplaceRule = {
  replaces: words("securityGroupId region"),
  updates: words(`cidrIpv4 cidrIpv6 description fromPort toPort ipProtocol prefixListId
    referencedSecurityGroupId tags`),
  // securityGroupRuleResource.ModifyPlan: a change from one source kind to another replaces.
  oneOf: words("cidrIpv4 cidrIpv6 prefixListId referencedSecurityGroupId"),
  source: "aws_vpc_security_group_ingress_rule",
};

const STOP_START = words(`instanceType userData userDataBase64 cpuOptions
  capacityReservationSpecification`);

/**
 * The rules, each update keeping the outputs the dependents read but where a rule says otherwise:
 * these resources' outputs are their inputs echoed and ids and ARNs the update keeps.
 */
export const AWS_RULES: Record<string, (reg: Registration, old?: Registration) => ReplaceRule> =
  Object.fromEntries(
    Object.entries(RULES).map(([type, rule]) => [
      type,
      (reg: Registration, old?: Registration) => ({
        updateRecomputes: () => false,
        ...rule(reg, old),
      }),
    ]),
  );
