import type { ShippedLogs } from "../bootstrap/types";
import { shippedLogsOverrideProblems, type ContainerLogsChoice } from "../core/container-logs";

export { ContainerLogs, resolvedContainerLogs } from "../core/container-logs";

// Container logs in CloudWatch Logs (`containerLogs: "cloud"` on an AWS host): the engine's
// default log driver becomes Docker's `awslogs`, which signs its calls with the credentials the
// SDK's default chain finds, here the instance profile through IMDSv2 (Docker docs, "Amazon
// CloudWatch Logs logging driver", "Credentials"). One log group per host, made by the
// deployer with its retention; the role may write streams into that group only.

/** The days CloudWatch Logs accepts as a retention (@pulumi/aws cloudwatch.LogGroup, retentionInDays); 0 keeps forever. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653, 0,
] as const;

export const DEFAULT_LOG_RETENTION_DAYS = 30;

/**
 * One group per host of one stack: a host replaced keeps writing to the same group, and two
 * stacks of a project never share one. Stack and project names use letters, digits, `-`, `_`
 * and `.`, all of which a group name allows.
 */
export function logGroupName(project: string, stack: string, host: string): string {
  return `/dockerhost/${project}/${stack}/${host}`;
}

/**
 * The daemon's awslogs options. `tag` names each container's stream `<name>/<short id>` (the
 * driver takes `tag` as the stream name's template). `mode: non-blocking` with a bounded buffer:
 * a slow or unreachable CloudWatch must not stall or stop the host's containers (Docker docs,
 * "Configure logging drivers", delivery modes); what overflows the 4 MiB buffer is dropped.
 * No `awslogs-create-group`: the deployer made the group, and the role cannot make others.
 */
export function awslogsOptions(region: string, group: string): Record<string, string> {
  return {
    "awslogs-region": region,
    "awslogs-group": group,
    tag: "{{.Name}}/{{.ID}}",
    mode: "non-blocking",
    "max-buffer-size": "4m",
  };
}

export function shippedLogs(region: string, group: string): ShippedLogs {
  return { driver: "awslogs", options: awslogsOptions(region, group) };
}

/**
 * The role's only log permissions: new streams and their events, in the host's group. Both
 * actions take the log-stream resource type, `arn:…:log-group:<group>:log-stream:<stream>`
 * (Service Authorization Reference, Amazon CloudWatch Logs, "Actions defined by": CreateLogStream
 * and PutLogEvents, Write, log-stream*). `<group arn>:*` matches exactly those streams, and is
 * the form AWS's examples have long used, so it holds under the older reading too. The group's
 * ARN comes without the `:*` the API adds (@pulumi/aws cloudwatch.LogGroup `arn`;
 * terraform-provider-aws logs/group.go trimLogGroupARNWildcardSuffix).
 */
export function logsPolicy(logGroupArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ContainerLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroupArn}:*`,
      },
    ],
  });
}

/**
 * Whether the host has an identity from its payload apart from its logs: a session or ECR pulls.
 * A container's cloudSecrets give the role a policy too, but do not count: they live outside the
 * payload, and counting them would make a strict host's first secret a new host (its logs'
 * default would change daemon.json, which is in the user-data).
 */
export function identityBesidesLogs(
  args: { ecrRepositories?: string[] },
  session: boolean,
): boolean {
  return session || (args.ecrRepositories?.length ?? 0) > 0;
}

export interface ContainerLogsArgs extends ContainerLogsChoice {
  logRetentionDays?: number;
}

export function containerLogsProblems(args: ContainerLogsArgs, hasIdentity: boolean): string[] {
  const problems: string[] = [];
  const days = args.logRetentionDays;
  if (days !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(days))
    problems.push(
      `logRetentionDays: ${days} is no retention CloudWatch Logs accepts. Use one of ${LOG_RETENTION_DAYS.join(", ")} (0 keeps the logs forever).`,
    );
  // A retention without shipping is no problem: the stack's default (30) reaches every host.
  problems.push(
    ...shippedLogsOverrideProblems(args, hasIdentity, "awslogs to the host's log group"),
  );
  return problems;
}
