import type { ContainerSpec } from "../core/container-spec";

// Containers' secrets from SSM Parameter Store (cloudSecrets, services/cloud-secrets.ts): the
// host's role may read exactly the parameters its containers name. Pure.

/** The parameters the host's containers name, each once, in order. */
export function namedParameters(containers: ContainerSpec[] | undefined): string[] {
  const names = (containers ?? []).flatMap((c) =>
    (c.cloudSecrets ?? []).flatMap((s) => (s.ssmParameter !== undefined ? [s.ssmParameter] : [])),
  );
  return [...new Set(names)].sort();
}

/**
 * A parameter's ARN: `arn:<partition>:ssm:<region>:<account>:parameter/<name>`, where a name
 * that starts with "/" keeps only one (AWS Systems Manager User Guide, "Restricting access to
 * Systems Manager parameters using IAM policies").
 */
export function parameterArn(
  name: string,
  own: { partition: string; region: string; account: string },
): string {
  return `arn:${own.partition}:ssm:${own.region}:${own.account}:parameter/${name.replace(/^\//, "")}`;
}

/** GetParameter on those parameters only. */
export function parametersPolicy(arns: string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "ContainerSecrets", Effect: "Allow", Action: "ssm:GetParameter", Resource: arns },
    ],
  });
}
