import type { Registration } from "./registrations";
import { words, type ReplaceRule } from "./replace-rule";

// The Azure resources the hosts and bakes register, as azure-native 3.28.0 diffs them
// (pulumi/pulumi-azure-native provider/pkg/provider/diff.go, calculateDetailedDiff): a change of
// a parameter of the resource's URL path replaces it (pulumi-azure-native#77), and so does a
// body property marked forceNew: one whose x-ms-mutability in the REST spec allows create but
// not update, or one in the provider's forceNewMap (provider/pkg/gen/properties.go, forceNew;
// provider/pkg/gen/replacement.go, 1b7112af). Every other input is sent as the PUT's new body,
// an update, which Azure itself refuses for some (a VM's osProfile.customData and
// imageReference: the host's replaceOnChanges covers them). `location` is forced only where the
// spec's base resource marks it create-only (TrackedResource) or the map lists it. A named
// resource (its name input set) is replaced delete-first; an autonamed one create-first
// (provider.go, Diff). The API versions are the 3.28.0 defaults the d.ts files name. The
// per-resource lists are derived from those rules and the specs, not read from 3.28.0's
// generated metadata (its repository is too large to fetch here).

/** Replaced on `replaces`; every other input is an update. `name`: the resource's name input. */
function azure(source: string, name: string, replaces: string): (reg: Registration) => ReplaceRule {
  return (reg) => ({
    replaces: words(replaces),
    updates: [],
    everyOtherUpdates: true,
    deleteBeforeReplace: reg.inputs[name] !== undefined,
    // A PUT of a new body keeps the resource's id; the host's public address is a static
    // Standard one and its NIC's private address stays while the NIC does.
    updateRecomputes: () => false,
    source,
  });
}

const PATH = "azure-native path parameters";
const TRACKED = "azure-native path parameters, TrackedResource location";
const MAP = "azure-native forceNewMap";

export const AZURE_RULES: Record<string, (reg: Registration) => ReplaceRule> = {
  "azure-native:resources:ResourceGroup": azure(
    MAP,
    "resourceGroupName",
    "resourceGroupName location",
  ),
  "azure-native:network:VirtualNetwork": azure(
    MAP,
    "virtualNetworkName",
    "resourceGroupName virtualNetworkName location",
  ),
  "azure-native:network:Subnet": azure(
    PATH,
    "subnetName",
    "resourceGroupName virtualNetworkName subnetName",
  ),
  "azure-native:network:NetworkSecurityGroup": azure(
    PATH,
    "networkSecurityGroupName",
    "resourceGroupName networkSecurityGroupName",
  ),
  "azure-native:network:ApplicationSecurityGroup": azure(
    PATH,
    "applicationSecurityGroupName",
    "resourceGroupName applicationSecurityGroupName",
  ),
  "azure-native:network:PublicIPAddress": azure(
    MAP,
    "publicIpAddressName",
    "resourceGroupName publicIpAddressName location sku publicIPAddressVersion publicIPPrefix",
  ),
  "azure-native:network:NetworkInterface": azure(
    PATH,
    "networkInterfaceName",
    "resourceGroupName networkInterfaceName",
  ),
  "azure-native:network:BastionHost": azure(
    PATH,
    "bastionHostName",
    "resourceGroupName bastionHostName",
  ),
  // diskSizeGB is an update (a disk only grows); Azure refuses a change of creationData.
  "azure-native:compute:Disk": azure(PATH, "diskName", "resourceGroupName diskName"),
  "azure-native:compute:VirtualMachine": azure(PATH, "vmName", "resourceGroupName vmName"),
  "azure-native:compute:VirtualMachineExtension": azure(
    PATH,
    "vmExtensionName",
    "resourceGroupName vmName vmExtensionName",
  ),
  "azure-native:compute:Gallery": azure(PATH, "galleryName", "resourceGroupName galleryName"),
  "azure-native:compute:GalleryImage": azure(
    PATH,
    "galleryImageName",
    "resourceGroupName galleryName galleryImageName",
  ),
  "azure-native:managedidentity:UserAssignedIdentity": azure(
    TRACKED,
    "resourceName",
    "resourceGroupName resourceName location",
  ),
  // principalId and scope: forceNewMap (pulumi-azure-native#771, PR #1010).
  "azure-native:authorization:RoleAssignment": azure(
    MAP,
    "roleAssignmentName",
    "scope roleAssignmentName principalId",
  ),
  "azure-native:authorization:RoleDefinition": azure(
    PATH,
    "roleDefinitionId",
    "scope roleDefinitionId",
  ),
  "azure-native:operationalinsights:Workspace": azure(
    TRACKED,
    "workspaceName",
    "resourceGroupName workspaceName location",
  ),
  "azure-native:monitor:DataCollectionRule": azure(
    TRACKED,
    "dataCollectionRuleName",
    "resourceGroupName dataCollectionRuleName location",
  ),
  "azure-native:monitor:DataCollectionRuleAssociation": azure(
    PATH,
    "associationName",
    "resourceUri associationName",
  ),
  // Azure refuses an update of a template's source or customize (the bake's replaceOnChanges).
  "azure-native:virtualmachineimages:VirtualMachineImageTemplate": azure(
    TRACKED,
    "imageTemplateName",
    "resourceGroupName imageTemplateName location",
  ),
};
