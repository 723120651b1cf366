import { describe, expect, it } from "@jest/globals";
import { readComposeText } from "../../components/compose/compose-file";

// The keys real compose files carry that dockerhost refuses: each with its reason and fix, by
// the path the user wrote.

const NO_VARIABLES = { values: new Map<string, string>(), from: ".env" };

describe("refused compose keys", () => {
  it("say why and what to do, each at its own path", () => {
    const yaml = [
      "services:",
      "  proxy:",
      "    image: caddy:2",
      "    network_mode: host",
      "    pid: host",
      "    ipc: host",
      "    userns_mode: host",
      "    devices: [/dev/net/tun]",
      "    pids_limit: 200",
      "  app:",
      "    image: app:1",
      "    networks:",
      "      front: {ipv4_address: 172.18.0.42, ipv6_address: 'fd00::42'}",
      "networks:",
      "  front:",
      "    enable_ipv6: true",
      "    ipam: {driver: default, config: [{subnet: 172.18.0.0/16}]}",
    ].join("\n");
    expect(readComposeText(yaml, "compose.yaml", NO_VARIABLES).problems).toStrictEqual([
      "compose.yaml: services.proxy.network_mode: every container runs on the app's own networks: the host's network namespace is never shared (CIS Docker Benchmark 5.10), nor another container's joined. Remove it; publish what must be reached with ports, and reach other services by name.",
      "compose.yaml: services.proxy.pid: the host's process namespace is never shared with a container (CIS Docker Benchmark 5.16). Remove it.",
      "compose.yaml: services.proxy.ipc: the host's IPC namespace is never shared with a container (CIS Docker Benchmark 5.17). Remove it.",
      "compose.yaml: services.proxy.userns_mode: the host's user namespace is never shared with a container (CIS Docker Benchmark 5.31). Remove it.",
      "compose.yaml: services.proxy.devices: host devices are not passed into containers (CIS Docker Benchmark 5.18). Remove it.",
      "compose.yaml: services.proxy.pids_limit: the host already limits each container's processes (TasksMax on its systemd scope, containerPidsLimit: 1024 by default), and the Docker provider has no per-container setting. Remove it, or set the host's containerPidsLimit.",
      "compose.yaml: services.app.networks.front.ipv4_address: containers reach each other by service name (and aliases); a fixed address on the app's network is not set. Remove it, and give the address's users the service name.",
      "compose.yaml: services.app.networks.front.ipv6_address: containers reach each other by service name (and aliases); a fixed address on the app's network is not set. Remove it, and give the address's users the service name.",
      "compose.yaml: networks.front.enable_ipv6: the app's networks are IPv4 (the host's daemon.json enables no IPv6 for containers). Remove it.",
      "compose.yaml: networks.front.ipam: the engine picks each of the app's networks' subnets from its address pools. Remove it; for subnets that must not clash with yours, set the host's dockerDaemonConfig default-address-pools.",
    ]);
  });
});
