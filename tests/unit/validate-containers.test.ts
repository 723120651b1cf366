import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { containersProblems } from "../../components/services/validate-containers";
import type { ContainerSpec } from "../../components/core/container-spec";

const check = (containers: ContainerSpec[], selinuxRelabel = false) =>
  containersProblems({ containers, selinuxRelabel });

describe("containersProblems", () => {
  const cases: [string, ContainerSpec[], string[]][] = [
    [
      "two valid containers",
      [
        { name: "web", image: "nginx", ports: [{ internal: 80 }] },
        { name: "api", image: "api", ports: [{ internal: 80, external: 8080 }] },
      ],
      [],
    ],
    [
      "the same port on tcp and udp",
      [{ name: "dns", image: "d", ports: [{ internal: 53 }, { internal: 53, protocol: "udp" }] }],
      [],
    ],
    [
      "a containerName Docker would refuse, one taken by another's name, two the same",
      [
        { name: "web", image: "nginx", containerName: "my web" },
        { name: "api", image: "api", containerName: "db" },
        { name: "db", image: "pg" },
        { name: "worker", image: "w", containerName: "shop-api" },
        { name: "cron", image: "c", containerName: "shop-api" },
      ],
      [
        'containers[0].containerName: "my web" is not a valid container name. Use letters, digits, "_", "." and "-", starting with a letter or digit.',
        'containers[2].name: "db" is already the Docker name of containers[1]. Container names are unique per host.',
        'containers[4].containerName: "shop-api" is already the Docker name of containers[3]. Container names are unique per host.',
      ],
    ],
    [
      "a name with a space",
      [{ name: "web app", image: "nginx" }],
      [
        'containers[0].name: "web app" is not a valid container name. Use letters, digits, "_", "." and "-", starting with a letter or digit.',
      ],
    ],
    [
      "a duplicate name",
      [
        { name: "web", image: "a" },
        { name: "web", image: "b" },
      ],
      [
        'containers[1].name: "web" is already used by containers[0]. Container names are unique per host.',
      ],
    ],
    [
      "two containers on one host port",
      [
        { name: "a", image: "a", ports: [{ internal: 80, external: 8080 }] },
        { name: "b", image: "b", ports: [{ internal: 3000, external: 8080 }] },
      ],
      [
        'containers[1].ports[0].external: host port 8080/tcp is already published by containers[0] ("a"). Pick another external port.',
      ],
    ],
    [
      "a port out of range",
      [{ name: "a", image: "a", ports: [{ internal: 70000 }] }],
      ["containers[0].ports[0].internal: 70000 is not a port number (1-65535)."],
    ],
    [
      "a world-open CIDR typo",
      [{ name: "a", image: "a", ports: [{ internal: 80, allowedCidrs: ["0.0.0.0"] }] }],
      [
        'containers[0].ports[0].allowedCidrs[0]: "0.0.0.0" is not a CIDR. Use e.g. "203.0.113.7/32".',
      ],
    ],
    [
      "a plain-text secret",
      [{ name: "a", image: "a", secretEnv: { DB_PASSWORD: "hunter2" } }],
      [
        "containers[0].secretEnv.DB_PASSWORD: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)) so it stays encrypted in state.",
      ],
    ],
    [
      "a secret also in env",
      [{ name: "a", image: "a", env: { TOKEN: "x" }, secretEnv: { TOKEN: pulumi.secret("y") } }],
      ["containers[0].secretEnv.TOKEN: also set in env. Set it in one place."],
    ],
    [
      "a bad env name (Docker takes MY-VAR and node.name; not an empty one, nor one with = or a line break)",
      [
        {
          name: "a",
          image: "a",
          env: { "MY-VAR": "x", "node.name": "x", "": "x", "A=B": "x", "A\nB": "x" },
        },
      ],
      [
        'containers[0].env.: not a valid environment variable name: it must not be empty or hold "=" or a line break.',
        'containers[0].env.A=B: not a valid environment variable name: it must not be empty or hold "=" or a line break.',
        'containers[0].env.A\nB: not a valid environment variable name: it must not be empty or hold "=" or a line break.',
      ],
    ],
    [
      "a volume with both sources",
      [
        {
          name: "a",
          image: "a",
          volumes: [{ containerPath: "/d", hostPath: "/srv/a", volumeName: "vol" }],
        },
      ],
      [
        "containers[0].volumes[0]: set exactly one of hostPath (bind mount), volumeName (named volume) or files (shipped files).",
      ],
    ],
    [
      "a relative container path",
      [{ name: "a", image: "a", volumes: [{ containerPath: "data", volumeName: "vol" }] }],
      ["containers[0].volumes[0].containerPath: must be an absolute path."],
    ],
    [
      "a sysctl of the host's, which Docker does not set in a container",
      [
        {
          name: "a",
          image: "a",
          sysctls: { "net.core.somaxconn": "1024", "vm.overcommit_memory": "1" },
        },
      ],
      [
        "containers[0].sysctls.vm.overcommit_memory: not a kernel parameter of the container's own namespaces, which is all Docker sets. Use a net.*, kernel.shm*, kernel.msg*, kernel.sem or fs.mqueue.* parameter, or set it on the host.",
      ],
    ],
    [
      "a CAP_ prefix",
      [{ name: "a", image: "a", capAdd: ["CAP_NET_ADMIN"] }],
      [
        'containers[0].capAdd[0]: "CAP_NET_ADMIN" is not a capability name. Use Docker\'s form, e.g. "NET_BIND_SERVICE".',
      ],
    ],
    [
      "a bare healthcheck command",
      [{ name: "a", image: "a", healthcheck: { test: ["curl", "-f", "localhost"] } }],
      [
        'containers[0].healthcheck.test: start with "CMD", "CMD-SHELL" or "NONE", e.g. ["CMD", "wget", "-q", "-O-", "http://localhost/"].',
      ],
    ],
    [
      "a tiny memory limit",
      [{ name: "a", image: "a", memoryMb: 4 }],
      ["containers[0].memoryMb: 4 is too small or not whole; Docker needs at least 6 MiB."],
    ],
    [
      "cpus as a word",
      [{ name: "a", image: "a", cpus: "half" }],
      ['containers[0].cpus: "half" is not a number of CPUs. Use e.g. "0.5".'],
    ],
    [
      "an unknown restart policy",
      [{ name: "a", image: "a", restart: "sometimes" as "always" }],
      [
        'containers[0].restart: "sometimes" is not supported. Use one of: no, on-failure, always, unless-stopped.',
      ],
    ],
    [
      "an image that is not a reference",
      [{ name: "a", image: "Nginx:latest" }],
      [
        'containers[0].image: "Nginx:latest" is not an image reference. Repository names are lowercase. Use e.g. "nginx:1.27", "ghcr.io/org/app:2.1" or "name@sha256:<digest>".',
      ],
    ],
    [
      "a healthcheck interval without a unit",
      [{ name: "a", image: "a", healthcheck: { test: ["CMD", "true"], interval: "30" } }],
      [
        'containers[0].healthcheck.interval: "30" is not a duration. Use Go\'s form, e.g. "30s", "1m30s" or "500ms".',
      ],
    ],
    [
      "a host name as a bind address",
      [{ name: "a", image: "a", ports: [{ internal: 80, hostIp: "localhost" }] }],
      [
        'containers[0].ports[0].hostIp: "localhost" is not an IP address. Use e.g. "127.0.0.1", or leave it out to bind all addresses.',
      ],
    ],
    [
      "a user with a space, zero CPUs, a one-letter volume",
      [
        {
          name: "a",
          image: "a",
          user: "app user",
          cpus: "0",
          volumes: [{ containerPath: "/data", volumeName: "d" }],
        },
      ],
      [
        'containers[0].user: "app user" is not a user. Use a name or uid, optionally with a group: "app", "1000" or "1000:1000".',
        'containers[0].cpus: "0" is not a number of CPUs. Use e.g. "0.5".',
        'containers[0].volumes[0].volumeName: "d" is not a volume name. Use at least two of letters, digits, "_", "." and "-", starting with a letter or digit.',
      ],
    ],
  ];
  for (const [what, containers, expected] of cases)
    it(what, () => expect(check(containers)).toStrictEqual(expected));

  it("allows /etc bind mounts without SELinux, refuses them with it", () => {
    const c: ContainerSpec[] = [
      {
        name: "a",
        image: "a",
        volumes: [{ hostPath: "/etc", containerPath: "/e", readOnly: true }],
      },
    ];
    expect(check(c, false)).toStrictEqual([]);
    expect(check(c, true)).toStrictEqual([
      "containers[0].volumes[0].hostPath: /etc is a system directory; relabeling it for SELinux would break the host. Mount a directory of its own (e.g. /srv/a).",
    ]);
  });
});

describe("the SELinux relabel guard", () => {
  it.each([
    ["/etc", "/etc is a system directory"],
    ["/etc/", "/etc is a system directory"],
    ["/etc/.", '/etc (written "/etc/.") is a system directory'],
    ["//etc", '/etc (written "//etc") is a system directory'],
    ["/srv/../etc", '/etc (written "/srv/../etc") is a system directory'],
    ["/etc/ssh", "/etc/ssh is inside /etc, a system directory"],
    ["/usr/local/bin", "/usr/local/bin is inside /usr, a system directory"],
    [
      "/var/lib/docker/volumes",
      "/var/lib/docker/volumes is inside /var/lib/docker, a system directory",
    ],
    ["/var/lib", "/var/lib is a system directory"],
    ["/", "/ is a system directory"],
    ["/srv/.", '/srv (written "/srv/.") is a system directory'],
  ])("refuses %s under enforcing", (hostPath, what) => {
    const c: ContainerSpec[] = [
      { name: "a", image: "a", volumes: [{ hostPath, containerPath: "/data" }] },
    ];
    expect(check(c, true)).toStrictEqual([
      `containers[0].volumes[0].hostPath: ${what}; relabeling it for SELinux would break the host. Mount a directory of its own (e.g. /srv/a).`,
    ]);
    expect(check(c, false)).toStrictEqual([]);
  });

  it.each(["/srv/a", "/srv/a/data", "/var/lib/a", "/home/ops/site", "/opt/a/conf", "/etcetera"])(
    "lets %s be relabeled",
    (hostPath) => {
      const c: ContainerSpec[] = [
        { name: "a", image: "a", volumes: [{ hostPath, containerPath: "/data" }] },
      ];
      expect(check(c, true)).toStrictEqual([]);
    },
  );
});
