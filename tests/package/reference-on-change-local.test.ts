import { afterAll } from "@jest/globals";
import { hostEffect } from "../support/reference/on-change";
import { describeOnChange } from "../support/reference/on-change-test";
import {
  LOCAL_CHANGES,
  localRuns,
  removeLocalFiles,
} from "../support/reference/local-host-changes";

// docs/reference/on-change.md, LocalDockerHost: its VM `l1-vm`, its data disk `l1-docker-data`. DOCKERHOST_WRITE_REFERENCE=1 writes the section
// (jest -i: one file at a time).

afterAll(removeLocalFiles);

describeOnChange("local", [
  {
    heading: "LocalDockerHost",
    fields: Object.keys(LOCAL_CHANGES),
    deployed:
      "A local host `l1` with one container (`web`), deployed from Debian 12's cloud image.",
    runs: localRuns,
    effect: (c) => hostEffect(c, "l1-vm", "l1-docker-data"),
  },
]);
