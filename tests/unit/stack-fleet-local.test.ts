import { describe, expect, it } from "@jest/globals";
import { busMac, fleetBusFor } from "../../components/local/fleet-bus";
import type { LocalVmConfig } from "../../components/local/vm-config";
import { swarmInitScript, swarmJoinScript } from "../../components/swarm/swarm-commands";
import { FLEET_COMMANDS, FLEET_NODES, runFleetStack } from "../support/fleet-stack-config";
import { readStack } from "../../stacks/config";
import { inConfigTerms } from "../../stacks/config-keys";
import { buildFleet } from "../../stacks/fleet";
import { configProblems } from "../support/config-problems";
import { DEPLOYER_PUBLIC_KEY, byName, plain, useMocks, valueOf } from "../support/pulumi-mocks";

const recorded = useMocks("fleet-local");

/** The local fleet's config: the shared one, with the service on 8080 and SSH from 2400 on. */
const LOCAL = {
  sshAllowedCidrs: undefined,
  localSshPort: 2400,
  services: [
    {
      name: "web",
      image: "nginxinc/nginx-unprivileged:1.27-alpine@sha256:" + "a".repeat(64),
      replicas: 4,
      user: "101",
      cpus: "0.5",
      ports: [
        { internal: 8080, mode: "ingress" },
        { internal: 9090, mode: "host" },
      ],
      healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"] },
    },
  ],
};

describe("a stack's fleet on local QEMU (dockerhost:fleet: 3 managers + 2 workers, strict)", () => {
  it("builds five VMs on one private bus, each on its own SSH port, and one swarm", async () => {
    const { stack, of } = await runFleetStack("local", recorded, LOCAL);
    expect(of("dockerhost:index:LocalDockerHost")).toStrictEqual(
      FLEET_NODES.map((n) => `app-${n}`),
    );
    // No cloud network: the bus is the fleet's network.
    expect(recorded.filter((r) => /^(aws|azure-native):/.test(r.type))).toStrictEqual([]);
    const bus = fleetBusFor("dockerhost/fleet-local/app");
    FLEET_NODES.forEach((node, i) => {
      const vm = JSON.parse(
        String(plain(byName(recorded, `app-${node}-vm`).inputs.stdin)),
      ) as LocalVmConfig;
      const address = `10.10.0.${11 + i}`;
      expect(vm.sshPort).toBe(2400 + i);
      expect(vm.privateNetwork).toStrictEqual({ ...bus, mac: busMac(address) });
      expect(vm.userData).toContain(`ip addr replace ${address}/24`);
      // The first member forwards the ingress port: the routing mesh answers it on any member.
      // A host-mode port answers only where its task runs, so it is not forwarded.
      expect(vm.forwards).toStrictEqual(
        i === 0 ? [{ protocol: "tcp", hostPort: 8080, guestPort: 8080 }] : [],
      );
    });

    expect(of("command:remote:Command").filter((n) => n.startsWith("app-swarm-"))).toStrictEqual(
      FLEET_COMMANDS,
    );
    expect(byName(recorded, "app-swarm-m1-init").inputs.create).toBe(
      swarmInitScript("m1", { address: "10.10.0.11", availability: "drain" }, true, true),
    );
    expect(byName(recorded, "app-swarm-w2-join").inputs.create).toBe(
      swarmJoinScript("w2", { address: "10.10.0.15", availability: "active" }, "10.10.0.11"),
    );
    expect(
      (plain(byName(recorded, "app-swarm-w2-join").inputs.connection) as { port: number }).port,
    ).toBe(2404);

    expect(await valueOf(stack.dockerHost)).toBe("ssh://debian@127.0.0.1:2400");
    // Only the routing mesh's port has one address.
    expect(await valueOf(stack.endpoints)).toStrictEqual({ web: ["127.0.0.1:8080"] });
    expect(await valueOf(stack.publicIps)).toStrictEqual(
      Object.fromEntries(FLEET_NODES.map((n) => [n, "127.0.0.1"])),
    );
  });

  it("refuses a published port that is a member's SSH port, naming the keys", () => {
    const text: Record<string, string> = {
      cloud: "local",
      hostName: "app",
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      localSshPort: "8079",
      fleet: JSON.stringify({ managers: 3, workers: 2 }),
      services: JSON.stringify([
        { name: "web", image: "nginx:1.27", ports: [{ internal: 8080, mode: "ingress" }] },
      ]),
    };
    const plan = readStack({ project: "dockerhost", get: (k) => text[k], isSecret: () => false });
    expect(
      configProblems(() => inConfigTerms(plan, "dockerhost", () => buildFleet(plan, plan.fleet!))),
    ).toStrictEqual([
      "dockerhost:services: port 8080 is the SSH port of fleet member 2 (the members' SSH ports are 8079-8083, from localSshPort on); publish the service on another port or set localSshPort",
    ]);
  });
});
