import { argsShape } from "../core/args-shape";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EC2_ASSUME_ROLE_POLICY } from "./ec2-role";
import { bakeScript } from "../bootstrap/baked-image";
import { installFingerprint } from "../bootstrap/install-half";
import { checkImageArgs, type DockerHostImageArgs } from "../host/image-args";
import { catalogAmi } from "./ami";
import { DEFAULT_INSTANCE_TYPE, instanceTypeProblems } from "./instance-types";
import { bakeVersion, imageBuilderDocument } from "./image-builder-document";

export interface AwsDockerHostImageArgs extends DockerHostImageArgs {
  /** The image to bake on; default the catalog's AMI for `os` and `arch`. */
  parentAmi?: pulumi.Input<string>;
  /** The build instance's type (default t3.small or t4g.small). */
  instanceType?: string;
  /** A subnet for the build instance (it needs the package mirrors); else the default VPC. */
  subnetId?: pulumi.Input<string>;
  /** Security groups of the build instance; required with subnetId. */
  securityGroupIds?: pulumi.Input<string>[];
  tags?: Record<string, string>;
}

// AWS's documented pair for an Image Builder build instance ("Create an IAM role for Image
// Builder", user guide: image-builder-setup): SSM to run the build, and Image Builder's own
// read of its components and logs. Nothing else: the bake reads only public package mirrors.
export const IMAGE_BUILDER_INSTANCE_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder",
];

/**
 * The install half of a host baked into an AMI with EC2 Image Builder: a component from the
 * rendered bake script, a recipe on the catalog AMI, a build instance with the least-privilege
 * profile above, and the image. `amiId` is what AwsDockerHost takes as `ami` (bakedImage: true).
 */
export class AwsDockerHostImage extends pulumi.ComponentResource {
  /** The baked AMI, in this region. */
  public readonly amiId!: pulumi.Output<string>;
  public readonly imageArn!: pulumi.Output<string>;
  /** What went into the bake (installFingerprint); a new one is a new image. */
  public readonly fingerprint!: pulumi.Output<string>;

  constructor(name: string, args: AwsDockerHostImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dockerhost:index:AwsDockerHostImage", name, {}, opts);
    const host = checkImageArgs(
      args,
      { cloud: "aws", defaultOs: "amazon-linux-2023", schema: argsShape("AwsDockerHostImage") },
      (a) => [
        ...instanceTypeProblems(
          a.instanceType ?? DEFAULT_INSTANCE_TYPE[a.arch ?? "x86_64"],
          a.arch ?? "x86_64",
        ),
        ...(a.subnetId !== undefined && !a.securityGroupIds?.length
          ? [
              "securityGroupIds: Image Builder needs security groups with subnetId; give one that allows outbound HTTPS and HTTP to the package mirrors.",
            ]
          : []),
      ],
    );
    const fingerprint = installFingerprint(host);
    const version = bakeVersion(fingerprint);
    const tags = { ...args.tags, "dockerhost:image": name };

    const component = new aws.imagebuilder.Component(
      `${name}-install`,
      {
        platform: "Linux",
        version,
        data: imageBuilderDocument(bakeScript(host), fingerprint),
        description: `dockerhost ${name}: ${host.os} ${host.engineSource} engine, ${host.hardening}`,
        tags,
      },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-builder-role`,
      {
        assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
        tags,
      },
      { parent: this },
    );
    const attachments = IMAGE_BUILDER_INSTANCE_POLICIES.map(
      (policyArn) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-builder-${policyArn.split("/").pop()}`,
          { role: role.name, policyArn },
          { parent: this },
        ),
    );
    const profile = new aws.iam.InstanceProfile(
      `${name}-builder-profile`,
      { role: role.name, tags },
      { parent: this },
    );
    const infrastructure = new aws.imagebuilder.InfrastructureConfiguration(
      `${name}-infrastructure`,
      {
        instanceProfileName: profile.name,
        instanceTypes: [args.instanceType ?? DEFAULT_INSTANCE_TYPE[host.arch]],
        terminateInstanceOnFailure: true,
        // The build instance gets IMDSv2 only, like the hosts.
        instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        ...(args.subnetId !== undefined
          ? { subnetId: args.subnetId, securityGroupIds: args.securityGroupIds }
          : {}),
        tags,
        resourceTags: tags,
      },
      { parent: this },
    );
    const recipe = new aws.imagebuilder.ImageRecipe(
      `${name}-recipe`,
      {
        parentImage: args.parentAmi ?? catalogAmi(host.os, host.arch, this),
        version,
        components: [{ componentArn: component.arn }],
        amiTags: tags,
        tags,
      },
      // A newer catalog AMI must not rebake by itself: a rebake is a decision (new image id).
      { parent: this, ignoreChanges: args.parentAmi ? [] : ["parentImage"] },
    );
    const image = new aws.imagebuilder.Image(
      `${name}-image`,
      {
        imageRecipeArn: recipe.arn,
        infrastructureConfigurationArn: infrastructure.arn,
        // The hosts' first boot checks the image (bakedImage); no test instance is needed.
        imageTestsConfiguration: { imageTestsEnabled: false },
        tags,
      },
      { parent: this, dependsOn: attachments, customTimeouts: { create: "90m" } },
    );

    this.amiId = image.outputResources.apply((resources) => {
      const ami = resources[0]?.amis[0]?.image;
      if (!ami) throw new Error(`${name}: Image Builder reported no AMI for ${image.urn}`);
      return ami;
    });
    this.imageArn = image.arn;
    this.fingerprint = pulumi.output(fingerprint);
    this.registerOutputs({
      amiId: this.amiId,
      imageArn: this.imageArn,
      fingerprint: this.fingerprint,
    });
  }
}
