import { argsShape } from "../core/args-shape";
import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as resources from "@pulumi/azure-native/resources";
import * as virtualmachineimages from "@pulumi/azure-native/virtualmachineimages";
import * as pulumi from "@pulumi/pulumi";
import { bakeScript } from "../bootstrap/baked-image";
import { installFingerprint } from "../bootstrap/install-half";
import { checkImageArgs, type DockerHostImageArgs } from "../host/image-args";
import { azureImage, azureImageProblems } from "./image";
import { awaitImageBuild } from "./image-build-run";
import { DEFAULT_VM_SIZE, vmSizeProblems } from "./vm-sizes";

export interface AzureDockerHostImageArgs extends DockerHostImageArgs {
  /** The resource group of the gallery, identity and template; else one of the image's own. */
  resourceGroupName?: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  /** The build VM's size (default Standard_D2s_v5 or Standard_D2ps_v5). */
  vmSize?: string;
  tags?: Record<string, string>;
}

// What VM Image Builder's identity needs to distribute to a gallery, and nothing more: the
// custom role of Azure's own sample (Azure/azvmimagebuilder, solutions/12_Creating_AIB_Security_Roles,
// aibRoleImageCreation.json), assignable to and assigned on the image's resource group only.
export const IMAGE_BUILDER_ACTIONS = [
  "Microsoft.Compute/galleries/read",
  "Microsoft.Compute/galleries/images/read",
  "Microsoft.Compute/galleries/images/versions/read",
  "Microsoft.Compute/galleries/images/versions/write",
  "Microsoft.Compute/images/write",
  "Microsoft.Compute/images/read",
  "Microsoft.Compute/images/delete",
];

const BUILD_TIMEOUT_MINUTES = 90;

/** The Shell customizer's commands; VM Image Builder runs them as a sudo-capable user. */
export function azureBakeCommands(script: string): string[] {
  const file = "/tmp/dockerhost-bake.sh";
  return [
    `echo ${Buffer.from(script).toString("base64")} | base64 -d > ${file}`,
    `sudo sh ${file}`,
    `rm -f ${file}`,
  ];
}

/**
 * The install half of a host baked with Azure VM Image Builder into an Azure Compute Gallery:
 * a user-assigned identity with the role above on the resource group, a gallery image definition
 * per install fingerprint (Trusted Launch capable, like the catalog's images), and a template
 * that runs on creation. `imageId` is what AzureDockerHost takes (bakedImage: true).
 */
export class AzureDockerHostImage extends pulumi.ComponentResource {
  /**
   * The gallery image definition, known once VM Image Builder's run succeeded: hosts boot its
   * newest version, the one this bake made.
   */
  public readonly imageId!: pulumi.Output<string>;
  public readonly galleryName!: pulumi.Output<string>;
  public readonly templateName!: pulumi.Output<string>;
  /** What went into the bake (installFingerprint); a new one is a new image definition. */
  public readonly fingerprint!: pulumi.Output<string>;

  constructor(
    name: string,
    args: AzureDockerHostImageArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("dockerhost:index:AzureDockerHostImage", name, {}, opts);
    const host = checkImageArgs(
      args,
      { cloud: "azure", defaultOs: "ubuntu-24.04", schema: argsShape("AzureDockerHostImage") },
      (a) => {
        const arch = a.arch ?? "x86_64";
        const size = a.vmSize ?? DEFAULT_VM_SIZE[arch];
        const os = a.os ?? "ubuntu-24.04";
        return [
          ...vmSizeProblems(size, arch),
          ...azureImageProblems(os, arch, azureImage(os, arch), true, size),
        ];
      },
    );
    const source = azureImage(host.os, host.arch);
    if (!source) throw new Error("unreachable: checked above");
    const fingerprint = installFingerprint(host);
    const tags = { ...args.tags, "dockerhost-image": name };
    const location = args.location;

    let resourceGroupName: pulumi.Input<string>;
    let resourceGroupId: pulumi.Input<string>;
    if (args.resourceGroupName !== undefined) {
      resourceGroupName = args.resourceGroupName;
      resourceGroupId = resources.getResourceGroupOutput(
        { resourceGroupName: args.resourceGroupName },
        { parent: this },
      ).id;
    } else {
      const group = new resources.ResourceGroup(`${name}-rg`, { location, tags }, { parent: this });
      resourceGroupName = group.name;
      resourceGroupId = group.id;
    }

    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-builder-identity`,
      { resourceGroupName, location, tags },
      { parent: this },
    );
    const role = new authorization.RoleDefinition(
      `${name}-builder-role`,
      {
        roleName: pulumi.interpolate`dockerhost image builder ${name} (${resourceGroupName})`,
        description:
          "VM Image Builder: distribute dockerhost images to this resource group's gallery",
        permissions: [{ actions: IMAGE_BUILDER_ACTIONS }],
        assignableScopes: [resourceGroupId],
        scope: resourceGroupId,
      },
      { parent: this },
    );
    const assignment = new authorization.RoleAssignment(
      `${name}-builder-role-assignment`,
      {
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: role.id,
        scope: resourceGroupId,
      },
      { parent: this },
    );
    const gallery = new compute.Gallery(
      `${name}-gallery`,
      { resourceGroupName, location, description: `dockerhost images: ${name}`, tags },
      { parent: this },
    );
    const definition = new compute.GalleryImage(
      `${name}-definition`,
      {
        resourceGroupName,
        location,
        galleryName: gallery.name,
        // One definition per install half: a new bake is a new id, so hosts roll to it.
        galleryImageName: `${name}-${fingerprint}`,
        osType: "Linux",
        osState: "Generalized",
        hyperVGeneration: "V2",
        architecture: host.arch === "arm64" ? "Arm64" : "x64",
        identifier: { publisher: "dockerhost", offer: host.os, sku: `${name}-${fingerprint}` },
        features: [{ name: "SecurityType", value: "TrustedLaunchSupported" }],
        tags,
      },
      // VM Image Builder's versions are not Pulumi's: a replaced definition still holds them,
      // and hosts not yet rolled boot from it. It stays in the gallery until deleted by hand.
      { parent: this, retainOnDelete: true },
    );
    const template = new virtualmachineimages.VirtualMachineImageTemplate(
      `${name}-template`,
      {
        resourceGroupName,
        location,
        identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
        source: {
          type: "PlatformImage",
          publisher: source.publisher,
          offer: source.offer,
          sku: source.sku,
          version: source.version,
        },
        customize: [
          { type: "Shell", name: "InstallDockerHost", inline: azureBakeCommands(bakeScript(host)) },
        ],
        distribute: [
          {
            type: "SharedImage",
            galleryImageId: definition.id,
            runOutputName: `${name}-${fingerprint}`,
          },
        ],
        vmProfile: { vmSize: args.vmSize ?? DEFAULT_VM_SIZE[host.arch] },
        buildTimeoutInMinutes: BUILD_TIMEOUT_MINUTES,
        autoRun: { state: "Enabled" },
        tags,
      },
      {
        parent: this,
        dependsOn: [assignment],
        // VM Image Builder refuses any update of a template ("Update/Upgrade of image templates
        // is currently not supported": Microsoft's image-builder-troubleshoot page;
        // Azure/azure-cli#24893), and azure-native forces no replacement on its properties, so a
        // rebake (a new install half, base image or size) would fail as an update. Every change is
        // a new template instead ("*": any property, @pulumi/pulumi resource.d.ts). Its name is
        // generated (no imageTemplateName), so the new one is created before the old is deleted;
        // the gallery's image versions are not the template's children and stay.
        replaceOnChanges: ["*"],
      },
    );

    // Handed out once the run is over: a host created from it in this same `up` finds a version.
    this.imageId = pulumi
      .all([definition.id, template.name, pulumi.output(resourceGroupName)])
      .apply(async ([id, imageTemplateName, group]) => {
        await awaitImageBuild(
          { imageTemplateName, resourceGroupName: group },
          BUILD_TIMEOUT_MINUTES,
          this,
        );
        return id;
      });
    this.galleryName = gallery.name;
    this.templateName = template.name;
    this.fingerprint = pulumi.output(fingerprint);
    this.registerOutputs({
      imageId: this.imageId,
      galleryName: this.galleryName,
      templateName: this.templateName,
      fingerprint: this.fingerprint,
    });
  }
}
