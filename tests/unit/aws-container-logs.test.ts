import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYER_PUBLIC_KEY,
  byName,
  optionsRecorder,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
// Imported after the mocks are in place, as the stack program would be.
import { AwsDockerHost } from "../../components/aws/aws-docker-host";
import {
  awslogsOptions,
  containerLogsProblems,
  logGroupName,
  logsPolicy,
  resolvedContainerLogs,
} from "../../components/aws/container-logs";
import { configProblems } from "../support/config-problems";
import { writtenFiles } from "../support/ec2-user-data";

const GROUP_ARN = "arn:aws:logs:eu-west-1:123456789012:log-group:/dockerhost/dockerhost/dev/l1";

async function build(
  name: string,
  extra: Partial<ConstructorParameters<typeof AwsDockerHost>[1]> = {},
) {
  const options = optionsRecorder();
  const host = new AwsDockerHost(
    name,
    {
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      sshPrivateKey: pulumi.secret("PRIVATE"),
      sshAllowedCidrs: ["203.0.113.7/32"],
      ...extra,
    },
    { transformations: [options.record] },
  );
  await valueOf(host.ready);
  await settle(recorded);
  return { options: options.byName, mine: recorded.filter((r) => r.name.startsWith(`${name}-`)) };
}

/** daemon.json as the host's user-data writes it. */
function daemonJson(inputs: Record<string, unknown>): Record<string, unknown> {
  const file = writtenFiles(inputs).find((f) => f.path === "/etc/docker/daemon.json");
  return JSON.parse(file!.content) as Record<string, unknown>;
}

describe("container logs in CloudWatch: the pure parts", () => {
  it.each<[string, { containerLogs?: "host" | "cloud"; hardening?: string }, boolean, string]>([
    ["unset, baseline, no identity", {}, false, "host"],
    ["unset, baseline, an identity", {}, true, "host"],
    [
      "unset, strict, no identity: none is made for logs alone",
      { hardening: "strict" },
      false,
      "host",
    ],
    ["unset, strict, an identity (session)", { hardening: "strict" }, true, "cloud"],
    ["host, strict, an identity", { hardening: "strict", containerLogs: "host" }, true, "host"],
    ["cloud, baseline, no identity", { containerLogs: "cloud" }, false, "cloud"],
  ])("%s: %s", (_, args, identity, expected) => {
    expect(resolvedContainerLogs(args, identity)).toBe(expected);
  });

  it("names one group per project, stack and host, and its options", () => {
    expect(logGroupName("shop", "prod", "web")).toBe("/dockerhost/shop/prod/web");
    expect(awslogsOptions("eu-west-1", "/dockerhost/shop/prod/web")).toStrictEqual({
      "awslogs-region": "eu-west-1",
      "awslogs-group": "/dockerhost/shop/prod/web",
      tag: "{{.Name}}/{{.ID}}",
      mode: "non-blocking",
      "max-buffer-size": "4m",
    });
  });

  it("grants streams and events in the host's group only", () => {
    expect(JSON.parse(logsPolicy(GROUP_ARN))).toStrictEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ContainerLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${GROUP_ARN}:*`,
        },
      ],
    });
  });

  it.each<[string, Parameters<typeof containerLogsProblems>[0], string[]]>([
    ["a valid retention", { containerLogs: "cloud", logRetentionDays: 90 }, []],
    ["forever", { containerLogs: "cloud", logRetentionDays: 0 }, []],
    [
      "a retention CloudWatch refuses",
      { containerLogs: "cloud", logRetentionDays: 10 },
      [
        "logRetentionDays: 10 is no retention CloudWatch Logs accepts. Use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 0 (0 keeps the logs forever).",
      ],
    ],
    [
      "the daemon's log keys set beside shipping",
      {
        containerLogs: "cloud",
        docker: { daemonConfigJson: '{"log-driver":"local","log-opts":{},"icc":false}' },
      },
      [
        'docker.daemonConfigJson.log-driver: containerLogs "cloud" sets the engine\'s log-driver (awslogs to the host\'s log group). Remove log-driver from daemonConfigJson, or set containerLogs: "host".',
        'docker.daemonConfigJson.log-opts: containerLogs "cloud" sets the engine\'s log-opts (awslogs to the host\'s log group). Remove log-opts from daemonConfigJson, or set containerLogs: "host".',
      ],
    ],
    [
      "the daemon's log keys with logs on the host",
      { docker: { daemonConfigJson: '{"log-driver":"local"}' } },
      [],
    ],
  ])("%s", (_, args, problems) => {
    expect(containerLogsProblems(args, false)).toStrictEqual(problems);
  });
});

describe("AwsDockerHost with containerLogs: cloud", () => {
  it("makes the host's group with its retention, a role that writes only there, and waits for it", async () => {
    const { mine, options } = await build("l1", { containerLogs: "cloud", logRetentionDays: 90 });
    expect(
      mine
        .filter((r) => /aws:(iam|cloudwatch)/.test(r.type))
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual([
      "aws:cloudwatch/logGroup:LogGroup l1-logs",
      "aws:iam/instanceProfile:InstanceProfile l1-profile",
      "aws:iam/role:Role l1-role",
      "aws:iam/rolePolicy:RolePolicy l1-logs-policy",
    ]);
    expect(byName(mine, "l1-logs").inputs).toStrictEqual({
      name: "/dockerhost/dockerhost/dev/l1",
      retentionInDays: 90,
      tags: { "dockerhost:host": "l1" },
    });
    expect(byName(mine, "l1-role").inputs.description).toBe("dockerhost l1: container logs");
    const policy = byName(mine, "l1-logs-policy").inputs;
    expect(policy.role).toBe("builder-role-1234");
    expect(JSON.parse(String(policy.policy))).toStrictEqual(JSON.parse(logsPolicy(GROUP_ARN)));
    expect(byName(mine, "l1-instance").inputs.iamInstanceProfile).toBe("builder-profile-1234");
    const dependsOn = (options.get("l1-instance")?.dependsOn ?? []) as pulumi.Resource[];
    const grants = await Promise.all(dependsOn.map((r) => valueOf(r.urn)));
    expect(grants.map((u) => u.split("::").pop())).toStrictEqual(["l1-logs-policy"]);
    // Port 22 still opens to the given range: logs need no session.
    expect(mine.some((r) => r.name === "l1-in-ssh-203-0-113-7-32")).toBe(true);
  });

  it("writes the awslogs driver into the host's daemon.json, over the profile's log settings", async () => {
    const { mine } = await build("l2", { containerLogs: "cloud" });
    expect(byName(mine, "l2-logs").inputs.retentionInDays).toBe(30);
    expect(daemonJson(byName(mine, "l2-instance").inputs)).toMatchObject({
      "log-driver": "awslogs",
      "log-opts": awslogsOptions("eu-west-1", "/dockerhost/dockerhost/dev/l2"),
      icc: false,
    });
  });

  it("keeps a baseline host's logs on the host, with no identity", async () => {
    const { mine } = await build("l3");
    expect(mine.some((r) => /aws:(iam|cloudwatch)/.test(r.type))).toBe(false);
    expect(byName(mine, "l3-instance").inputs.iamInstanceProfile).toBeUndefined();
    expect(daemonJson(byName(mine, "l3-instance").inputs)).toMatchObject({
      "log-driver": "json-file",
      "log-opts": { "max-size": "10m", "max-file": "3" },
    });
  });

  it("ships a strict session host's logs by default, on the same role as the session", async () => {
    const { mine } = await build("l4", {
      hardening: "strict",
      sshAccess: "session",
      sshAllowedCidrs: undefined,
    });
    expect(byName(mine, "l4-role").inputs.description).toBe(
      "dockerhost l4: Session Manager, container logs",
    );
    expect(daemonJson(byName(mine, "l4-instance").inputs)["log-driver"]).toBe("awslogs");
    expect(byName(mine, "l4-logs").inputs.name).toBe("/dockerhost/dockerhost/dev/l4");
  });

  it("refuses a retention CloudWatch does not take, at preview, naming the field", () => {
    expect(
      configProblems(
        () =>
          new AwsDockerHost("l5", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAllowedCidrs: ["203.0.113.7/32"],
            containerLogs: "cloud",
            logRetentionDays: 10,
          }),
      ),
    ).toStrictEqual([
      "logRetentionDays: 10 is no retention CloudWatch Logs accepts. Use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 0 (0 keeps the logs forever).",
    ]);
  });
  it.each<[string, Partial<ConstructorParameters<typeof AwsDockerHost>[1]>]>([
    ["baseline", { containerLogs: "cloud" }],
    [
      "strict, over a session",
      { hardening: "strict", sshAccess: "session", sshAllowedCidrs: undefined },
    ],
  ])(
    "refuses a container's rotation options that awslogs would refuse at create (%s)",
    (_, extra) => {
      expect(
        configProblems(
          () =>
            new AwsDockerHost("l6", {
              sshPublicKey: DEPLOYER_PUBLIC_KEY,
              sshAllowedCidrs: ["203.0.113.7/32"],
              containers: [
                {
                  name: "web",
                  image: "nginx@sha256:" + "a".repeat(64),
                  user: "101",
                  healthcheck: { test: ["NONE"] },
                  logging: { options: { "max-size": "10m" } },
                },
              ],
              ...extra,
            }),
        ).filter((p) => p.includes("logging")),
      ).toStrictEqual([
        'containers[0].logging.options.max-size: the host ships containers\' logs with awslogs (containerLogs: "cloud"), which takes no max-size. Give driver: "json-file" (or "local") with it, or leave it out.',
      ]);
    },
  );
  it("adds CloudWatch Logs' endpoint to a subnet with no way out, where logs ship", async () => {
    const { mine } = await build("l7", {
      hardening: "strict",
      sshAccess: "session",
      sshAllowedCidrs: undefined,
      ssmEndpoints: true,
    });
    expect(
      mine
        .filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
        .map((r) => [r.name, r.inputs.serviceName]),
    ).toStrictEqual([
      ["l7-ssm", "com.amazonaws.eu-west-1.ssm"],
      ["l7-ssmmessages", "com.amazonaws.eu-west-1.ssmmessages"],
      ["l7-ec2messages", "com.amazonaws.eu-west-1.ec2messages"],
      ["l7-logs-endpoint", "com.amazonaws.eu-west-1.logs"],
    ]);
  });
});
