import { containerEffect } from "../support/reference/on-change";
import { describeOnChange } from "../support/reference/on-change-test";
import { CONTAINER_CHANGES, containerRuns } from "../support/reference/container-changes";

// docs/reference/on-change.md, a container's fields: what a change of each does to a deployed
// DockerServices app, derived as docs/lifecycle.md's tables are. DOCKERHOST_WRITE_REFERENCE=1
// writes the section (jest -i: one file at a time).

describeOnChange("dev", [
  {
    heading: "ContainerSpec",
    fields: Object.keys(CONTAINER_CHANGES),
    deployed:
      "A container of a DockerServices app (`web`, beside `db`; a host's `containers` are the same " +
      'DockerServices containers), deployed as `{"name":"web","image":"nginx:1.27","command":["nginx"]}`.',
    runs: containerRuns,
    effect: containerEffect,
  },
]);
