import type * as pulumi from "@pulumi/pulumi";
import type { DockerHostArgs } from "../host/host-args";
import type { SshAccess } from "../remote/session-transport";
import type { ContainerLogs } from "./container-logs";

// What AwsDockerHost takes beyond the arguments every host shares (host-args.ts).

export interface AwsDockerHostArgs extends DockerHostArgs {
  /**
   * Who may reach SSH: required with sshAccess "direct" (the default), and never the whole
   * internet without allowSshFromAnywhere. Not used with sshAccess "session".
   */
  sshAllowedCidrs?: string[];
  allowSshFromAnywhere?: boolean;
  /** Default t3.small (x86_64) or t4g.small (arm64); checked against `arch`. */
  instanceType?: string;
  /** An explicit AMI instead of the catalog's image for `os`. */
  ami?: pulumi.Input<string>;
  /** A subnet to use; otherwise the host gets a VPC and public subnet of its own. */
  subnetId?: pulumi.Input<string>;
  /** For the host's own VPC (default 10.42.0.0/16 and 10.42.1.0/24). */
  vpcCidr?: string;
  subnetCidr?: string;
  availabilityZone?: pulumi.Input<string>;
  associatePublicIp?: boolean;
  rootVolumeSizeGb?: number;
  /** Size of the separate encrypted /var/lib/docker volume (default 30); 0: no separate volume. */
  dockerVolumeSizeGb?: number;
  /** KMS key for the disks; AWS's default EBS key when absent. */
  kmsKeyId?: pulumi.Input<string>;
  /** Let containers reach the instance metadata service (IMDSv2 hop limit 2 instead of 1). */
  containersNeedImds?: boolean;
  /**
   * Where the host may connect out to (packages, registries): everywhere (0.0.0.0/0) unless set;
   * a list narrows it, [] allows nothing out.
   */
  egressCidrs?: string[];
  /**
   * More security groups the instance joins beside its own, e.g. a fleet's (the swarm's ports
   * among members). Changing them updates the instance in place.
   */
  securityGroupIds?: pulumi.Input<string>[];
  tags?: Record<string, string>;
  /**
   * How the deployer reaches sshd. "direct" (default): port 22 from sshAllowedCidrs. "session":
   * SSH through Systems Manager Session Manager (AWS-StartSSHSession), an instance profile with
   * AmazonSSMManagedInstanceCore and no inbound rule at all; the deployer needs the AWS CLI
   * and its session-manager-plugin. The host key stays pinned either way.
   */
  sshAccess?: SshAccess;
  /**
   * With sshAccess "session" in a subnet with no way out (no NAT, no public IP): create the
   * ssm, ssmmessages and ec2messages interface endpoints in the subnet. Default false.
   */
  ssmEndpoints?: boolean;
  /**
   * Where containers' logs go. "host": the profile's driver on the host (json-file with rotation,
   * strict: the journal). "cloud": CloudWatch Logs, a log group of the host's own
   * (`/dockerhost/<project>/<stack>/<name>`) written through the instance profile, no key in
   * config. Default "cloud" for strict hosts that have an identity (sshAccess "session"), "host"
   * otherwise. A change gives the host a new user-data, so it is replaced.
   */
  containerLogs?: ContainerLogs;
  /** Days CloudWatch keeps the host's container logs (default 30; 0 keeps them forever). */
  logRetentionDays?: number;
  /**
   * ECR repositories the host pulls from with its own identity, by name (the host's account and
   * region) or ARN: the instance profile may read these and no others, and the host's
   * docker-credential-ecr-login gets a token at each pull; no password anywhere. Containers
   * whose image is in them (or known only at deploy) are pulled on the host (`pullOnHost`).
   */
  ecrRepositories?: string[];
}
