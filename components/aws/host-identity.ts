import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CredentialHelper, ShippedLogs } from "../bootstrap/types";
import { EC2_ASSUME_ROLE_POLICY } from "./ec2-role";
import {
  DEFAULT_LOG_RETENTION_DAYS,
  identityBesidesLogs,
  logGroupName,
  logsPolicy,
  resolvedContainerLogs,
  shippedLogs,
  type ContainerLogsArgs,
} from "./container-logs";
import { ecrPullPolicy, ecrRegistries, ecrRepositoriesOf, repositoryArn } from "./ecr-pulls";
import { SSM_CORE_POLICY } from "./session-access";
import { namedParameters, parameterArn, parametersPolicy } from "./parameter-secrets";
import type { ContainerSpec } from "../core/container-spec";

// The host's cloud identity: one role per host, which EC2 lets the instance assume through its
// instance profile, holding exactly what the host's options use and nothing else: Session
// Manager (sshAccess "session"), its log group (containerLogs "cloud"), and pulls from the
// named ECR repositories (ecrRepositories).

export interface IdentityArgs extends ContainerLogsArgs {
  ecrRepositories?: string[];
  containers?: ContainerSpec[];
}

/** What the identity adds to the host's payload. */
export interface IdentityPayload {
  shippedLogs?: ShippedLogs;
  credentialHelpers?: Record<string, CredentialHelper>;
}

export interface HostIdentity {
  profile?: aws.iam.InstanceProfile;
  /** Containers' logs go to CloudWatch (containerLogs, or strict's default). */
  logsShipped: boolean;
  /** The role's policies: the instance waits for them, so the host's first calls are allowed. */
  grants: pulumi.Resource[];
  payload?: pulumi.Output<IdentityPayload>;
}

export function hostIdentity(
  name: string,
  args: IdentityArgs,
  session: boolean,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): HostIdentity {
  const repositories = ecrRepositoriesOf(args);
  const parameters = namedParameters(args.containers);
  const logs = resolvedContainerLogs(args, identityBesidesLogs(args, session)) === "cloud";
  if (!session && !logs && !repositories.length && !parameters.length)
    return { grants: [], logsShipped: false };

  const partition = aws.getPartitionOutput({}, { parent });
  const region = aws.getRegionOutput({}, { parent }).region;
  const purposes = [
    ...(session ? ["Session Manager"] : []),
    ...(logs ? ["container logs"] : []),
    ...(repositories.length ? ["ECR pulls"] : []),
    ...(parameters.length ? ["container secrets"] : []),
  ];
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: `dockerhost ${name}: ${purposes.join(", ")}`,
      assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
      tags,
    },
    { parent },
  );
  const grants: pulumi.Resource[] = [];
  if (session)
    grants.push(
      new aws.iam.RolePolicyAttachment(
        `${name}-ssm-core`,
        {
          role: role.name,
          policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/${SSM_CORE_POLICY}`,
        },
        { parent },
      ),
    );
  let logsPayload: pulumi.Output<ShippedLogs> | undefined;
  if (logs) {
    const group = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: logGroupName(pulumi.getProject(), pulumi.getStack(), name),
        retentionInDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        tags,
      },
      { parent },
    );
    grants.push(
      new aws.iam.RolePolicy(
        `${name}-logs-policy`,
        { role: role.name, policy: group.arn.apply(logsPolicy) },
        { parent },
      ),
    );
    logsPayload = pulumi.all([region, group.name]).apply(([r, g]) => shippedLogs(r, g));
  }
  // The account only where an ARN needs it (one STS call at preview and up).
  const own = () =>
    pulumi
      .all([partition, region, aws.getCallerIdentityOutput({}, { parent }).accountId])
      .apply(([p, r, account]) => ({
        partition: p.partition,
        dnsSuffix: p.dnsSuffix,
        region: r,
        account,
      }));
  if (parameters.length)
    grants.push(
      new aws.iam.RolePolicy(
        `${name}-secrets-policy`,
        {
          role: role.name,
          policy: own().apply((o) => parametersPolicy(parameters.map((p) => parameterArn(p, o)))),
        },
        { parent },
      ),
    );
  let helpers: pulumi.Output<Record<string, CredentialHelper>> | undefined;
  if (repositories.length) {
    const account = own();
    grants.push(
      new aws.iam.RolePolicy(
        `${name}-ecr-policy`,
        {
          role: role.name,
          policy: account.apply((o) => ecrPullPolicy(repositories.map((r) => repositoryArn(r, o)))),
        },
        { parent },
      ),
    );
    helpers = account.apply((o) =>
      Object.fromEntries(
        ecrRegistries(repositories, o).map((host) => [host, "ecr-login" as const]),
      ),
    );
  }
  const profile = new aws.iam.InstanceProfile(
    `${name}-profile`,
    { role: role.name, tags },
    { parent },
  );
  const payload = pulumi.all([logsPayload, helpers]).apply(([l, h]) => ({
    ...(l ? { shippedLogs: l } : {}),
    ...(h ? { credentialHelpers: h } : {}),
  }));
  return { profile, grants, payload, logsShipped: logs };
}
