import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYER_PUBLIC_KEY,
  HOST_PUBLIC_KEY,
  byName,
  optionsRecorder,
  isSecretInput,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import {
  AzureDockerHost,
  type AzureDockerHostArgs,
} from "../../components/azure/azure-docker-host";
import { configProblems } from "../support/config-problems";

const { byName: optionsByName, record: recordOptions } = optionsRecorder();

async function build(name: string, extra: Partial<AzureDockerHostArgs> = {}) {
  const host = new AzureDockerHost(
    name,
    {
      os: "debian-12",
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      sshPrivateKey: pulumi.secret("KEY"),
      sshAllowedCidrs: ["203.0.113.7/32"],
      location: "westeurope",
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          ports: [{ internal: 8080, external: 443, allowedCidrs: ["198.51.100.0/24"] }],
        },
      ],
      ...extra,
    },
    { transformations: [recordOptions] },
  );
  await valueOf(host.endpoints);
  await valueOf(host.ready);
  await settle(recorded);
  return { host, mine: recorded.filter((r) => r.name.startsWith(name)) };
}

const problemsOf = (args: Partial<AzureDockerHostArgs>): string[] =>
  configProblems(
    () =>
      new AzureDockerHost("bad", {
        sshPublicKey: DEPLOYER_PUBLIC_KEY,
        sshAllowedCidrs: ["203.0.113.7/32"],
        ...args,
      }),
  );

describe("AzureDockerHost", () => {
  it("creates exactly the host's children, named from its name", async () => {
    const { mine } = await build("z1");
    expect(mine.map((r) => `${r.type} ${r.name}`).sort()).toStrictEqual(
      [
        "azure-native:compute:Disk z1-docker-data",
        "azure-native:compute:VirtualMachine z1-vm",
        "azure-native:network:NetworkInterface z1-nic",
        "azure-native:network:NetworkSecurityGroup z1-nsg",
        "azure-native:network:PublicIPAddress z1-ip",
        "azure-native:network:Subnet z1-subnet",
        "azure-native:network:VirtualNetwork z1-vnet",
        "azure-native:resources:ResourceGroup z1-rg",
        "command:remote:Command z1-ready",
        "command:local:Command z1-workstation",
        "docker:index/network:Network z1-services-network-default",
        "dockerhost:index:AzureDockerHost z1",
        "dockerhost:index:DockerServices z1-services",
        "docker:index/container:Container z1-services-web",
        "docker:index/remoteImage:RemoteImage z1-services-web-image",
        "pulumi:providers:docker z1-services-engine",
        "tls:index/privateKey:PrivateKey z1-host-key",
      ].sort(),
    );
  });

  it("boots with Trusted Launch, no passwords, a managed identity and boot diagnostics", async () => {
    const { host, mine } = await build("z2");
    // Azure's own id of the VM (vmId: a replaced VM of the same name gets a new one).
    expect(await valueOf(host.machineId)).toBe("vm-uuid-1");
    expect(plain(byName(mine, "z2-ready").inputs.triggers)).toStrictEqual(["vm-uuid-1"]);
    const vm = byName(mine, "z2-vm").inputs;
    expect(vm.securityProfile).toStrictEqual({
      securityType: "TrustedLaunch",
      uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
    });
    expect(vm.identity).toStrictEqual({ type: "SystemAssigned" });
    // Azure cannot change customData or the image in place: a new payload or image is a new
    // VM, the old one first.
    const vmOptions = optionsByName.get("z2-vm");
    expect(vmOptions?.replaceOnChanges).toStrictEqual([
      "osProfile.customData",
      "storageProfile.imageReference",
    ]);
    expect(vmOptions?.deleteBeforeReplace).toBe(true);
    expect(vm.diagnosticsProfile).toStrictEqual({ bootDiagnostics: { enabled: true } });
    expect(vm.hardwareProfile).toStrictEqual({ vmSize: "Standard_D2s_v5" });
    const osProfile = plain(vm.osProfile) as Record<string, unknown>;
    expect(osProfile.adminUsername).toBe("azureuser");
    expect(osProfile.linuxConfiguration).toStrictEqual({
      disablePasswordAuthentication: true,
      ssh: {
        publicKeys: [
          { path: "/home/azureuser/.ssh/authorized_keys", keyData: DEPLOYER_PUBLIC_KEY },
        ],
      },
      provisionVMAgent: true,
    });
    const storage = vm.storageProfile as Record<string, unknown>;
    expect(storage.imageReference).toStrictEqual({
      publisher: "Debian",
      offer: "debian-12",
      sku: "12-gen2",
      version: "latest",
    });
    expect(storage.dataDisks).toStrictEqual([
      {
        lun: 0,
        createOption: "Attach",
        managedDisk: { id: "z2-docker-data-id" },
        deleteOption: "Detach",
      },
    ]);
    const disk = byName(mine, "z2-docker-data").inputs;
    expect({
      create: disk.creationData,
      size: disk.diskSizeGB,
      sku: disk.sku,
      access: disk.networkAccessPolicy,
    }).toStrictEqual({
      create: { createOption: "Empty" },
      size: 30,
      sku: { name: "Premium_LRS" },
      access: "DenyAll",
    });
  });

  it("passes the same bootstrap as customData, secret, with Azure's data disk path", async () => {
    const { mine } = await build("z3");
    const raw = byName(mine, "z3-vm").inputs.osProfile as Record<string, unknown>;
    // The host's private key is in it: the secret covers customData as it travels.
    expect(isSecretInput(raw) || isSecretInput(raw.customData)).toBe(true);
    const osProfile = plain(raw) as Record<string, unknown>;
    const text = Buffer.from(String(osProfile.customData), "base64").toString("utf8");
    expect(text).toMatch(/^#cloud-config\n/);
    expect(
      text.includes(
        "for candidate in /dev/disk/azure/data/by-lun/0 /dev/disk/azure/scsi1/lun0; do",
      ),
    ).toBeTruthy();
    expect(text.includes(`ed25519_public: ${HOST_PUBLIC_KEY}`)).toBeTruthy();
    expect(text.includes("- name: azureuser\n")).toBeTruthy();
  });

  it("sends encryptionAtHost only when asked", async () => {
    const { mine } = await build("z7", { encryptionAtHost: true, containers: [] });
    expect(byName(mine, "z7-vm").inputs.securityProfile).toStrictEqual({
      securityType: "TrustedLaunch",
      uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
      encryptionAtHost: true,
    });
    const { mine: without } = await build("z8", { trustedLaunch: false, containers: [] });
    expect(byName(without, "z8-vm").inputs.securityProfile).toStrictEqual({});
  });

  it("opens SSH and each published port only to their CIDRs", async () => {
    const { mine } = await build("z4");
    expect(byName(mine, "z4-nsg").inputs.securityRules).toStrictEqual([
      {
        name: "ssh-203-0-113-7-32",
        description: "SSH from 203.0.113.7/32",
        priority: 1000,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "203.0.113.7/32",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "22",
      },
      {
        name: "web-443-tcp-198-51-100-0-24",
        description: "web 443/tcp from 198.51.100.0/24",
        priority: 1001,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "198.51.100.0/24",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "443",
      },
      {
        name: "deny-vnet-inbound",
        description: "Nothing from the virtual network but what a rule above names",
        priority: 4095,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "VirtualNetwork",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
      {
        name: "deny-load-balancer-inbound",
        description: "No load balancer traffic: the host has no load balancer in front",
        priority: 4096,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "AzureLoadBalancer",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
    ]);
    const ip = byName(mine, "z4-ip").inputs;
    expect({ sku: ip.sku, method: ip.publicIPAllocationMethod }).toStrictEqual({
      sku: { name: "Standard" },
      method: "Static",
    });
  });

  it("exposes the same outputs as every host, at the public IP", async () => {
    const { host } = await build("z5");
    expect(await valueOf(host.publicIp)).toBe("20.50.60.70");
    expect(await valueOf(host.privateIp)).toBe("10.43.1.4");
    expect(await valueOf(host.dockerHost)).toBe("ssh://azureuser@20.50.60.70");
    expect(await valueOf(host.endpoints)).toStrictEqual({ web: ["20.50.60.70:443"] });
    expect(await valueOf(host.ready)).toBe("27.3.1");
    expect(await valueOf(host.principalId)).toBe("principal-1");
  });

  it("uses a given resource group and subnet", async () => {
    const { mine } = await build("z6", {
      resourceGroupName: "rg-team",
      subnetId: "/subscriptions/s/.../subnets/app",
      containers: [],
    });
    expect(
      mine.some(
        (r) =>
          r.type === "azure-native:resources:ResourceGroup" ||
          r.type === "azure-native:network:VirtualNetwork",
      ),
    ).toBe(false);
    const nic = byName(mine, "z6-nic").inputs;
    expect(nic.resourceGroupName).toBe("rg-team");
    expect((nic.ipConfigurations as { subnet: { id: string } }[])[0].subnet.id).toBe(
      "/subscriptions/s/.../subnets/app",
    );
  });

  it("boots a gallery image by id (a bake's imageId) with the payload that checks it", async () => {
    const { mine } = await build("zb", {
      imageId:
        "/subscriptions/s/resourceGroups/img/providers/Microsoft.Compute/galleries/g/images/d",
      bakedImage: true,
    });
    const vm = byName(mine, "zb-vm").inputs as {
      storageProfile: { imageReference: unknown };
      osProfile: { customData: unknown };
    };
    expect(vm.storageProfile.imageReference).toStrictEqual({
      id: "/subscriptions/s/resourceGroups/img/providers/Microsoft.Compute/galleries/g/images/d",
    });
    expect(problemsOf({ bakedImage: true })).toStrictEqual([
      "bakedImage: true needs imageId, the bake's image (an AzureDockerHostImage's imageId output); the catalog's image holds no bake. Set imageId, or remove bakedImage to install at first boot.",
    ]);
    expect(
      problemsOf({ imageId: "/x", image: { publisher: "p", offer: "o", sku: "s" } }),
    ).toStrictEqual([
      "imageId: give either image (a marketplace image) or imageId (a gallery image), not both.",
    ]);
  });

  it("refuses what Azure would refuse, before any call", () => {
    expect(
      problemsOf({ arch: "arm64", vmSize: "Standard_D2s_v5", os: "ubuntu-24.04" }),
    ).toStrictEqual([
      'vmSize: Standard_D2s_v5 is an x86_64 size but arch is arm64. Use an arm64 size such as Standard_D2ps_v5, or set arch: "x86_64".',
    ]);
    expect(problemsOf({ os: "amazon-linux-2023" })).toStrictEqual([
      "os: amazon-linux-2023 has no x86_64 image on Azure in the catalog. Use ubuntu-24.04, debian-12, rhel-9, or pass image.",
    ]);
    expect(problemsOf({ vmSize: "Standard_D2_v3" })).toStrictEqual([
      "trustedLaunch: Standard_D2_v3 runs Generation 1 VMs only, which cannot use Trusted Launch. Pick a Gen2 size (e.g. Standard_D2s_v5), or set trustedLaunch: false.",
    ]);
    expect(problemsOf({ sshAllowedCidrs: [] })).toStrictEqual([
      "sshAllowedCidrs: empty. The deployer reaches the host over SSH; name the ranges it connects from (your workstation's address as \"203.0.113.7/32\", or your CI runners' egress range).",
    ]);
    expect(problemsOf({ vmSize: "big" })).toStrictEqual([
      'vmSize: "big" is not an Azure VM size. Use e.g. "Standard_D2s_v5".',
    ]);
    expect(problemsOf({ arch: "arm64", os: "debian-12", trustedLaunch: false })).toStrictEqual([]);
    expect(problemsOf({ arch: "arm64", os: "debian-12" })).toStrictEqual([]);
  });
});
