import { hostEffect } from "../support/reference/on-change";
import { describeOnChange } from "../support/reference/on-change-test";
import { SWARM_CHANGES, swarmRuns } from "../support/reference/swarm-changes";

// docs/reference/on-change.md, DockerSwarm. DOCKERHOST_WRITE_REFERENCE=1 writes the section
// (jest -i: one file at a time).

describeOnChange("dev", [
  {
    heading: "DockerSwarm",
    fields: Object.keys(SWARM_CHANGES),
    deployed: "A swarm `sw` of three managers (`m1` made it) and a worker, `w1`.",
    runs: swarmRuns,
    effect: (c) => hostEffect(c, "", ""),
  },
]);
