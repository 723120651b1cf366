import type { Registration } from "./registrations";

// Which input changes make a provider create a new resource (replace) and which it applies in
// place (update), for the resources the lifecycle plans change. Each row is read from the
// provider's own source at the version package-lock.json holds; docs/lifecycle.md's sources
// table names them. A property in neither list stops the plan: look it up, never guess.

export interface ReplaceRule {
  /** Top-level input properties whose change forces a new resource. */
  replaces: string[];
  /** Top-level input properties the provider updates in place. */
  updates: string[];
  /** The row of docs/lifecycle.md's sources table where the two lists were read. */
  source: string;
  /**
   * The provider replaces delete-before-replace unless the resource's own option says otherwise
   * (pulumi/pulumi step_generator.go: a program's `deleteBeforeReplace`, when set, overrides the
   * provider's diff).
   */
  deleteBeforeReplace?: boolean;
}

const COMMAND: ReplaceRule = {
  // The provider forces nothing; its SDK adds replaceOnChanges ["triggers[*]"] to every Command,
  // which the registration carries (so the planner sees it as an option, not here).
  replaces: [],
  updates: [
    "connection",
    "create",
    "update",
    "delete",
    "stdin",
    "environment",
    "triggers",
    "logging",
    "addPreviousOutputInEnv",
    "interpreter",
    "dir",
  ],
  source: "pulumi-command",
};

const RULES: Record<string, (reg: Registration) => ReplaceRule> = {
  "command:remote:Command": () => COMMAND,
  "command:local:Command": () => COMMAND,
  "aws:ec2/instance:Instance": (reg) => ({
    replaces: [
      "ami",
      "subnetId",
      "availabilityZone",
      "keyName",
      "privateIp",
      // user_data_replace_on_change: a user-data change forces a new instance (else stop, start).
      ...(reg.inputs.userDataReplaceOnChange === true ? ["userData", "userDataBase64"] : []),
    ],
    updates: [
      "instanceType",
      "tags",
      "vpcSecurityGroupIds",
      ...(reg.inputs.userDataReplaceOnChange === true ? [] : ["userData", "userDataBase64"]),
    ],
    source: "aws_instance",
  }),
  "aws:ec2/volumeAttachment:VolumeAttachment": () => ({
    replaces: ["instanceId", "volumeId", "deviceName"],
    updates: [],
    source: "aws_volume_attachment",
  }),
  "docker:index/remoteImage:RemoteImage": () => ({
    replaces: ["name", "pullTriggers", "triggers", "platform"],
    updates: ["keepLocally", "forceRemove"],
    source: "docker_image",
  }),
  "docker:index/container:Container": () => ({
    replaces: ["image", "name", "command", "entrypoint", "envs", "ports", "volumes", "mounts"],
    updates: ["restart", "memory", "memorySwap", "cpuShares", "cpuSet"],
    source: "docker_container",
    // pulumi-docker provider/resources.go: docker_container `DeleteBeforeReplace: true`.
    deleteBeforeReplace: true,
  }),
  // Image Builder's resources are immutable: every input of these three forces a new one.
  "aws:imagebuilder/component:Component": () => ({
    replaces: ["data", "version", "platform", "name"],
    updates: ["tags"],
    source: "aws_imagebuilder_component",
  }),
  "aws:imagebuilder/imageRecipe:ImageRecipe": () => ({
    replaces: ["components", "parentImage", "version", "name", "blockDeviceMappings"],
    updates: ["tags"],
    source: "aws_imagebuilder_image_recipe",
  }),
  "aws:imagebuilder/image:Image": () => ({
    replaces: ["imageRecipeArn", "infrastructureConfigurationArn"],
    updates: ["tags"],
    source: "aws_imagebuilder_image",
  }),
  // azure-native forces a new resource for the path parameters of its REST call and the
  // properties Azure's spec marks immutable; a VM's profiles are sent as an update (which Azure
  // refuses for some paths: hence the component's replaceOnChanges).
  "azure-native:compute:VirtualMachine": () => ({
    replaces: ["resourceGroupName", "vmName", "location"],
    updates: [
      "osProfile",
      "storageProfile",
      "networkProfile",
      "hardwareProfile",
      "securityProfile",
      "diagnosticsProfile",
      "identity",
      "tags",
    ],
    source: "azure-native VirtualMachine",
  }),
  // Both name their parent in the call's path (pulumi-azure-native#77: "Any property from the
  // path of a resource URL must cause replacement"); their settings are the PUT's body.
  "azure-native:compute:VirtualMachineExtension": () => ({
    replaces: ["resourceGroupName", "vmName", "vmExtensionName"],
    updates: [
      "publisher",
      "type",
      "typeHandlerVersion",
      "autoUpgradeMinorVersion",
      "enableAutomaticUpgrade",
      "settings",
      "tags",
    ],
    source: "azure-native path parameters",
  }),
  "azure-native:monitor:DataCollectionRuleAssociation": () => ({
    replaces: ["resourceUri", "associationName"],
    updates: ["dataCollectionRuleId", "description"],
    source: "azure-native path parameters",
  }),
  "pulumi:providers:docker": () => ({
    replaces: [],
    updates: ["host", "sshOpts", "registryAuth"],
    source: "pulumi-terraform-bridge DiffConfig",
  }),
};

export function ruleFor(reg: Registration): ReplaceRule {
  const rule = RULES[reg.type];
  if (!rule)
    throw new Error(
      `${reg.name}: no replace rule for ${reg.type}; read its provider's source and add one to replace-rules.ts`,
    );
  return rule(reg);
}
