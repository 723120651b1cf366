import { servicesEffect } from "../support/reference/on-change";
import { describeOnChange } from "../support/reference/on-change-test";
import { SERVICES_CHANGES, servicesRuns } from "../support/reference/services-changes";

// docs/reference/on-change.md, DockerServices: an app's own inputs (its containers' fields: reference-on-change.test.ts). DOCKERHOST_WRITE_REFERENCE=1 writes the section
// (jest -i: one file at a time).

describeOnChange("dev", [
  {
    heading: "DockerServices",
    fields: Object.keys(SERVICES_CHANGES),
    deployed:
      "An app `app` of two containers, `web` and `db` (which mounts the volume `pg`), on a host reached over SSH.",
    runs: servicesRuns,
    effect: servicesEffect,
  },
]);
