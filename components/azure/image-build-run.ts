import * as virtualmachineimages from "@pulumi/azure-native/virtualmachineimages";
import type * as pulumi from "@pulumi/pulumi";

// VM Image Builder builds after its template exists (autoRun): the template's create returns
// before the image version does. Hosts need the version, so the image's id is handed out only
// once the run is over, read from the template's lastRunStatus. Run states: Running, Canceling,
// Succeeded, PartiallySucceeded, Failed, Canceled (learn.microsoft.com, @azure/arm-imagebuilder
// RunState).

export interface RunStatus {
  runState?: string;
  runSubState?: string;
  message?: string;
}

/** "wait" while the run goes on (or has not shown yet), "done" on success, else why it failed. */
export function runOutcome(
  status: RunStatus | undefined,
  template: string,
): "wait" | "done" | Error {
  if (!status) return "wait";
  switch (status.runState) {
    case undefined:
    case "Running":
    case "Canceling":
      return "wait";
    case "Succeeded":
      return "done";
    default:
      return new Error(
        `VM Image Builder template ${template}: the bake ${status.runState}${status.runSubState ? ` in ${status.runSubState}` : ""}: ${status.message ?? "no message"}. Its customization log is in the staging resource group's storage account (packerlogs/customization.log).`,
      );
  }
}

export const RUN_POLL_SECONDS = 30;

/** Polls the template until its run is over; bounded by the template's own build timeout. */
export async function awaitImageBuild(
  template: { imageTemplateName: string; resourceGroupName: string },
  timeoutMinutes: number,
  parent: pulumi.Resource,
  pollSeconds = RUN_POLL_SECONDS,
): Promise<void> {
  const deadline = Date.now() + (timeoutMinutes + 10) * 60_000;
  for (;;) {
    const current = await virtualmachineimages.getVirtualMachineImageTemplate(template, { parent });
    const outcome = runOutcome(current.lastRunStatus, template.imageTemplateName);
    if (outcome === "done") return;
    if (outcome instanceof Error) throw outcome;
    if (Date.now() > deadline)
      throw new Error(
        `VM Image Builder template ${template.imageTemplateName}: the bake did not finish within ${timeoutMinutes + 10} minutes`,
      );
    await new Promise((r) => setTimeout(r, pollSeconds * 1000));
  }
}
