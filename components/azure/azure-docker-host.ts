import { servicesHardening } from "../core/hardening-profile";
import * as compute from "@pulumi/azure-native/compute";
import * as pulumi from "@pulumi/pulumi";
import { CLOUD_DATA_DISK_DEVICES } from "../bootstrap/os-catalog";
import { checkHostArgs } from "../host/host-args";
import { publishHost, type DockerHostOutputs } from "../host/docker-host-component";
import type { SshConnection } from "../remote/ssh-connection";
import {
  attachHostRuntime,
  createHostKey,
  hostUserData,
  type GatedHost,
} from "../host/host-runtime";
import { azureImage } from "./image";
import { AZURE_TARGET } from "./azure-target";
import { DEFAULT_VM_SIZE } from "./vm-sizes";
import type { AzureDockerHostArgs } from "./azure-host-args";
import { acrLoginServers, withAcrPulls } from "./acr-pulls";
import { assignVmRoles, vmGrants } from "./vm-grants";
import { azureHostNetwork } from "./host-network";
import { azureBastionProxyCommand } from "../remote/bastion-proxy";
import { azureShippedLogs, azureShipsLogs } from "./container-logs";
import { attachMonitorAgent, hostLogStore } from "./monitor-logs";

export { AzureDiskSku, type AzureDockerHostArgs } from "./azure-host-args";

/** Azure puts the first data disk on LUN 0. */
const DATA_DISK_LUN = 0;

/** A hardened Docker host on an Azure VM, with its service containers. */
export class AzureDockerHost extends pulumi.ComponentResource implements DockerHostOutputs {
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
  /** The VM's system-assigned managed identity, for role assignments. */
  public readonly principalId!: pulumi.Output<string>;
  public readonly vmId!: pulumi.Output<string>;

  constructor(name: string, args: AzureDockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dockerhost:index:AzureDockerHost", name, {}, opts);
    const { spec: host, selinuxRelabel } = checkHostArgs(args, AZURE_TARGET);
    const { os, arch } = host;
    const vmSize = args.vmSize ?? DEFAULT_VM_SIZE[arch];
    const trustedLaunch = args.trustedLaunch ?? true;
    const image = azureImage(os, arch, args.image);
    if (!image && args.imageId === undefined) throw new Error("unreachable: checked above");
    const tags = { ...args.tags, "dockerhost-host": name };
    const location = args.location;

    const net = azureHostNetwork(name, args, tags, this);
    const { resourceGroupName, nic, publicIp } = net;

    const hostKey = createHostKey(name, this);
    const diskSize = args.dockerDiskSizeGb ?? 30;
    const diskSku = args.diskSku ?? "Premium_LRS";
    const dataDisk =
      diskSize > 0
        ? new compute.Disk(
            `${name}-docker-data`,
            {
              resourceGroupName,
              location,
              creationData: { createOption: "Empty" },
              diskSizeGB: diskSize,
              sku: { name: diskSku },
              // Encrypted at rest by the platform's keys; no public network access to the disk.
              publicNetworkAccess: "Disabled",
              networkAccessPolicy: "DenyAll",
              tags,
            },
            { parent: this },
          )
        : undefined;
    const loginServers = acrLoginServers(args.acrRegistries);
    const logStore = azureShipsLogs(args)
      ? hostLogStore(
          name,
          { resourceGroupName, location, retentionInDays: args.logRetentionDays, tags },
          this,
        )
      : undefined;
    const userData = hostUserData(
      host,
      hostKey,
      dataDisk ? CLOUD_DATA_DISK_DEVICES.azure(String(DATA_DISK_LUN)) : undefined,
      {
        ...(loginServers.length
          ? {
              credentialHelpers: Object.fromEntries(
                loginServers.map((server) => [server, "dockerhost-acr" as const]),
              ),
            }
          : {}),
        ...(logStore ? { shippedLogs: azureShippedLogs() } : {}),
      },
    );

    const vm = new compute.VirtualMachine(
      `${name}-vm`,
      {
        resourceGroupName,
        location,
        hardwareProfile: { vmSize },
        storageProfile: {
          imageReference:
            args.imageId !== undefined || !image
              ? { id: args.imageId }
              : {
                  publisher: image.publisher,
                  offer: image.offer,
                  sku: image.sku,
                  version: image.version,
                },
          osDisk: {
            createOption: "FromImage",
            deleteOption: "Delete",
            managedDisk: { storageAccountType: diskSku },
            ...(args.osDiskSizeGb ? { diskSizeGB: args.osDiskSizeGb } : {}),
          },
          dataDisks: dataDisk
            ? [
                {
                  lun: DATA_DISK_LUN,
                  createOption: "Attach",
                  managedDisk: { id: dataDisk.id },
                  // The disk outlives the VM: a replaced VM attaches the same data.
                  deleteOption: "Detach",
                },
              ]
            : [],
        },
        osProfile: {
          computerName: name.replace(/[^A-Za-z0-9-]/g, "-").slice(0, 63),
          adminUsername: host.sshUser,
          // customData is write-only in Azure's API; userData could be read back.
          customData: userData.apply((text) => Buffer.from(text).toString("base64")),
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: {
              publicKeys: [
                {
                  path: `/home/${host.sshUser}/.ssh/authorized_keys`,
                  keyData: args.sshPublicKey.trim(),
                },
              ],
            },
            provisionVMAgent: true,
          },
        },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        securityProfile: {
          ...(trustedLaunch
            ? {
                securityType: "TrustedLaunch",
                uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
              }
            : {}),
          // Sent only when asked: subscriptions without the EncryptionAtHost feature reject
          // the property itself, even set to false.
          ...(args.encryptionAtHost ? { encryptionAtHost: true } : {}),
        },
        identity: { type: "SystemAssigned" },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        tags,
      },
      {
        parent: this,
        // Azure cannot change customData on a VM (PropertyChangeNotAllowed, or a stored value
        // cloud-init never reads again; azure-native's docs: "cannot be updated after the VM is
        // created"), and azure-native does not replace on it (pulumi-azure-native#577). The
        // payload carries the host key and the bootstrap: a change means a new VM, as on EC2.
        //
        // Nor can it change the image a VM was created from: a rebake hands out a new gallery
        // definition id, which azure-native sends as an update that Azure refuses
        // (PropertyChangeNotAllowed on imageReference.id, pulumi-azure-native#1117). So a new
        // image is a new VM too. The engine treats a path as covering every path under it
        // (pulumi/pulumi step_generator.go applyReplaceOnChanges: PropertyPath.Contains), so a
        // marketplace reference's publisher/offer/sku/version are covered as well.
        replaceOnChanges: ["osProfile.customData", "storageProfile.imageReference"],
        // The data disk attaches to one VM at a time: the old VM goes first.
        deleteBeforeReplace: true,
      },
    );

    // The identity's grants exist before the host's first pull or secret read.
    const principalId = vm.identity.apply((i) => i?.principalId ?? "");
    const grants = assignVmRoles(
      vmGrants(name, args.acrRegistries, args.containers),
      principalId,
      this,
    );
    const privateIp = nic.ipConfigurations.apply((c) => c?.[0]?.privateIPAddress ?? "");
    const publicAddress = publicIp ? publicIp.ipAddress.apply((ip) => ip ?? "") : privateIp;
    // Through Bastion, SSH reaches the VM's private address; the tunnel names the VM by its id.
    const bastion = net.bastion;
    const runtime = attachHostRuntime(name, this, {
      dockerContext: args.dockerContext,
      arch: host.arch,
      address: bastion ? privateIp : publicAddress,
      port: 22,
      user: host.sshUser,
      hostKey,
      privateKey: args.sshPrivateKey,
      ...(bastion
        ? {
            sshAccess: "session" as const,
            proxyCommand: pulumi
              .all([bastion.name, bastion.resourceGroupName, vm.id])
              .apply(([b, g, id]) => azureBastionProxyCommand(b, g, id)),
          }
        : {}),
      publicAddress,
      machineId: vm.vmId.apply((id) => id ?? ""),
      dependsOn: [vm, ...grants],
      containers: withAcrPulls(args.containers, args.acrRegistries, args.registries),
      registries: args.registries,
      networks: args.networks,
      volumes: args.volumes,
      removeVolumesOnDelete: args.removeVolumesOnDelete,
      edge: args.edge,
      selinuxRelabel,
      ...servicesHardening(host.hardening),
      ...(logStore
        ? {
            afterGate: (gate: pulumi.Resource, gated: GatedHost) =>
              attachMonitorAgent(
                name,
                { vm, resourceGroupName, location, rule: logStore.rule, tags },
                gate,
                gated,
                this,
              ),
          }
        : {}),
    });

    publishHost(
      this,
      {
        publicIp: publicAddress,
        privateIp,
        address: publicAddress,
        user: host.sshUser,
        hostKey,
        runtime,
      },
      { principalId, vmId: vm.vmId },
    );
  }
}
