import { describe, expect, it } from "@jest/globals";
import type { ContainerSpec } from "../../components/core/container-spec";
import { appNetworks, dependencyCycle, startOrder } from "../../components/services/app-topology";
import { appProblems, type AppCheck } from "../../components/services/validate-app";
import { healthGateScript } from "../../components/services/health-gate";

// An app's networks, volumes and start order: every refusal's exact words, and the topology.

const HEALTH = { test: ["CMD", "true"] };
const c = (name: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name,
  image: "busybox:1",
  ...extra,
});

describe("appProblems", () => {
  const cases: [string, AppCheck, string[]][] = [
    [
      "a valid app",
      {
        networks: [{ name: "backend", internal: true }],
        volumes: [{ name: "db-data" }],
        containers: [
          c("web", { dependsOn: ["api"], ports: [{ internal: 80 }] }),
          c("api", {
            networks: [{ name: "default" }, { name: "backend", aliases: ["api.internal"] }],
            healthcheck: HEALTH,
          }),
          c("db", { networks: [{ name: "backend" }] }),
        ],
      },
      [],
    ],
    [
      "bad and repeated network and volume names",
      {
        networks: [{ name: "back end" }, { name: "x" }, { name: "x" }],
        volumes: [{ name: "v" }, { name: "ok" }, { name: "ok" }],
        containers: [],
      },
      [
        'networks[0].name: "back end" is not a valid network name. Use letters, digits, "_", "." and "-", starting with a letter or digit.',
        'networks[2].name: "x" is already declared by networks[1]. Network names are unique.',
        'volumes[0].name: "v" is not a volume name. Use at least two of letters, digits, "_", "." and "-", starting with a letter or digit.',
        'volumes[2].name: "ok" is already declared by volumes[1]. Volume names are unique.',
      ],
    ],
    [
      "a container on an undeclared network, twice, with a bad alias",
      {
        containers: [
          c("api", {
            networks: [{ name: "nowhere" }, { name: "nowhere", aliases: ["no_underscores"] }],
          }),
        ],
      },
      [
        'containers[0].networks[0].name: "nowhere" is not declared. Declare it in networks (e.g. networks: [{ name: "nowhere" }]) or use "default", the project network.',
        'containers[0].networks[1].name: "nowhere" is not declared. Declare it in networks (e.g. networks: [{ name: "nowhere" }]) or use "default", the project network.',
        'containers[0].networks[1].name: "nowhere" is listed twice.',
        'containers[0].networks[1].aliases[0]: "no_underscores" is not a DNS name. Use letters, digits and "-", in labels separated by ".".',
      ],
    ],
    [
      "a published port on internal networks only",
      {
        networks: [{ name: "backend", internal: true }],
        containers: [c("db", { networks: [{ name: "backend" }], ports: [{ internal: 5432 }] })],
      },
      [
        'containers[0].ports: "db" joins internal networks only (backend), so a published port would never answer. Remove its ports, or add a network that is not internal.',
      ],
    ],
    [
      "dependsOn on itself, on nobody, on a container without a healthcheck",
      {
        containers: [c("web", { dependsOn: ["web", "ghost", "api"] }), c("api")],
      },
      [
        'containers[0].dependsOn[0]: "web" cannot depend on itself.',
        'containers[0].dependsOn[1]: no container named "ghost".',
        'containers[0].dependsOn[2]: "api" has no healthcheck, so nothing tells when it is ready. Give "api" a healthcheck.',
      ],
    ],
    [
      "startAfter on itself and on nobody (a target without a healthcheck is fine: no wait)",
      { containers: [c("web", { startAfter: ["web", "ghost", "api"] }), c("api")] },
      [
        'containers[0].startAfter[0]: "web" cannot start after itself.',
        'containers[0].startAfter[1]: no container named "ghost".',
      ],
    ],
    [
      "afterCompleted on itself, on nobody, on a service that keeps running; a job that restarts",
      {
        containers: [
          c("web", { afterCompleted: ["web", "ghost", "api", "job"] }),
          c("api"),
          c("job", { runsToCompletion: true, restart: "always" }),
        ],
      },
      [
        'containers[0].afterCompleted[0]: "web" cannot wait for itself.',
        'containers[0].afterCompleted[1]: no container named "ghost".',
        'containers[0].afterCompleted[2]: "api" is a service that keeps running, so it never completes. Give "api" runsToCompletion: true if it is a one-off job, or use startAfter or dependsOn.',
        'containers[2].restart: "always" would run the one-off job again and again; a job with runsToCompletion runs once. Leave restart out (or "no").',
      ],
    ],
    [
      "a cycle through afterCompleted, named at the field its first edge is in",
      {
        containers: [
          c("a", { afterCompleted: ["b"], runsToCompletion: true }),
          c("b", { afterCompleted: ["a"], runsToCompletion: true }),
        ],
      },
      [
        "containers[0].afterCompleted: makes a cycle (a -> b -> a); no container of it could start first.",
      ],
    ],
    [
      "a cycle through startAfter, named at the field its first edge is in",
      {
        containers: [
          c("a", { startAfter: ["b"], healthcheck: HEALTH }),
          c("b", { dependsOn: ["a"] }),
        ],
      },
      [
        "containers[0].startAfter: makes a cycle (a -> b -> a); no container of it could start first.",
      ],
    ],
    [
      "a cycle of three",
      {
        containers: [
          c("a", { dependsOn: ["b"], healthcheck: HEALTH }),
          c("b", { dependsOn: ["c"], healthcheck: HEALTH }),
          c("c", { dependsOn: ["a"], healthcheck: HEALTH }),
        ],
      },
      [
        "containers[0].dependsOn: makes a cycle (a -> b -> c -> a); no container of it could start first.",
      ],
    ],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(appProblems(input)).toStrictEqual(expected);
  });
});

describe("the app's topology", () => {
  it("makes the project network only when a container joins it, declared settings first", () => {
    expect(appNetworks([], [c("a")])).toStrictEqual([{ name: "default" }]);
    expect(appNetworks([{ name: "b" }], [c("a", { networks: [{ name: "b" }] })])).toStrictEqual([
      { name: "b" },
    ]);
    expect(appNetworks([{ name: "default", internal: true }], [c("a")])).toStrictEqual([
      { name: "default", internal: true },
    ]);
  });

  it("orders containers after what they depend on, and finds cycles", () => {
    const app = [
      c("web", { dependsOn: ["api"] }),
      c("api", { dependsOn: ["db"] }),
      c("db"),
      c("x"),
    ];
    expect(startOrder(app).map((s) => s.name)).toStrictEqual(["db", "api", "web", "x"]);
    expect(dependencyCycle(app)).toBe(undefined);
  });

  it("waits for health over SSH and says the last health log when it never comes", () => {
    const script = healthGateScript("db", 60);
    expect(script).toContain(
      "status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' db 2>&1)",
    );
    expect(script).toContain('status="still starting after 60 s"');
    expect(script).toContain(
      'echo "dockerhost: container db is not healthy ($status); its last health check said:" >&2',
    );
  });
});
