import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  HOST_PUBLIC_KEY,
  byName,
  isSecretInput,
  optionsRecorder,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { DockerSwarm, type SwarmNodeArgs } from "../../components/swarm/docker-swarm";
import {
  nodeAdmitScript,
  nodeRetireScript,
  rejoinTokenScript,
  swarmInitScript,
  swarmJoinScript,
} from "../../components/swarm/swarm-commands";
import { configProblems } from "../support/config-problems";

const { byName: optionsByName, record: recordOptions } = optionsRecorder();

/** A fleet host as DockerSwarm receives it: its connection, its private address, its gate. */
const host = (name: string, role: SwarmNodeArgs["role"], n: number): SwarmNodeArgs => ({
  name,
  role,
  connection: {
    host: `198.51.100.${n}`,
    user: "debian",
    hostPublicKey: HOST_PUBLIC_KEY,
    privateKey: pulumi.secret("PRIVATE"),
  },
  privateAddress: pulumi.output(`10.0.1.${n}`),
  ready: pulumi.output("27.3.1"),
});

const FLEET = [
  host("m1", "manager", 11),
  host("m2", "manager", 12),
  host("m3", "manager", 13),
  host("w1", "worker", 21),
  host("w2", "worker", 22),
];

async function build(name: string, nodes: SwarmNodeArgs[], autolock = false) {
  const swarm = new DockerSwarm(name, { nodes, autolock }, { transformations: [recordOptions] });
  await valueOf(swarm.nodeIds);
  await settle(recorded);
  return swarm;
}

/** The children, in name order: those that wait for an output register when it resolves. */
const children = (prefix: string) =>
  recorded
    .filter((r) => r.name.startsWith(`${prefix}-`))
    .map((r) => `${r.type} ${r.name}`)
    .sort();
const onHost = (resource: string) =>
  plain(byName(recorded, resource).inputs.connection) as Record<string, unknown>;

describe("DockerSwarm", () => {
  it("makes a swarm of 3 managers and 2 workers: exact commands, each on its node", async () => {
    const swarm = await build("sw", FLEET, true);
    expect(children("sw")).toStrictEqual([
      "command:remote:Command sw-m1-admit",
      "command:remote:Command sw-m1-init",
      "command:remote:Command sw-m2-admit",
      "command:remote:Command sw-m2-join",
      "command:remote:Command sw-m2-rejoin-token",
      "command:remote:Command sw-m3-admit",
      "command:remote:Command sw-m3-join",
      "command:remote:Command sw-m3-rejoin-token",
      "command:remote:Command sw-manager-token",
      "command:remote:Command sw-unlock-key",
      "command:remote:Command sw-w1-admit",
      "command:remote:Command sw-w1-join",
      "command:remote:Command sw-w2-admit",
      "command:remote:Command sw-w2-join",
      "command:remote:Command sw-worker-token",
    ]);
    const init = byName(recorded, "sw-m1-init").inputs;
    expect(onHost("sw-m1-init")).toStrictEqual({
      host: "198.51.100.11",
      port: 22,
      user: "debian",
      privateKey: "PRIVATE",
      hostKey: HOST_PUBLIC_KEY,
      // The provider's defaults, filled in by its SDK.
      dialErrorLimit: 10,
      perDialTimeout: 15,
    });
    // Managers run no tasks while the swarm has workers. m2 and m3 are the relays: a new host in
    // m1's place joins through the first of them that is in the swarm.
    expect(init.create).toBe(
      swarmInitScript("m1", { address: "10.0.1.11", availability: "drain" }, true, true),
    );
    // No leave on delete: an old copy's delete would run on an old host a replacement stopped.
    expect(init.delete).toBeUndefined();
    expect(init.triggers).toStrictEqual(["27.3.1"]);
    // A first deploy: no relay is in a swarm yet, so the line is empty and m1 makes it.
    expect(isSecretInput(init.stdin)).toBe(true);
    expect(plain(init.stdin)).toBe("\n");
    for (const [relay, n] of [
      ["m2", 12],
      ["m3", 13],
    ] as const) {
      const rejoin = byName(recorded, `sw-${relay}-rejoin-token`).inputs;
      expect(onHost(`sw-${relay}-rejoin-token`).host).toBe(`198.51.100.${n}`);
      expect(rejoin.create).toBe(rejoinTokenScript(relay));
      expect(rejoin.logging).toBe("stderr");
      // Without m1's machineId: read again when its host key changes, and once the relay's
      // host is ready (a replaced VM keeps its key: the stack gives machineId, below).
      expect(rejoin.triggers).toStrictEqual([HOST_PUBLIC_KEY, "27.3.1"]);
      expect(optionsByName.get(`sw-${relay}-rejoin-token`)?.additionalSecretOutputs).toStrictEqual([
        "stdout",
        "connection",
      ]);
    }
    // Making and joining are one step per node: a manager moved first is updated, not replaced.
    expect(optionsByName.get("sw-m1-init")?.aliases).toStrictEqual([{ name: "sw-m1-join" }]);
    expect(optionsByName.get("sw-m2-join")?.aliases).toStrictEqual([{ name: "sw-m2-init" }]);

    for (const [node, n, role] of [
      ["m2", 12, "manager"],
      ["w1", 21, "worker"],
    ] as const) {
      const join = byName(recorded, `sw-${node}-join`).inputs;
      expect(onHost(`sw-${node}-join`).host).toBe(`198.51.100.${n}`);
      expect(join.create).toBe(
        swarmJoinScript(
          node,
          { address: `10.0.1.${n}`, availability: role === "manager" ? "drain" : "active" },
          "10.0.1.11",
        ),
      );
      // The token reaches the node on stdin, a secret in state, never in the command text.
      expect(isSecretInput(join.stdin)).toBe(true);
      expect(plain(join.stdin)).toBe(`SWMTKN-1-${role}\n`);
      expect(join.delete).toBeUndefined();
    }

    for (const read of ["sw-worker-token", "sw-manager-token", "sw-unlock-key"]) {
      expect(onHost(read).host).toBe("198.51.100.11");
      expect(byName(recorded, read).inputs.logging).toBe("stderr");
      // stdout ours; connection the Command SDK's own.
      expect(optionsByName.get(read)?.additionalSecretOutputs).toStrictEqual([
        "stdout",
        "connection",
      ]);
    }
    expect(byName(recorded, "sw-manager-token").inputs.create).toBe(
      "docker swarm join-token -q manager",
    );

    const admitW2 = byName(recorded, "sw-w2-admit").inputs;
    expect(onHost("sw-w2-admit").host).toBe("198.51.100.11");
    expect(admitW2.create).toBe(
      nodeAdmitScript("w2", "id-sw-w2", { address: "10.0.1.22", availability: "active" }),
    );
    expect(admitW2.delete).toBe(nodeRetireScript("w2", "id-sw-w2"));
    // The founder is retired only with the swarm.
    expect(byName(recorded, "sw-m1-admit").inputs.delete).toBeUndefined();

    expect(await valueOf(swarm.nodeIds)).toStrictEqual({
      m1: "id-sw-m1",
      m2: "id-sw-m2",
      m3: "id-sw-m3",
      w1: "id-sw-w1",
      w2: "id-sw-w2",
    });
    expect(await valueOf(swarm.dockerHost)).toBe("ssh://debian@198.51.100.11:22");
    expect(await valueOf(swarm.managerAddress)).toBe("198.51.100.11");
    expect(await valueOf(swarm.unlockKey)).toBe("SWMKEY-1-unlock");
    expect(await pulumi.isSecret(swarm.unlockKey)).toBe(true);
  });

  it("gives its consumers the swarm only once every node is admitted: dockerHost and managerConnection carry the admit steps", async () => {
    const swarm = await build("formed", FLEET, false);
    // An Output's resources are what a resource taking it as an input depends on (the SDK's
    // OutputImpl.allResources): SwarmServices' provider and services then wait for these steps.
    const carried = async (out: pulumi.Output<unknown>) => {
      const resources = await (
        out as unknown as { allResources(): Promise<Set<pulumi.Resource>> }
      ).allResources();
      const urns = await Promise.all([...resources].map((r) => valueOf(r.urn)));
      return urns.map((u) => u.split("::").pop()).sort();
    };
    const admits = FLEET.map((n) => `formed-${n.name}-admit`).sort();
    expect((await carried(swarm.dockerHost)).filter((n) => n?.endsWith("-admit"))).toStrictEqual(
      admits,
    );
    expect(
      (await carried(swarm.managerConnection)).filter((n) => n?.endsWith("-admit")),
    ).toStrictEqual(admits);
  });

  const INIT_STDOUT = "id-rot-m1\n"; // the mocks' stdout of the first manager's step
  it("reads the relays' tokens again when the first manager's machine is new (its machineId)", async () => {
    const nodes = FLEET.slice(0, 3).map((n) => ({
      ...n,
      machineId: pulumi.output(`i-${n.name}-0002`),
    }));
    await build("mid", nodes);
    for (const relay of ["m2", "m3"]) {
      // The first manager's machine, not the relay's own: only m1's replacement needs the line.
      expect(plain(byName(recorded, `mid-${relay}-rejoin-token`).inputs.triggers)).toStrictEqual([
        "i-m1-0002",
        "27.3.1",
      ]);
    }
    // The membership steps keep their triggers: the engine version, which a replaced VM of the
    // same image keeps (on AWS the step is updated, re-running its create on the new host).
    expect(plain(byName(recorded, "mid-m1-init").inputs.triggers)).toStrictEqual(["27.3.1"]);
    expect(plain(byName(recorded, "mid-m2-join").inputs.triggers)).toStrictEqual(["27.3.1"]);
  });

  it("rotates both join tokens when rotateJoinTokens changes, then reads them again", async () => {
    const swarm = new DockerSwarm(
      "rot",
      { nodes: FLEET, rotateJoinTokens: "2026-12-02" },
      { transformations: [recordOptions] },
    );
    await valueOf(swarm.nodeIds);
    await settle(recorded);
    const rotate = byName(recorded, "rot-rotate-join-tokens").inputs;
    expect(onHost("rot-rotate-join-tokens").host).toBe("198.51.100.11");
    expect(rotate.create).toBe(
      "docker swarm join-token --rotate -q worker >/dev/null && docker swarm join-token --rotate -q manager >/dev/null",
    );
    expect(rotate.triggers).toStrictEqual(["2026-12-02"]);
    const names = (r: unknown) => (r as { __name?: string }).__name;
    expect(
      (optionsByName.get("rot-rotate-join-tokens")?.dependsOn as unknown[]).map(names),
    ).toStrictEqual(["rot-m1-init"]);
    for (const read of ["rot-worker-token", "rot-manager-token"]) {
      const triggers = plain(byName(recorded, read).inputs.triggers) as unknown[];
      expect(triggers).toStrictEqual([INIT_STDOUT, "2026-12-02"]);
      expect((optionsByName.get(read)?.dependsOn as unknown[]).map(names)).toStrictEqual([
        "rot-m1-init",
        "rot-rotate-join-tokens",
      ]);
    }
    // Without the setting there is no rotate step, and the reads keep their one trigger.
    expect(recorded.some((r) => r.name === "sw-rotate-join-tokens")).toBe(false);
  });

  it("names only the missing privateAddress, not an empty swarm as well", () => {
    const noAddress: Partial<SwarmNodeArgs> = { ...host("m1", "manager", 11) };
    delete noAddress.privateAddress;
    expect(
      configProblems(() => new DockerSwarm("np", { nodes: [noAddress as SwarmNodeArgs] })),
    ).toStrictEqual([expect.stringMatching(/^nodes\[0\]\.privateAddress: /) as unknown as string]);
  });

  it("lets the managers of a swarm without workers run tasks: a one-host swarm", async () => {
    const swarm = await build("one", [host("solo", "manager", 31)]);
    expect(children("one")).toStrictEqual([
      "command:remote:Command one-solo-admit",
      "command:remote:Command one-solo-init",
    ]);
    // No other manager: no relay, nothing on stdin.
    expect(byName(recorded, "one-solo-init").inputs.create).toBe(
      swarmInitScript("solo", { address: "10.0.1.31", availability: "active" }, false),
    );
    expect(byName(recorded, "one-solo-init").inputs.stdin).toBeUndefined();
    expect(await valueOf(swarm.unlockKey)).toBe("");
  });

  it("refuses bad input before creating anything, listing every problem", () => {
    const before = recorded.length;
    expect(
      configProblems(
        () =>
          new DockerSwarm("bad", {
            nodes: [
              { ...host("w0", "worker", 1), privateAddress: "203.0.113.9" },
              host("m1", "manager", 2),
              host("m2", "manager", 3),
            ],
          }),
      ),
    ).toStrictEqual([
      "nodes[0].role: the first node initializes the swarm, so it must be a manager. Put a manager first.",
      "nodes: 2 managers tolerate the loss of 0, no more than 1 would: a swarm needs a majority of its managers. Use 1 or 3 managers.",
      "nodes[0].privateAddress: 203.0.113.9 is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.",
    ]);
    expect(
      configProblems(
        () =>
          new DockerSwarm("bad2", {
            nodes: [{ ...host("m1", "manager", 2), role: "boss" as SwarmNodeArgs["role"] }],
          }),
      ),
    ).toStrictEqual(['nodes[0].role: "boss" is not supported. Use one of: manager, worker.']);
    expect(recorded.length).toBe(before);
  });
});
