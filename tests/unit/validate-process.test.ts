import { describe, expect, it } from "@jest/globals";
import type { ContainerSpec } from "../../components/core/container-spec";
import { processProblems } from "../../components/services/validate-process";

// How a container's process runs: every refusal's words, exactly.

describe("a container's process settings", () => {
  it.each<[string, Partial<ContainerSpec>, string[]]>([
    [
      "all fine",
      {
        hostname: "web-1.shop.internal",
        workingDir: "/srv",
        stopSignal: "SIGQUIT",
        stopTimeoutSeconds: 30,
        shmSizeMb: 256,
        extraHosts: { db: "10.0.0.5", gw: "host-gateway", v6: "::1" },
        ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { soft: -1, hard: -1 } },
        tmpfs: { "/run": "" },
        logging: { driver: "local", options: { "max-size": "5m" } },
        dns: ["127.0.0.1", "2606:4700:4700::1111"],
      },
      [],
    ],
    [
      "every field wrong",
      {
        hostname: "-web_1",
        workingDir: "srv",
        stopSignal: "quit now",
        stopTimeoutSeconds: 1.5,
        shmSizeMb: 0,
        extraHosts: { "bad host": "10.0.0.500" },
        ulimits: { as: { soft: 1, hard: 1 }, nofile: { soft: 4096, hard: 1024 } },
        tmpfs: { run: "" },
        logging: { driver: "loki" },
        dns: ["one.one.one.one"],
      },
      [
        'c.hostname: "-web_1" is not a hostname. Use letters, digits and "-" in dot-separated labels.',
        "c.workingDir: must be an absolute path.",
        'c.stopSignal: "quit now" is not a signal. Use a name such as "SIGQUIT", or a number.',
        "c.stopTimeoutSeconds: must be a whole number of seconds.",
        "c.shmSizeMb: must be a whole number of MiB, at least 1.",
        "c.extraHosts.bad host: not a hostname.",
        'c.extraHosts.bad host: "10.0.0.500" is not an IP address. Give one, or "host-gateway" for the host.',
        "c.ulimits.as: not a limit Docker sets. Use one of: core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack.",
        "c.ulimits.nofile: give { soft, hard }, whole numbers with soft no more than hard (-1 for unlimited).",
        "c.tmpfs.run: must be an absolute path.",
        'c.dns[0]: "one.one.one.one" is not an IP address.',
        'c.logging.driver: "loki" is not a logging driver the engine has. Use one of: json-file, local, journald, syslog, gelf, fluentd, awslogs, splunk, gcplogs, none (a plugin driver would need installing on the host first).',
      ],
    ],
  ])("%s", (_what, fields, problems) => {
    expect(processProblems({ name: "c", image: "a", ...fields }, "c")).toStrictEqual(problems);
  });
});
