import { describe, expect, it } from "@jest/globals";
import { jobFailure } from "../../components/services/one-off-jobs";

const containers = [
  { name: "web", image: "a" },
  { name: "migrate", image: "a", runsToCompletion: true },
];

describe("a one-off job's end", () => {
  it("is no problem at exit code 0", () => {
    expect(jobFailure(containers, "migrate", 0, "done\n")).toStrictEqual([]);
  });

  it.each<[string, number | undefined, string | undefined, string]>([
    [
      "a failed job: its code and its log's last 20 lines",
      3,
      Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join("\n") + "\n",
      Array.from({ length: 20 }, (_, i) => `line ${i + 6}`).join("\n"),
    ],
    ["a job with no log", 1, "", "(empty)"],
    ["a job whose code was never read", undefined, undefined, "(empty)"],
  ])("fails the deploy: %s", (_, code, logs, tail) => {
    expect(jobFailure(containers, "migrate", code, logs)).toStrictEqual([
      `containers[1] (migrate, runsToCompletion) exited with code ${code ?? "unknown"}, so what waits for it does not start. The end of its log:\n${tail}`,
    ]);
  });
});
