import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { byName, settle, useMocks } from "../support/pulumi-mocks";

const recorded = useMocks();
import { awsFleetSecurityGroup } from "../../components/aws/fleet-firewall";
import { swarmPortRules } from "../../components/swarm/swarm-ports";

class Parent extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Parent", name, {});
  }
}

describe("a fleet's swarm ports", () => {
  it("are Docker's list, with ESP only where overlays are encrypted", () => {
    expect(swarmPortRules(false).map((r) => `${r.port ?? "-"}/${r.protocol}`)).toStrictEqual([
      "2377/tcp",
      "7946/tcp",
      "7946/udp",
      "4789/udp",
    ]);
    expect(swarmPortRules(true).map((r) => `${r.port ?? "-"}/${r.protocol}`)).toStrictEqual([
      "2377/tcp",
      "7946/tcp",
      "7946/udp",
      "4789/udp",
      "-/esp",
    ]);
  });

  it("open on AWS to the fleet's own group only, never to a CIDR", async () => {
    awsFleetSecurityGroup("f1", "vpc-1", true, { team: "edge" }, new Parent("p1"));
    await settle(recorded);
    const rules = recorded.filter((r) => r.name.startsWith("f1-fleet-in-"));
    // Registration order follows the inputs' resolution: compared in name order.
    expect(rules.map((r) => r.name).sort()).toStrictEqual([
      "f1-fleet-in-gossip-7946-tcp",
      "f1-fleet-in-gossip-7946-udp",
      "f1-fleet-in-manage-2377-tcp",
      "f1-fleet-in-overlay-4789-udp",
      "f1-fleet-in-overlay-esp",
    ]);
    for (const rule of rules) {
      expect(rule.type).toBe("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      expect(rule.inputs.securityGroupId).toBe("f1-fleet-sg-id");
      expect(rule.inputs.referencedSecurityGroupId).toBe("f1-fleet-sg-id");
      expect(rule.inputs.cidrIpv4).toBeUndefined();
      expect(rule.inputs.cidrIpv6).toBeUndefined();
    }
    expect(byName(recorded, "f1-fleet-in-manage-2377-tcp").inputs).toMatchObject({
      ipProtocol: "tcp",
      fromPort: 2377,
      toPort: 2377,
    });
    const esp = byName(recorded, "f1-fleet-in-overlay-esp").inputs;
    expect([esp.ipProtocol, esp.fromPort, esp.toPort]).toStrictEqual(["50", undefined, undefined]);
    expect(byName(recorded, "f1-fleet-sg").inputs).toMatchObject({
      vpcId: "vpc-1",
      revokeRulesOnDelete: true,
    });
  });
});
