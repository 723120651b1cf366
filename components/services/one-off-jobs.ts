import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { checkedAtDeploy } from "../core/deploy-time-error";
import type { ContainerSpec } from "../core/container-spec";

// One-off jobs (`runsToCompletion`): the provider's create waits for the job's end (attach), and
// its Read then records the exit code (terraform-provider-docker v4.5.0,
// resource_docker_container_funcs.go: ContainerWait(WaitConditionNotRunning), then
// `d.Set("exit_code", ...)` for a container that is not running). The provider does not fail
// on a code other than 0; this does, before anything that waits for the job starts.

/** Lines of a failed job's log the deploy's error shows. */
const JOB_LOG_LINES = 20;

/** The deploy's error when a job exited with another code than 0: the code and its log's end. */
export function jobFailure(
  containers: ContainerSpec[],
  job: string,
  code: number | undefined,
  logs: string | undefined,
): string[] {
  if (code === 0) return [];
  const at = containers.findIndex((c) => c.name === job);
  const tail = (logs ?? "").trimEnd().split("\n").slice(-JOB_LOG_LINES).join("\n");
  return [
    `containers[${at}] (${job}, runsToCompletion) exited with code ${code ?? "unknown"}, so what waits for it does not start. The end of its log:\n${tail || "(empty)"}`,
  ];
}

/**
 * A label `dockerhost.completed.<job>` = "0" per job `spec` waits for (afterCompleted): its value
 * is the job's exit code, checked, so a failed job stops the deploy at the container that waits.
 */
export function jobExitLabels(
  spec: ContainerSpec,
  containers: ContainerSpec[],
  created: ReadonlyMap<string, docker.Container>,
  parent: pulumi.Resource,
): { label: string; value: pulumi.Output<string> }[] {
  return (spec.afterCompleted ?? []).map((job) => {
    const container = created.get(job)!;
    return {
      label: `dockerhost.completed.${job}`,
      value: checkedAtDeploy(
        pulumi.all([container.exitCode, container.containerLogs]),
        ([code, logs]) => jobFailure(containers, job, code, logs),
        parent,
      ).apply(([code]) => String(code)),
    };
  });
}
