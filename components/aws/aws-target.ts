import { argsShape } from "../core/args-shape";
import { bakedImageProblems, type HostTarget } from "../host/host-args";
import { egressProblems } from "../core/validate-network";
import type { AwsDockerHostArgs } from "./aws-docker-host";
import { sessionOsProblems } from "./session-access";
import {
  containerLogsProblems,
  identityBesidesLogs,
  resolvedContainerLogs,
} from "./container-logs";
import { ecrProblems } from "./ecr-pulls";
import { secretStoreProblems } from "../services/cloud-secrets";
import { DEFAULT_INSTANCE_TYPE, instanceTypeProblems } from "./instance-types";

/** What checkHostArgs needs to know of EC2 hosts. Pure: no resources, no cloud calls. */
export const AWS_TARGET: HostTarget<AwsDockerHostArgs> = {
  cloud: "aws",
  defaultOs: "amazon-linux-2023",
  schema: argsShape("AwsDockerHost"),
  requireSshCidrs: true,
  sessionAccess: true,
  shippedLogDriver: (args) =>
    resolvedContainerLogs(args, identityBesidesLogs(args, args.sshAccess === "session")) === "cloud"
      ? "awslogs"
      : undefined,
  cloudProblems: (args) => {
    const arch = args.arch ?? "x86_64";
    return [
      ...(args.sshAccess === "session" ? sessionOsProblems(args.os ?? "amazon-linux-2023") : []),
      ...(args.ssmEndpoints && args.sshAccess !== "session"
        ? [
            'ssmEndpoints: only used with sshAccess: "session". Remove it, or set sshAccess: "session".',
          ]
        : []),
      ...containerLogsProblems(args, identityBesidesLogs(args, args.sshAccess === "session")),
      ...ecrProblems({ ...args, os: args.os ?? "amazon-linux-2023" }),
      ...secretStoreProblems(args.containers, "ssmParameter", "an AWS host"),
      ...(args.ssmEndpoints && (args.ecrRepositories?.length ?? 0) > 0
        ? [
            "ecrRepositories: with ssmEndpoints the subnet has no way out, and a pull from ECR also needs the ecr.api and ecr.dkr interface endpoints and an S3 gateway endpoint, which dockerhost does not make. Give the subnet a way out (a NAT) instead of ssmEndpoints, or create those endpoints in the VPC yourself and remove ssmEndpoints.",
          ]
        : []),
      ...instanceTypeProblems(args.instanceType ?? DEFAULT_INSTANCE_TYPE[arch], arch),
      ...egressProblems(args.egressCidrs),
      ...bakedImageProblems(
        args.bakedImage,
        "ami",
        args.ami !== undefined,
        "an AwsDockerHostImage's amiId output",
      ),
    ];
  },
};
