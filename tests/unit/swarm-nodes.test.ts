import { describe, expect, it } from "@jest/globals";
import {
  managerFaultTolerance,
  swarmMemberProblems,
  type SwarmMember,
} from "../../components/swarm/swarm-nodes";
import { privateAddressProblem } from "../../components/core/private-address";

const m = (name: string): SwarmMember => ({ name, role: "manager" });
const w = (name: string): SwarmMember => ({ name, role: "worker" });

describe("a swarm's members", () => {
  it.each([
    ["one manager (a one-host swarm)", [m("a")]],
    ["one manager and workers", [m("a"), w("b"), w("c")]],
    ["three managers and two workers", [m("a"), m("b"), m("c"), w("d"), w("e")]],
    ["seven managers", ["a", "b", "c", "d", "e", "f", "g"].map(m)],
  ])("accepts %s", (_, nodes) => {
    expect(swarmMemberProblems(nodes)).toStrictEqual([]);
  });

  it.each<[string, SwarmMember[], string[]]>([
    [
      "no node",
      [],
      ['nodes: a swarm needs at least one node, a manager (nodes: [{ role: "manager", ... }]).'],
    ],
    [
      "two managers",
      [m("a"), m("b"), w("c")],
      [
        "nodes: 2 managers tolerate the loss of 0, no more than 1 would: a swarm needs a majority of its managers. Use 1 or 3 managers.",
      ],
    ],
    [
      "four managers",
      [m("a"), m("b"), m("c"), m("d")],
      [
        "nodes: 4 managers tolerate the loss of 1, no more than 3 would: a swarm needs a majority of its managers. Use 3 or 5 managers.",
      ],
    ],
    [
      "nine managers",
      ["a", "b", "c", "d", "e", "f", "g", "h", "i"].map(m),
      [
        "nodes: 9 managers; Docker advises at most 7 (every write waits for a majority of them). Make the others workers.",
      ],
    ],
    [
      "a worker first",
      [w("a"), m("b")],
      [
        "nodes[0].role: the first node initializes the swarm, so it must be a manager. Put a manager first.",
      ],
    ],
    [
      "a name twice",
      [m("a"), w("b"), w("b")],
      [
        'nodes[2].name: "b" is already the name of nodes[1]. Node names are unique: a removed name is a node drained and removed.',
      ],
    ],
    [
      "a name that is not one",
      [m("Web_1")],
      [
        'nodes[0].name: "Web_1" is not a node name. Use lowercase letters, digits and "-" (at most 63), starting and ending with a letter or digit.',
      ],
    ],
    [
      "a role that is not one",
      [m("a"), { name: "b", role: "leader" as SwarmMember["role"] }],
      ['nodes[1].role: "leader" is not a role. Use "manager" or "worker".'],
    ],
  ])("refuses %s", (_, nodes, problems) => {
    expect(swarmMemberProblems(nodes)).toStrictEqual(problems);
  });

  it("tolerates the loss of a minority of managers", () => {
    expect([1, 2, 3, 4, 5, 7].map(managerFaultTolerance)).toStrictEqual([0, 0, 1, 1, 2, 3]);
  });
});

describe("a swarm member's address", () => {
  it.each([
    "10.0.1.5",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.7.9",
    "100.64.3.4",
    "fd12:3456::1",
  ])("accepts the private address %s", (address) => {
    expect(privateAddressProblem(address)).toBeUndefined();
  });

  it.each([
    [
      "203.0.113.10",
      "203.0.113.10 is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.",
    ],
    [
      "172.32.0.1",
      "172.32.0.1 is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.",
    ],
    [
      "2001:db8::1",
      "2001:db8::1 is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.",
    ],
    ...["fc::1", "fd::1", "fc0::1"].map((a) => [
      a,
      `${a} is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.`,
    ]),
    [
      "eth1",
      "\"eth1\" is not an IP address. Give the host's address on the fleet's private network (its privateIp output).",
    ],
  ])("refuses %s", (address, problem) => {
    expect(privateAddressProblem(address)).toBe(problem);
  });
});
