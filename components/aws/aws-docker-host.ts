import { servicesHardening } from "../core/hardening-profile";
import { withEdge } from "../services/edge-app";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLOUD_DATA_DISK_DEVICES } from "../bootstrap/os-catalog";
import { inboundRules } from "../host/firewall-rules";
import { checkHostArgs } from "../host/host-args";
import { publishHost, type DockerHostOutputs } from "../host/docker-host-component";
import type { SshConnection } from "../remote/ssh-connection";
import { attachHostRuntime, createHostKey, hostUserData } from "../host/host-runtime";
import { catalogAmi } from "./ami";
import { awsSsmProxyCommand } from "../remote/session-transport";
import { ssmEndpoints } from "./session-access";
import { hostIdentity } from "./host-identity";
import { withHostPulls } from "./ecr-pulls";
import type { AwsDockerHostArgs } from "./aws-host-args";

export type { AwsDockerHostArgs } from "./aws-host-args";
import { AWS_TARGET } from "./aws-target";
import { DEFAULT_INSTANCE_TYPE } from "./instance-types";
import { ec2UserData } from "./ec2-user-data";
import {
  DEFAULT_SUBNET_CIDR,
  DEFAULT_VPC_CIDR,
  INTERNET_ROUTE,
  createOwnNetwork,
  existingNetwork,
} from "./network";

/** A hardened Docker host on EC2, with its service containers. */
export class AwsDockerHost extends pulumi.ComponentResource implements DockerHostOutputs {
  public readonly publicIp!: pulumi.Output<string>;
  public readonly privateIp!: pulumi.Output<string>;
  public readonly sshUser!: pulumi.Output<string>;
  /** `ssh://user@address`, for DOCKER_HOST or a docker.Provider. */
  public readonly dockerHost!: pulumi.Output<string>;
  public readonly connection!: pulumi.Output<SshConnection>;
  /** `ssh ...` that trusts only the pinned host key. */
  public readonly sshCommand!: pulumi.Output<string>;
  /** The engine version, known only once the readiness gate passed. */
  public readonly ready!: pulumi.Output<string>;
  /** The machine's own id, new whenever the VM is replaced. */
  public readonly machineId!: pulumi.Output<string>;
  /** Per container, its published ports as "address:port". */
  public readonly endpoints!: pulumi.Output<Record<string, string[]>>;
  public readonly hostPublicKey!: pulumi.Output<string>;
  /** The Docker context made for this host on the machine that ran `pulumi up`. */
  public readonly dockerContext!: pulumi.Output<string>;
  /** The line that makes ~/.ssh/config read the project's SSH entries. */
  public readonly sshConfigInclude!: pulumi.Output<string>;
  public readonly instanceId!: pulumi.Output<string>;

  constructor(name: string, args: AwsDockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dockerhost:index:AwsDockerHost", name, {}, opts);
    const { spec: host, selinuxRelabel } = checkHostArgs(args, AWS_TARGET);
    const { os, arch } = host;
    const instanceType = args.instanceType ?? DEFAULT_INSTANCE_TYPE[arch];
    const tags = { ...args.tags, "dockerhost:host": name };

    const network = args.subnetId
      ? existingNetwork(args.subnetId, this)
      : createOwnNetwork(
          name,
          {
            vpcCidr: args.vpcCidr ?? DEFAULT_VPC_CIDR,
            subnetCidr: args.subnetCidr ?? DEFAULT_SUBNET_CIDR,
            availabilityZone: args.availabilityZone,
            tags,
          },
          this,
        );

    const firewall = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: network.vpcId, description: `dockerhost ${name}`, revokeRulesOnDelete: true, tags },
      { parent: this },
    );
    const session = args.sshAccess === "session";
    for (const rule of inboundRules(
      session ? [] : (args.sshAllowedCidrs ?? []),
      withEdge(name, args.containers ?? [], args.edge),
    )) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-in-${rule.key}`,
        {
          securityGroupId: firewall.id,
          ipProtocol: rule.protocol,
          fromPort: rule.port,
          toPort: rule.port,
          ...(rule.cidr.includes(":") ? { cidrIpv6: rule.cidr } : { cidrIpv4: rule.cidr }),
          description: rule.description,
          tags,
        },
        { parent: this },
      );
    }
    for (const cidr of args.egressCidrs ?? [INTERNET_ROUTE]) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-out-${cidr.replace(/[^0-9a-fA-F]+/g, "-")}`,
        {
          securityGroupId: firewall.id,
          ipProtocol: "-1",
          ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
          description: "outbound: packages and images",
          tags,
        },
        { parent: this },
      );
    }

    const region = aws.getRegionOutput({}, { parent: this }).region;
    const identity = hostIdentity(name, args, session, tags, this);
    const profile = identity.profile;
    if (session && args.ssmEndpoints)
      ssmEndpoints(
        name,
        {
          vpcId: network.vpcId,
          subnetId: network.subnetId,
          hostSecurityGroupId: firewall.id,
          tags,
          logs: identity.logsShipped,
        },
        this,
      );
    const keyPair = new aws.ec2.KeyPair(
      `${name}-key`,
      { publicKey: args.sshPublicKey, tags },
      { parent: this },
    );
    const hostKey = createHostKey(name, this);
    const dockerVolumeSize = args.dockerVolumeSizeGb ?? 30;
    const dataVolume =
      dockerVolumeSize > 0
        ? new aws.ebs.Volume(
            `${name}-docker-data`,
            {
              availabilityZone: network.availabilityZone,
              size: dockerVolumeSize,
              type: "gp3",
              encrypted: true,
              kmsKeyId: args.kmsKeyId,
              tags: { ...tags, Name: `${name}-docker-data` },
            },
            { parent: this },
          )
        : undefined;
    const userData = hostUserData(
      host,
      hostKey,
      dataVolume?.id.apply((id) => CLOUD_DATA_DISK_DEVICES.aws(id)),
      identity.payload,
    );

    const instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami: args.ami ?? catalogAmi(os, arch, this),
        instanceType,
        subnetId: network.subnetId,
        vpcSecurityGroupIds: [firewall.id, ...(args.securityGroupIds ?? [])],
        keyName: keyPair.keyName,
        ...(profile ? { iamInstanceProfile: profile.name } : {}),
        associatePublicIpAddress: args.associatePublicIp ?? true,
        userData: userData.apply((text) => ec2UserData(text).userData),
        userDataBase64: userData.apply((text) => ec2UserData(text).userDataBase64),
        // The user-data carries the host key and the whole bootstrap: a change means a new host.
        userDataReplaceOnChange: true,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          // A hop limit of 1 keeps containers (one hop further) away from instance credentials.
          // containersReachMetadata: the opt-in where the profile allows it (host-args.ts).
          httpPutResponseHopLimit: host.containersReachMetadata ? 2 : 1,
          instanceMetadataTags: "disabled",
        },
        rootBlockDevice: {
          volumeType: "gp3",
          volumeSize: args.rootVolumeSizeGb ?? 20,
          encrypted: true,
          kmsKeyId: args.kmsKeyId,
          deleteOnTermination: true,
          // Not volumeTags: @pulumi/aws warns that it cycles the tags of a separately tagged
          // aws.ebs.Volume (the Docker data disk) on every up.
          tags: { ...tags, Name: `${name}-root` },
        },
        tags: { ...tags, Name: name },
      },
      // A newer catalog AMI must not replace a running host; an explicit `ami` change does.
      // The role's grants first: the host's agent and log driver call AWS from its first boot.
      { parent: this, ignoreChanges: args.ami ? [] : ["ami"], dependsOn: identity.grants },
    );
    const attachment = dataVolume
      ? new aws.ec2.VolumeAttachment(
          `${name}-docker-data-attachment`,
          {
            deviceName: "/dev/sdf",
            volumeId: dataVolume.id,
            instanceId: instance.id,
            stopInstanceBeforeDetaching: true,
          },
          // A volume attaches to one instance at a time: detach from the old before the new.
          { parent: this, deleteBeforeReplace: true },
        )
      : undefined;

    const reachable = args.associatePublicIp === false ? instance.privateIp : instance.publicIp;
    // Over a session SSH names the host by its instance id, which `aws ssm start-session` takes;
    // the containers' endpoints stay at the address clients reach.
    const address = session ? instance.id : reachable;
    const runtime = attachHostRuntime(name, this, {
      dockerContext: args.dockerContext,
      arch: host.arch,
      address,
      port: 22,
      user: host.sshUser,
      hostKey,
      privateKey: args.sshPrivateKey,
      ...(session
        ? {
            sshAccess: "session" as const,
            proxyCommand: region.apply(awsSsmProxyCommand),
          }
        : {}),
      machineId: instance.id,
      dependsOn: attachment ? [instance, attachment] : [instance],
      containers: withHostPulls(args.containers, args.ecrRepositories, args.registries),
      registries: args.registries,
      networks: args.networks,
      volumes: args.volumes,
      removeVolumesOnDelete: args.removeVolumesOnDelete,
      edge: args.edge,
      selinuxRelabel,
      publicAddress: reachable,
      ...servicesHardening(host.hardening),
    });

    publishHost(
      this,
      {
        publicIp: instance.publicIp,
        privateIp: instance.privateIp,
        address,
        user: host.sshUser,
        hostKey,
        runtime,
      },
      { instanceId: instance.id },
    );
  }
}
