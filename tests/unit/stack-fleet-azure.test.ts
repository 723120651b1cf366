import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { swarmInitScript, swarmJoinScript } from "../../components/swarm/swarm-commands";
import { FLEET_COMMANDS, FLEET_NODES, runFleetStack } from "../support/fleet-stack-config";
import { byName, isSecretInput, plain, useMocks, valueOf } from "../support/pulumi-mocks";

const recorded = useMocks("fleet-azure");

interface NsgRule {
  name: string;
  priority: number;
  access: string;
  protocol: string;
  destinationPortRange: string;
  sourceAddressPrefix?: string;
  sourceApplicationSecurityGroups?: { id: string }[];
}

describe("a stack's fleet on Azure (dockerhost:fleet: 3 managers + 2 workers, strict)", () => {
  it("builds five VMs in one subnet, an application security group that admits only them, one swarm", async () => {
    const { stack, of } = await runFleetStack("azure", recorded);
    expect(await valueOf(stack.nodeIds)).toStrictEqual(
      Object.fromEntries(FLEET_NODES.map((n) => [n, `id-app-swarm-${n}`])),
    );

    // One group, one VNet and one application security group for the fleet; none per member.
    expect(of("azure-native:resources:ResourceGroup")).toStrictEqual(["app-fleet-rg"]);
    expect(of("azure-native:network:VirtualNetwork")).toStrictEqual(["app-fleet-vnet"]);
    expect(of("azure-native:network:Subnet")).toStrictEqual(["app-fleet-subnet"]);
    expect(of("azure-native:network:ApplicationSecurityGroup")).toStrictEqual(["app-fleet-asg"]);
    expect(of("dockerhost:index:AzureDockerHost")).toStrictEqual(
      FLEET_NODES.map((n) => `app-${n}`),
    );

    for (const node of FLEET_NODES) {
      const nic = byName(recorded, `app-${node}-nic`).inputs;
      expect(nic.resourceGroupName).toBe("rg-generated");
      const [ip] = plain(nic.ipConfigurations) as Record<string, unknown>[];
      expect(ip.subnet).toStrictEqual({ id: "app-fleet-subnet-id" });
      expect(ip.applicationSecurityGroups).toStrictEqual([{ id: "app-fleet-asg-id" }]);

      const rules = plain(byName(recorded, `app-${node}-nsg`).inputs.securityRules) as NsgRule[];
      // The swarm's ports (ESP too: strict encrypts overlays) from the fleet's members only,
      // then SSH from the configured CIDR, then the denials of Azure's default allows.
      expect(
        rules.map((r) => [
          r.name,
          r.priority,
          r.access,
          r.protocol,
          r.destinationPortRange,
          r.sourceAddressPrefix ?? r.sourceApplicationSecurityGroups,
        ]),
      ).toStrictEqual([
        ["swarm-manage-2377-tcp", 900, "Allow", "Tcp", "2377", [{ id: "app-fleet-asg-id" }]],
        ["swarm-gossip-7946-tcp", 901, "Allow", "Tcp", "7946", [{ id: "app-fleet-asg-id" }]],
        ["swarm-gossip-7946-udp", 902, "Allow", "Udp", "7946", [{ id: "app-fleet-asg-id" }]],
        ["swarm-overlay-4789-udp", 903, "Allow", "Udp", "4789", [{ id: "app-fleet-asg-id" }]],
        ["swarm-overlay-esp", 904, "Allow", "Esp", "*", [{ id: "app-fleet-asg-id" }]],
        ["ssh-203-0-113-7-32", 1000, "Allow", "Tcp", "22", "203.0.113.7/32"],
        ["deny-vnet-inbound", 4095, "Deny", "*", "*", "VirtualNetwork"],
        ["deny-load-balancer-inbound", 4096, "Deny", "*", "*", "AzureLoadBalancer"],
      ]);
    }

    expect(of("command:remote:Command").filter((n) => n.startsWith("app-swarm-"))).toStrictEqual(
      FLEET_COMMANDS,
    );
    expect(byName(recorded, "app-swarm-m1-init").inputs.create).toBe(
      swarmInitScript("m1", { address: "10.43.1.11", availability: "drain" }, true, true),
    );
    const join = byName(recorded, "app-swarm-m3-join").inputs;
    expect(join.create).toBe(
      swarmJoinScript("m3", { address: "10.43.1.13", availability: "drain" }, "10.43.1.11"),
    );
    expect((plain(join.connection) as { host: string }).host).toBe("20.50.60.13");
    expect(isSecretInput(join.stdin)).toBe(true);
    expect(plain(join.stdin)).toBe("SWMTKN-1-manager\n");

    expect(of("docker:index/service:Service")).toStrictEqual(["app-services-web"]);
    expect(await valueOf(stack.dockerHost)).toBe("ssh://azureuser@20.50.60.11:22");
    expect(await valueOf(stack.unlockKey)).toBe("SWMKEY-1-unlock");
    expect(await pulumi.isSecret(stack.unlockKey)).toBe(true);
  });
});
