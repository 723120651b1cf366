import { describe, expect, it } from "@jest/globals";
import { bootPartsTable, parseBootParts } from "../../bench/boot-parts";

// What bench:boot reads on a guest, turned into seconds since the kernel started: exact values
// from a fixed answer (the boot's epoch is now - uptime = 1000.0).

const STATUS = JSON.stringify({
  v1: {
    "init-local": { start: 1012.5, finished: 1014.0 },
    init: { start: 1015.0, finished: 1021.25 },
    "modules-config": { start: 1022.0, finished: 1030.0 },
    "modules-final": { start: 1031.0, finished: 1040.5 },
    stage: null,
  },
});

const ANSWER = [
  "now=1100.0 uptime=100.0",
  "userspace=5500000",
  "ssh=20000000",
  "docker=35250000",
  "container=1042.75",
  `status=${STATUS}`,
].join("\n");

describe("boot parts", () => {
  it("reads every milestone in seconds since the kernel started", () => {
    expect(parseBootParts(ANSWER)).toStrictEqual({
      "kernel -> userspace": 5.5,
      "cloud-init local stage done": 14,
      "cloud-init network stage done": 21.25,
      "sshd active": 20,
      "cloud-init config stage done": 30,
      "engine active": 35.25,
      "cloud-init final stage done": 40.5,
      "first container started": 42.75,
    });
  });

  it("leaves out what the guest never reached: a unit never active (0), no container, a stage unfinished", () => {
    const answer = ANSWER.replace("docker=35250000", "docker=0")
      .replace("container=1042.75\n", "")
      .replace('"finished":1040.5', '"finished":null');
    expect(parseBootParts(answer)).toStrictEqual({
      "kernel -> userspace": 5.5,
      "cloud-init local stage done": 14,
      "cloud-init network stage done": 21.25,
      "sshd active": 20,
      "cloud-init config stage done": 30,
    });
  });

  it("refuses an answer without the clock", () => {
    expect(() => parseBootParts("userspace=1")).toThrow(
      "boot parts: no clock in the guest's answer:\nuserspace=1",
    );
  });

  it("puts the rows side by side: medians, spreads, the first minus the last", () => {
    const baked = [
      { "kernel -> userspace": 5, "engine active": 40 },
      { "kernel -> userspace": 7, "engine active": 44 },
      { "kernel -> userspace": 6, "engine active": 42 },
    ];
    const floor = [{ "kernel -> userspace": 5 }, { "kernel -> userspace": 6 }];
    const lines = bootPartsTable({ baked, floor });
    expect(lines[0]).toBe(
      `${"part (s since kernel start)".padEnd(31)}${"baked".padEnd(20)}${"floor".padEnd(20)}baked - floor`,
    );
    expect(lines[1]).toBe(
      `${"kernel -> userspace".padEnd(31)}${"6.0 (5.0-7.0)".padEnd(20)}${"5.5 (5.0-6.0)".padEnd(20)}0.5`,
    );
    expect(lines.find((l) => l.startsWith("engine active"))).toBe(
      `${"engine active".padEnd(31)}${"42.0 (40.0-44.0)".padEnd(20)}${"-".padEnd(20)}`,
    );
    expect(lines).toHaveLength(9);
  });
});
