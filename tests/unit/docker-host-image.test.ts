import { describe, expect, it } from "@jest/globals";
import { byName, optionsRecorder, plain, settle, useMocks, valueOf } from "../support/pulumi-mocks";

const recorded = useMocks();
// Imported after the mocks are in place, as the stack program would be.
import { AwsDockerHostImage } from "../../components/aws/aws-docker-host-image";
import { bakeVersion, imageBuilderDocument } from "../../components/aws/image-builder-document";
import {
  AzureDockerHostImage,
  azureBakeCommands,
} from "../../components/azure/azure-docker-host-image";
import { LocalDockerHostImage } from "../../components/local/local-docker-host-image";
import { runOutcome, type RunStatus } from "../../components/azure/image-build-run";
import {
  bakeScript,
  localBakeUserData,
  resolveBakeSpec,
} from "../../components/bootstrap/baked-image";
import { installFingerprint } from "../../components/bootstrap/install-half";
import { configProblems } from "../support/config-problems";

// The three bakes as resources: exact children and inputs, and what each refuses at preview.

const children = (name: string) =>
  recorded
    .filter((r) => r.name.startsWith(`${name}-`) || r.name === name)
    .map((r) => `${r.type} ${r.name}`)
    .sort();
const inputs = (name: string) => plain(byName(recorded, name).inputs) as Record<string, unknown>;
const { byName: optionsByName, record: recordOptions } = optionsRecorder();

describe("AwsDockerHostImage", () => {
  const debian = resolveBakeSpec({ os: "debian-12", arch: "x86_64", cloud: "aws" });
  const fingerprint = installFingerprint(debian);

  it("bakes with EC2 Image Builder: component, least-privilege profile, recipe on the catalog AMI, image", async () => {
    const image = new AwsDockerHostImage("ai", { os: "debian-12", tags: { team: "ops" } });
    expect(await valueOf(image.amiId)).toBe("ami-baked0123");
    expect(await valueOf(image.fingerprint)).toBe(fingerprint);
    await settle(recorded);
    expect(children("ai")).toStrictEqual([
      "aws:iam/instanceProfile:InstanceProfile ai-builder-profile",
      "aws:iam/role:Role ai-builder-role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment ai-builder-AmazonSSMManagedInstanceCore",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment ai-builder-EC2InstanceProfileForImageBuilder",
      "aws:imagebuilder/component:Component ai-install",
      "aws:imagebuilder/image:Image ai-image",
      "aws:imagebuilder/imageRecipe:ImageRecipe ai-recipe",
      "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration ai-infrastructure",
      "dockerhost:index:AwsDockerHostImage ai",
    ]);
    const tags = { team: "ops", "dockerhost:image": "ai" };
    expect(inputs("ai-install")).toStrictEqual({
      platform: "Linux",
      version: bakeVersion(fingerprint),
      data: imageBuilderDocument(bakeScript(debian), fingerprint),
      description: "dockerhost ai: debian-12 distro engine, baseline",
      tags,
    });
    expect(JSON.parse(String(inputs("ai-builder-role").assumeRolePolicy))).toStrictEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
    for (const policy of ["AmazonSSMManagedInstanceCore", "EC2InstanceProfileForImageBuilder"])
      expect(inputs(`ai-builder-${policy}`)).toStrictEqual({
        role: "builder-role-1234",
        policyArn: `arn:aws:iam::aws:policy/${policy}`,
      });
    expect(inputs("ai-builder-profile")).toStrictEqual({ role: "builder-role-1234", tags });
    expect(inputs("ai-infrastructure")).toStrictEqual({
      instanceProfileName: "builder-profile-1234",
      instanceTypes: ["t3.small"],
      terminateInstanceOnFailure: true,
      instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      tags,
      resourceTags: tags,
    });
    expect(inputs("ai-recipe")).toStrictEqual({
      parentImage: "ami-from-ssm:/aws/service/debian/release/12/latest/amd64",
      version: bakeVersion(fingerprint),
      components: [{ componentArn: "arn:aws:imagebuilder:eu-west-1:1:component/c/1" }],
      amiTags: tags,
      tags,
    });
    expect(inputs("ai-image")).toStrictEqual({
      imageRecipeArn: "arn:aws:imagebuilder:eu-west-1:1:image-recipe/r/1",
      infrastructureConfigurationArn:
        "arn:aws:imagebuilder:eu-west-1:1:infrastructure-configuration/i",
      imageTestsConfiguration: { imageTestsEnabled: false },
      tags,
    });
  });

  it("builds in the subnet given, with its security groups", async () => {
    new AwsDockerHostImage("as", {
      os: "amazon-linux-2023",
      arch: "arm64",
      subnetId: "subnet-1",
      securityGroupIds: ["sg-1"],
      parentAmi: "ami-parent",
    });
    await settle(recorded);
    expect(inputs("as-infrastructure")).toMatchObject({
      instanceTypes: ["t4g.small"],
      subnetId: "subnet-1",
      securityGroupIds: ["sg-1"],
    });
    expect(inputs("as-recipe")).toMatchObject({ parentImage: "ami-parent" });
  });

  const refusals: [string, Record<string, unknown>, string[]][] = [
    [
      "a subnet without security groups",
      { subnetId: "subnet-1" },
      [
        "securityGroupIds: Image Builder needs security groups with subnetId; give one that allows outbound HTTPS and HTTP to the package mirrors.",
      ],
    ],
    [
      "an instance type of the other architecture",
      { arch: "arm64", instanceType: "t3.small" },
      [
        'instanceType: t3.small is an x86_64 type but arch is arm64. Use an arm64 type such as t4g.small, or set arch: "x86_64".',
      ],
    ],
    [
      "a host-only field",
      { sshPublicKey: "ssh-ed25519 AAAA" },
      [
        "sshPublicKey: not a known field. Check its spelling; the fields here are: os, arch, docker, hardening, selinux, parentAmi, instanceType, subnetId, securityGroupIds, tags.",
      ],
    ],
    [
      "an unknown OS",
      { os: "windows" },
      [
        'os: "windows" is not supported. Use one of: amazon-linux-2023, ubuntu-24.04, debian-12, rhel-9.',
      ],
    ],
  ];
  for (const [why, args, problems] of refusals)
    it(`refuses ${why} at preview`, () =>
      expect(configProblems(() => new AwsDockerHostImage(`ar-${why.length}`, args))).toStrictEqual(
        problems,
      ));
});

describe("AzureDockerHostImage", () => {
  const ubuntu = resolveBakeSpec({ os: "ubuntu-24.04", arch: "x86_64", cloud: "azure" });
  const fingerprint = installFingerprint(ubuntu);

  it("bakes with VM Image Builder into a gallery, its identity scoped to the resource group", async () => {
    const image = new AzureDockerHostImage(
      "zi",
      { resourceGroupName: "images-rg", location: "westeurope" },
      { transformations: [recordOptions] },
    );
    expect(await valueOf(image.imageId)).toBe("zi-definition-id");
    await settle(recorded);
    expect(children("zi")).toStrictEqual([
      "azure-native:authorization:RoleAssignment zi-builder-role-assignment",
      "azure-native:authorization:RoleDefinition zi-builder-role",
      "azure-native:compute:Gallery zi-gallery",
      "azure-native:compute:GalleryImage zi-definition",
      "azure-native:managedidentity:UserAssignedIdentity zi-builder-identity",
      "azure-native:virtualmachineimages:VirtualMachineImageTemplate zi-template",
      "dockerhost:index:AzureDockerHostImage zi",
    ]);
    const scope = "/subscriptions/sub-1/resourceGroups/images-rg";
    const tags = { "dockerhost-image": "zi" };
    expect(inputs("zi-builder-identity")).toStrictEqual({
      resourceGroupName: "images-rg",
      location: "westeurope",
      tags,
    });
    expect(inputs("zi-builder-role")).toStrictEqual({
      roleName: "dockerhost image builder zi (images-rg)",
      description:
        "VM Image Builder: distribute dockerhost images to this resource group's gallery",
      permissions: [
        {
          actions: [
            "Microsoft.Compute/galleries/read",
            "Microsoft.Compute/galleries/images/read",
            "Microsoft.Compute/galleries/images/versions/read",
            "Microsoft.Compute/galleries/images/versions/write",
            "Microsoft.Compute/images/write",
            "Microsoft.Compute/images/read",
            "Microsoft.Compute/images/delete",
          ],
        },
      ],
      assignableScopes: [scope],
      scope,
    });
    expect(inputs("zi-builder-role-assignment")).toStrictEqual({
      principalId: "principal-1234",
      principalType: "ServicePrincipal",
      roleDefinitionId: "zi-builder-role-id",
      scope,
    });
    expect(inputs("zi-definition")).toStrictEqual({
      resourceGroupName: "images-rg",
      location: "westeurope",
      galleryName: "gallery1234",
      galleryImageName: `zi-${fingerprint}`,
      osType: "Linux",
      osState: "Generalized",
      hyperVGeneration: "V2",
      architecture: "x64",
      identifier: { publisher: "dockerhost", offer: "ubuntu-24.04", sku: `zi-${fingerprint}` },
      features: [{ name: "SecurityType", value: "TrustedLaunchSupported" }],
      tags,
    });
    expect(inputs("zi-template")).toStrictEqual({
      resourceGroupName: "images-rg",
      location: "westeurope",
      identity: { type: "UserAssigned", userAssignedIdentities: ["zi-builder-identity-id"] },
      source: {
        type: "PlatformImage",
        publisher: "Canonical",
        offer: "ubuntu-24_04-lts",
        sku: "server",
        version: "latest",
      },
      customize: [
        { type: "Shell", name: "InstallDockerHost", inline: azureBakeCommands(bakeScript(ubuntu)) },
      ],
      distribute: [
        {
          type: "SharedImage",
          galleryImageId: "zi-definition-id",
          runOutputName: `zi-${fingerprint}`,
        },
      ],
      // osDiskSizeGB 0: the provider's default, the image's own size.
      vmProfile: { vmSize: "Standard_D2s_v5", osDiskSizeGB: 0 },
      buildTimeoutInMinutes: 90,
      autoRun: { state: "Enabled" },
      tags,
    });
    // Azure refuses any update of a template: every change is a new one (its name generated).
    expect(optionsByName.get("zi-template")?.replaceOnChanges).toStrictEqual(["*"]);
    expect(optionsByName.get("zi-template")?.deleteBeforeReplace).toBe(undefined);
    expect(inputs("zi-template").imageTemplateName).toBe(undefined);
  });

  it("runs the bake script with sudo, as VM Image Builder's Shell customizer needs", () => {
    expect(azureBakeCommands("#!/bin/sh\necho hi\n")).toStrictEqual([
      "echo IyEvYmluL3NoCmVjaG8gaGkK | base64 -d > /tmp/dockerhost-bake.sh",
      "sudo sh /tmp/dockerhost-bake.sh",
      "rm -f /tmp/dockerhost-bake.sh",
    ]);
  });

  it("refuses an OS the catalog has no Azure image for, at preview", () => {
    expect(
      configProblems(() => new AzureDockerHostImage("zr", { os: "amazon-linux-2023" })),
    ).toStrictEqual([
      "os: amazon-linux-2023 has no x86_64 image on Azure in the catalog. Use ubuntu-24.04, debian-12, rhel-9, or pass image.",
    ]);
  });
});

describe("LocalDockerHostImage", () => {
  it("bakes through vm-cli with the bake's user-data; imagePath comes from its output", async () => {
    const image = new LocalDockerHostImage("li", {
      hardening: "strict",
      directory: "/images/baked",
    });
    expect(await valueOf(image.imagePath)).toBe("/images/baked/img-0123456789abcdef.qcow2");
    expect(await valueOf(image.bakeSeconds)).toBe(214.5);
    await settle(recorded);
    expect(children("li")).toStrictEqual([
      "command:local:Command li-bake",
      "dockerhost:index:LocalDockerHostImage li",
    ]);
    const bake = inputs("li-bake") as { create: string; delete: string; stdin: string };
    expect(bake.create).toMatch(/vm-cli\.(ts|js)'? bake$/);
    expect(bake.delete).toMatch(/vm-cli\.(ts|js)'? bake-remove$/);
    const strict = resolveBakeSpec({
      os: "debian-12",
      arch: "x86_64",
      cloud: "local",
      hardening: "strict",
    });
    expect(JSON.parse(bake.stdin)).toStrictEqual({
      name: "li",
      directory: "/images/baked",
      baseImage: expect.stringMatching(
        /\/\.dockerhost\/images\/debian-12-genericcloud-amd64\.qcow2$/,
      ),
      fetchBaseImage: true,
      memoryMb: 2048,
      cpus: 2,
      accelerator: "auto",
      userData: localBakeUserData(strict),
      fingerprint: installFingerprint(strict),
      timeoutSeconds: 1800,
    });
  });

  it("takes the unset fields a stack's bakeImage hands over", () => {
    const unset = { os: undefined, docker: { source: undefined, version: undefined } };
    expect(configProblems(() => new LocalDockerHostImage("lu", unset))).toStrictEqual([]);
  });

  it("refuses what a local VM refuses, at preview", () => {
    expect(
      configProblems(
        () =>
          new LocalDockerHostImage("lr", {
            image: "/nowhere/base.qcow2",
            arch: "arm64",
            memoryMb: 512,
          }),
      ),
    ).toStrictEqual([
      'arch: local hosts run x86_64 guests only; set arch to "x86_64"',
      "image: /nowhere/base.qcow2 does not exist; leave image unset to use Debian 12's genericcloud image (fetched and verified on the first up), or name a cloud image file that exists",
      "memoryMb: must be an integer of at least 1024 (cloud-init and dockerd need it)",
    ]);
  });
});

describe("VM Image Builder's run, awaited before the image id is handed out", () => {
  const rows: [string, RunStatus | undefined, "wait" | "done" | string][] = [
    ["no run shown yet", undefined, "wait"],
    ["running", { runState: "Running", runSubState: "Customizing" }, "wait"],
    ["canceling", { runState: "Canceling" }, "wait"],
    ["succeeded", { runState: "Succeeded" }, "done"],
    [
      "failed in a step",
      { runState: "Failed", runSubState: "Customizing", message: "InstallDockerHost exited 1" },
      "VM Image Builder template t1: the bake Failed in Customizing: InstallDockerHost exited 1. Its customization log is in the staging resource group's storage account (packerlogs/customization.log).",
    ],
    [
      "partly succeeded (a region missed) is not success",
      { runState: "PartiallySucceeded" },
      "VM Image Builder template t1: the bake PartiallySucceeded: no message. Its customization log is in the staging resource group's storage account (packerlogs/customization.log).",
    ],
  ];
  for (const [why, status, expected] of rows)
    it(why, () => {
      const outcome = runOutcome(status, "t1");
      expect(outcome instanceof Error ? outcome.message : outcome).toBe(expected);
    });
});
