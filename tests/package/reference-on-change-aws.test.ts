import { hostEffect } from "../support/reference/on-change";
import { describeOnChange } from "../support/reference/on-change-test";
import { AWS_CHANGES, awsRuns } from "../support/reference/aws-host-changes";

// docs/reference/on-change.md, AwsDockerHost: its VM `a1-instance`, its data disk `a1-docker-data`. DOCKERHOST_WRITE_REFERENCE=1 writes the section
// (jest -i: one file at a time).

describeOnChange("dev", [
  {
    heading: "AwsDockerHost",
    fields: Object.keys(AWS_CHANGES),
    deployed: "An AWS host `a1` with one container (`web`), Debian 12, its own VPC.",
    runs: awsRuns,
    effect: (c) => hostEffect(c, "a1-instance", "a1-docker-data"),
  },
]);
