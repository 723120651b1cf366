import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYER_PUBLIC_KEY,
  HOST_PUBLIC_KEY,
  byName,
  isSecretInput,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { AzureDockerHost } from "../../components/azure/azure-docker-host";
import { bastionProblems } from "../../components/azure/bastion";
import { azureBastionProxyCommand } from "../../components/remote/bastion-proxy";

import { configProblems } from "../support/config-problems";

describe("bastionProblems", () => {
  it.each<[string, Parameters<typeof bastionProblems>[0], string[]]>([
    ["a host of its own", { sshAccess: "session" }, []],
    [
      "a given subnet without its Bastion",
      { sshAccess: "session", subnetId: "/s" },
      [
        'bastion: required with sshAccess: "session" and subnetId: the host is in your VNet, where dockerhost does not make a Bastion. Give your Bastion (Standard SKU or above, native client support on) as { name, resourceGroupName, subnetCidr }, or leave subnetId out so that the host makes its own VNet and Bastion.',
      ],
    ],
    [
      "a subnet too small and a Bastion without a session",
      { bastion: { name: "b", resourceGroupName: "g", subnetCidr: "10.0.0.0/27" } },
      ['bastion: only used with sshAccess: "session". Remove it, or set sshAccess: "session".'],
    ],
    [
      "a subnet too small",
      { sshAccess: "session", bastionSubnetCidr: "10.43.2.0/27" },
      [
        'bastionSubnetCidr: 10.43.2.0/27 is smaller than Bastion\'s subnet must be (/26 or larger, e.g. "10.43.2.0/26").',
      ],
    ],
    [
      "an address that is no CIDR",
      {
        sshAccess: "session",
        subnetId: "/s",
        bastion: { name: "b", resourceGroupName: "g", subnetCidr: "10.0.0.0" },
      },
      ['bastion.subnetCidr: "10.0.0.0" is no IPv4 CIDR, e.g. "10.43.2.0/26".'],
    ],
    [
      "your Bastion without your subnet",
      {
        sshAccess: "session",
        bastion: { name: "b", resourceGroupName: "g", subnetCidr: "10.9.0.0/26" },
      },
      [
        "bastion: only used with subnetId: without one the host makes a VNet of its own, which your Bastion cannot reach. Give the subnet (in the Bastion's VNet or one peered with it) as subnetId, or remove bastion so that the host makes its own.",
      ],
    ],
    [
      "the default Bastion subnet outside a VNet of the user's",
      { sshAccess: "session", vnetCidr: "10.50.0.0/16", subnetCidr: "10.50.1.0/24" },
      [
        "bastionSubnetCidr (default): 10.43.2.0/26 is outside the host's VNet 10.50.0.0/16. Give a /26 inside vnetCidr.",
      ],
    ],
    [
      "a Bastion subnet over the host's",
      { sshAccess: "session", bastionSubnetCidr: "10.43.1.0/26" },
      [
        "bastionSubnetCidr: 10.43.1.0/26 overlaps the host's subnet 10.43.1.0/24. Give a /26 beside subnetCidr in vnetCidr.",
      ],
    ],
  ])("%s", (_, args, problems) => {
    expect(bastionProblems(args)).toStrictEqual(problems);
  });
});

describe('AzureDockerHost with sshAccess: "session"', () => {
  it("makes a Standard Bastion with native client support, opens 22 to its subnet only, and runs every step through it", async () => {
    const host = new AzureDockerHost("ab1", {
      os: "debian-12",
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      sshPrivateKey: pulumi.secret("PRIVATE"),
      sshAccess: "session",
      location: "westeurope",
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          ports: [{ internal: 8080, external: 443, allowedCidrs: ["198.51.100.0/24"] }],
        },
      ],
    });
    await valueOf(host.ready);
    await settle(recorded);
    const mine = recorded.filter((r) => r.name.startsWith("ab1-"));
    expect(byName(mine, "ab1-bastion-subnet").inputs).toMatchObject({
      resourceGroupName: "rg-generated",
      virtualNetworkName: "vnet-generated",
      subnetName: "AzureBastionSubnet",
      addressPrefix: "10.43.2.0/26",
    });
    const bastion = byName(mine, "ab1-bastion").inputs;
    expect(bastion.sku).toStrictEqual({ name: "Standard" });
    expect(bastion.enableTunneling).toBe(true);
    expect(byName(mine, "ab1-bastion-ip").inputs.sku).toStrictEqual({ name: "Standard" });
    const rules = (byName(mine, "ab1-nsg").inputs.securityRules as Record<string, unknown>[])
      .filter((r) => r.access === "Allow")
      .map((r) => `${String(r.destinationPortRange)} from ${String(r.sourceAddressPrefix)}`);
    expect(rules).toStrictEqual(["22 from 10.43.2.0/26", "443 from 198.51.100.0/24"]);
    const steps = mine.filter((r) => r.type.startsWith("command:"));
    expect(steps.every((r) => r.type === "command:local:Command")).toBe(true);
    const gate = byName(mine, "ab1-ready").inputs;
    expect(isSecretInput(gate.environment)).toBe(true);
    expect(plain(gate.environment)).toStrictEqual({
      DOCKERHOST_SSH_KNOWN_HOSTS: `10.43.1.4 ${HOST_PUBLIC_KEY}`,
      DOCKERHOST_SSH_TARGET: "azureuser@10.43.1.4",
      DOCKERHOST_SSH_PORT: "22",
      DOCKERHOST_SSH_PROXY: azureBastionProxyCommand(
        "bastion-generated",
        "rg-generated",
        "ab1-vm-id",
      ),
      DOCKERHOST_SSH_KEY: "PRIVATE",
    });
    // The containers' endpoints stay at the address clients reach.
    expect(await valueOf(host.endpoints)).toStrictEqual({ web: ["20.50.60.70:443"] });
  });

  it("refuses sshAllowedCidrs with a session, and a given subnet without its Bastion, at preview", () => {
    expect(
      configProblems(
        () =>
          new AzureDockerHost("ab2", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAccess: "session",
            sshAllowedCidrs: ["203.0.113.7/32"],
            subnetId:
              "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/a",
          }),
      ),
    ).toStrictEqual([
      'bastion: required with sshAccess: "session" and subnetId: the host is in your VNet, where dockerhost does not make a Bastion. Give your Bastion (Standard SKU or above, native client support on) as { name, resourceGroupName, subnetCidr }, or leave subnetId out so that the host makes its own VNet and Bastion.',
      'sshAllowedCidrs: not used with sshAccess: "session", where SSH comes through the session service and no range of yours reaches port 22. Remove sshAllowedCidrs, or set sshAccess: "direct" to dial port 22 from those ranges.',
    ]);
  });
});
