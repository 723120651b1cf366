// Why dockerhost refuses a compose key it does not read, for the keys real files carry most
// (the corpus of issue 31): the reason and the fix, instead of "not supported". A key not here
// gets the general refusal (compose-file.ts). Where the reason is a hardening rule, the row of
// the CIS Docker Benchmark (v1.6.0) is named.

const REFUSALS: [RegExp, string][] = [
  [
    /^services\.[^.]+\.privileged$/,
    "a privileged container has every capability and the host's devices (CIS Docker Benchmark 5.5). Remove it, and add the capabilities the service needs with cap_add.",
  ],
  [
    /^services\.[^.]+\.network_mode$/,
    "every container runs on the app's own networks: the host's network namespace is never shared (CIS Docker Benchmark 5.10), nor another container's joined. Remove it; publish what must be reached with ports, and reach other services by name.",
  ],
  [
    /^services\.[^.]+\.pid$/,
    "the host's process namespace is never shared with a container (CIS Docker Benchmark 5.16). Remove it.",
  ],
  [
    /^services\.[^.]+\.ipc$/,
    "the host's IPC namespace is never shared with a container (CIS Docker Benchmark 5.17). Remove it.",
  ],
  [
    /^services\.[^.]+\.userns_mode$/,
    "the host's user namespace is never shared with a container (CIS Docker Benchmark 5.31). Remove it.",
  ],
  [
    /^services\.[^.]+\.devices$/,
    "host devices are not passed into containers (CIS Docker Benchmark 5.18). Remove it.",
  ],
  [
    /^services\.[^.]+\.pids_limit$/,
    "the host already limits each container's processes (TasksMax on its systemd scope, containerPidsLimit: 1024 by default), and the Docker provider has no per-container setting. Remove it, or set the host's containerPidsLimit.",
  ],
  [
    /^services\.[^.]+\.networks\.[^.]+\.ipv[46]_address$/,
    "containers reach each other by service name (and aliases); a fixed address on the app's network is not set. Remove it, and give the address's users the service name.",
  ],
  [
    /^networks\.[^.]+\.ipam$/,
    "the engine picks each of the app's networks' subnets from its address pools. Remove it; for subnets that must not clash with yours, set the host's dockerDaemonConfig default-address-pools.",
  ],
  [
    /^networks\.[^.]+\.enable_ipv6$/,
    "the app's networks are IPv4 (the host's daemon.json enables no IPv6 for containers). Remove it.",
  ],
  [
    /^(services\.[^.]+\.)?configs$/,
    "Compose configs are not read. Mount the file with a bind beside the compose file instead (./file:/path:ro): dockerhost ships it to the host.",
  ],
];

/** The reason and fix for a refused key's path (services.web.privileged), when known. */
export function refusalOf(path: string): string | undefined {
  return REFUSALS.find(([pattern]) => pattern.test(path))?.[1];
}
