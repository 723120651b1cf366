import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  BUS_PORT_MAX,
  BUS_PORT_MIN,
  busMac,
  busProblems,
  fleetBusFor,
} from "../../components/local/fleet-bus";

describe("a local fleet's bus", () => {
  it.each([
    ["dockerhost/local/app", { group: "239.255.203.203", port: 50758 }],
    ["dockerhost/dev/app", { group: "239.255.88.181", port: 27466 }],
    ["dockerhost/local/app2", { group: "239.255.139.137", port: 42895 }],
  ])("is the same for %s at every up, and another for another fleet", (scope, bus) => {
    expect(fleetBusFor(scope)).toStrictEqual(bus);
  });

  it("always gives an administratively scoped group and a port in range", () => {
    fc.assert(
      fc.property(fc.string(), (scope) => {
        const { group, port } = fleetBusFor(scope);
        expect(busProblems(group, port)).toStrictEqual([]);
        expect(group).toMatch(/^239\.255\.\d{1,3}\.\d{1,3}$/);
        expect(port).toBeGreaterThanOrEqual(BUS_PORT_MIN);
        expect(port).toBeLessThanOrEqual(BUS_PORT_MAX);
      }),
    );
  });

  it.each([
    ["10.10.0.11", "52:54:00:0a:00:0b"],
    ["10.10.0.21", "52:54:00:0a:00:15"],
    ["192.168.200.254", "52:54:00:a8:c8:fe"],
  ])("gives %s's NIC the MAC %s", (address, mac) => {
    expect(busMac(address)).toBe(mac);
  });

  it.each([
    [
      "239.300.0.1",
      40000,
      [
        'privateNetwork.group: "239.300.0.1" is not an administratively scoped multicast group (239.0.0.0/8). Use localFleetNetwork(name).group.',
      ],
    ],
    [
      "239.1.2.3",
      65536,
      [
        "privateNetwork.port: 65536 is not a UDP port from 1024 to 65535. Use localFleetNetwork(name).port.",
      ],
    ],
    ["239.1.2.3", 1024, []],
  ])("checks group %s and port %s", (group, port, problems) => {
    expect(busProblems(group, port)).toStrictEqual(problems);
  });
});
