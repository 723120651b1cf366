import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { swarmInitScript, swarmJoinScript } from "../../components/swarm/swarm-commands";
import { FLEET_COMMANDS, FLEET_NODES, runFleetStack } from "../support/fleet-stack-config";
import { byName, isSecretInput, plain, useMocks, valueOf } from "../support/pulumi-mocks";

const recorded = useMocks("fleet-aws");

describe("a stack's fleet on AWS (dockerhost:fleet: 3 managers + 2 workers, strict)", () => {
  it("builds five hosts in one subnet, a group that admits only them, one swarm and its service", async () => {
    const { stack, of } = await runFleetStack("aws", recorded);
    expect(await valueOf(stack.nodeIds)).toStrictEqual(
      Object.fromEntries(FLEET_NODES.map((n) => [n, `id-app-swarm-${n}`])),
    );

    // One network for the fleet; the members bring none of their own.
    expect(of("aws:ec2/vpc:Vpc")).toStrictEqual(["app-fleet-vpc"]);
    expect(of("aws:ec2/subnet:Subnet")).toStrictEqual(["app-fleet-subnet"]);
    expect(of("dockerhost:index:AwsDockerHost")).toStrictEqual(FLEET_NODES.map((n) => `app-${n}`));
    expect(of("aws:ec2/securityGroup:SecurityGroup")).toStrictEqual([
      "app-fleet-sg",
      ...FLEET_NODES.map((n) => `app-${n}-sg`),
    ]);
    // The swarm's ports, ESP included (strict encrypts overlays), from the fleet's group only.
    const fleetRules = recorded.filter((r) => r.name.startsWith("app-fleet-in-"));
    expect(fleetRules.map((r) => r.name).sort()).toStrictEqual([
      "app-fleet-in-gossip-7946-tcp",
      "app-fleet-in-gossip-7946-udp",
      "app-fleet-in-manage-2377-tcp",
      "app-fleet-in-overlay-4789-udp",
      "app-fleet-in-overlay-esp",
    ]);
    for (const rule of fleetRules) {
      expect(rule.inputs.referencedSecurityGroupId).toBe("app-fleet-sg-id");
      expect(rule.inputs.cidrIpv4).toBeUndefined();
    }
    // No member's own group opens a swarm port: only SSH from the configured CIDR.
    const memberRules = recorded.filter((r) => /^app-[mw]\d-in-/.test(r.name));
    expect(memberRules.map((r) => r.name).sort()).toStrictEqual(
      FLEET_NODES.map((n) => `app-${n}-in-ssh-203-0-113-7-32`),
    );

    for (const node of FLEET_NODES) {
      const instance = byName(recorded, `app-${node}-instance`).inputs;
      expect(instance.subnetId).toBe("app-fleet-subnet-id");
      expect(instance.vpcSecurityGroupIds).toStrictEqual([`app-${node}-sg-id`, "app-fleet-sg-id"]);
    }

    expect(of("command:remote:Command").filter((n) => n.startsWith("app-swarm-"))).toStrictEqual(
      FLEET_COMMANDS,
    );
    // Managers are drained: the workers run the tasks. Every address is the private one; m2 is
    // the relay a new host in m1's place joins through.
    expect(byName(recorded, "app-swarm-m1-init").inputs.create).toBe(
      swarmInitScript("m1", { address: "10.42.1.11", availability: "drain" }, true, true),
    );
    // The relays read their token again when m1's instance is new (its machineId), not its key.
    for (const relay of ["m2", "m3"])
      expect(
        (
          plain(byName(recorded, `app-swarm-${relay}-rejoin-token`).inputs.triggers) as unknown[]
        )[0],
      ).toBe("i-0abc123");
    const join = byName(recorded, "app-swarm-w2-join").inputs;
    expect(join.create).toBe(
      swarmJoinScript("w2", { address: "10.42.1.22", availability: "active" }, "10.42.1.11"),
    );
    expect((plain(join.connection) as { host: string }).host).toBe("203.0.113.22");
    expect(isSecretInput(join.stdin)).toBe(true);

    const service = byName(recorded, "app-services-web").inputs;
    expect(plain(service.mode)).toStrictEqual({ replicated: { replicas: 4 } });
    expect((plain(service.endpointSpec) as { ports: unknown[] }).ports).toStrictEqual([
      { targetPort: 8080, publishedPort: 80, protocol: "tcp", publishMode: "ingress" },
    ]);

    expect(await valueOf(stack.dockerHost)).toBe("ssh://admin@203.0.113.11:22");
    expect(await valueOf(stack.managerAddress)).toBe("203.0.113.11");
    expect(await valueOf(stack.publicIps)).toStrictEqual({
      m1: "203.0.113.11",
      m2: "203.0.113.12",
      m3: "203.0.113.13",
      w1: "203.0.113.21",
      w2: "203.0.113.22",
    });
    expect(await valueOf(stack.unlockKey)).toBe("SWMKEY-1-unlock");
    expect(await pulumi.isSecret(stack.unlockKey)).toBe(true);
    expect(stack.publicIp).toBeUndefined();
  });
});
