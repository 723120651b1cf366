import type { ContainerSpec } from "../core/container-spec";
import { durationProblem } from "../core/docker-grammar";
import { isMap, wholeNumber } from "./compose-values";
import type { ServiceReader } from "./service-reader";

// A compose service's `healthcheck`: its test (a string is CMD-SHELL), timings and retries,
// `disable`, and no test at all (the image's own check). Each value checked as Compose checks it
// when it loads the file.

export function readHealthcheck(r: ServiceReader): ContainerSpec["healthcheck"] {
  const hc = r.svc.healthcheck;
  if (!isMap(hc)) return undefined;
  if (hc.disable === true || hc.disable === "true") return { test: ["NONE"] };
  if (hc.test === undefined) {
    // No test (`disable: false` alone, as immich ships it): the image's own HEALTHCHECK runs,
    // as Docker inherits an empty test from the image ("An empty slice means to inherit the
    // default": moby api/types/container/config.go). Timings alone are not sent: @pulumi/docker
    // 4.x, in this package's peer range, requires the test with them (terraform-provider-docker
    // made it optional in v4.0.0, #834).
    const timings = Object.keys(hc).filter((k) => k !== "disable");
    if (timings.length)
      r.problem(
        "healthcheck.test",
        `unset, with ${timings.join(", ")}: dockerhost sets a check's timings with its test (the Docker provider 4.x requires it). Give the test too, or leave the timings out to run the image's check as it is.`,
      );
    return undefined;
  }
  const test = typeof hc.test === "string" ? ["CMD-SHELL", hc.test] : (hc.test as string[]);
  const durations: Record<string, string> = {};
  for (const [key, field] of [
    ["interval", "interval"],
    ["timeout", "timeout"],
    ["start_period", "startPeriod"],
  ] as const) {
    if (hc[key] === undefined) continue;
    const problem = durationProblem(String(hc[key]));
    if (problem) r.problem(`healthcheck.${key}`, problem);
    else durations[field] = String(hc[key]);
  }
  const retries = hc.retries === undefined ? undefined : wholeNumber(hc.retries);
  if (hc.retries !== undefined && retries === undefined)
    r.problem(
      "healthcheck.retries",
      `${JSON.stringify(hc.retries)} is not a whole number of tries.`,
    );
  return { test, ...durations, ...(retries !== undefined ? { retries } : {}) };
}
