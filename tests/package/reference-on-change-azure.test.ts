import { hostEffect } from "../support/reference/on-change";
import { describeOnChange } from "../support/reference/on-change-test";
import { AZURE_CHANGES, azureRuns } from "../support/reference/azure-host-changes";

// docs/reference/on-change.md, AzureDockerHost: its VM `z1-vm`, its data disk `z1-docker-data`. DOCKERHOST_WRITE_REFERENCE=1 writes the section
// (jest -i: one file at a time).

describeOnChange("dev-azure", [
  {
    heading: "AzureDockerHost",
    fields: Object.keys(AZURE_CHANGES),
    deployed:
      "An Azure host `z1` with one container (`web`), Debian 12, its own VNet, in westeurope.",
    runs: azureRuns,
    effect: (c) => hostEffect(c, "z1-vm", "z1-docker-data"),
  },
]);
