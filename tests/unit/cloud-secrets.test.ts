import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYER_PUBLIC_KEY,
  byName,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
// Imported after the mocks are in place, as the stack program would be.
import { AwsDockerHost } from "../../components/aws/aws-docker-host";
import {
  cloudSecretsProblems,
  ownerOf,
  secretsManifest,
  secretsRemoveScript,
  secretsStepScript,
} from "../../components/services/cloud-secrets";
import {
  namedParameters,
  parameterArn,
  parametersPolicy,
} from "../../components/aws/parameter-secrets";
import type { ContainerSpec } from "../../components/core/container-spec";
import { configProblems } from "../support/config-problems";

const OWN = { partition: "aws", region: "eu-west-1", account: "123456789012" };
const API: ContainerSpec = {
  name: "api",
  image: "nginx:1.27",
  user: "101:102",
  cloudSecrets: [
    { name: "db-password", ssmParameter: "/shop/prod/db-password" },
    { name: "api-key", ssmParameter: "shop-api-key" },
  ],
};

describe("cloud secrets: the pure parts", () => {
  it("writes the manifest the fetcher reads: the files' directory, owner and parameters", () => {
    expect(JSON.parse(secretsManifest("web-services", API))).toStrictEqual({
      dir: "/run/dockerhost/secrets/web-services/api",
      uid: 101,
      gid: 102,
      secrets: [
        { name: "db-password", parameter: "/shop/prod/db-password" },
        { name: "api-key", parameter: "shop-api-key" },
      ],
    });
  });

  it.each<[string | undefined, [number, number]]>([
    [undefined, [0, 0]],
    ["1000", [1000, 1000]],
    ["101:102", [101, 102]],
  ])("owns the files as the container's user %j", (user, owner) => {
    expect(ownerOf(user)).toStrictEqual(owner);
  });

  it("installs the fetcher and its units, writes the manifest and reads it, as root", () => {
    const step = secretsStepScript("web-services", API);
    expect(step.startsWith("sudo -n sh -c '")).toBe(true);
    for (const line of [
      "python3 -c 'import botocore'",
      "/usr/local/libexec/dockerhost-fetch-secrets",
      "systemctl enable -q dockerhost-secrets.service",
      "systemctl enable -q --now dockerhost-secrets.timer",
      "/usr/local/libexec/dockerhost-fetch-secrets /etc/dockerhost/secrets/web-services-api.json",
    ])
      expect(step).toContain(line.replace(/'/g, `'"'"'`));
    expect(secretsRemoveScript("web-services", API)).toBe(
      "sudo -n rm -rf /etc/dockerhost/secrets/web-services-api.json /run/dockerhost/secrets/web-services/api",
    );
  });

  it("grants GetParameter on the named parameters only, one slash in each ARN", () => {
    expect(namedParameters([API, { ...API, name: "worker" }])).toStrictEqual([
      "/shop/prod/db-password",
      "shop-api-key",
    ]);
    expect(parameterArn("/shop/prod/db-password", OWN)).toBe(
      "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/prod/db-password",
    );
    expect(JSON.parse(parametersPolicy(["arn:x"]))).toStrictEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ContainerSecrets",
          Effect: "Allow",
          Action: "ssm:GetParameter",
          Resource: ["arn:x"],
        },
      ],
    });
  });

  it.each<[string, ContainerSpec, string[]]>([
    ["a valid container", API, []],
    [
      "a file name, a repeated name, a parameter and a user by name",
      {
        name: "api",
        user: "nginx",
        cloudSecrets: [
          { name: "../x", ssmParameter: "/ok" },
          { name: "a", ssmParameter: "bad name" },
          { name: "a", ssmParameter: "/ok" },
        ],
        volumes: [{ containerPath: "/run/secrets/a", hostPath: "/srv/a" }],
      },
      [
        'containers[0].cloudSecrets[0].name: "../x" cannot name a file in /run/secrets. Use letters, digits, ".", "_" and "-".',
        'containers[0].cloudSecrets[1].ssmParameter: "bad name" is no SSM parameter name. Give its name, e.g. "/shop/prod/db-password".',
        'containers[0].cloudSecrets[2].name: "a" is already a secret of this container.',
        'containers[0].user: "nginx" is a name the host cannot resolve, and the host writes the container\'s secret files for its user. Give it as numbers, e.g. "101" or "101:101".',
        "containers[0].volumes: /run/secrets/a is also a cloud secret's file. Remove one of them.",
      ],
    ],
  ])("%s", (_, spec, problems) => {
    expect(cloudSecretsProblems(spec, "containers[0]")).toStrictEqual(problems);
  });
});

describe("AwsDockerHost with a container's cloudSecrets", () => {
  it("grants the role the parameters, reads them on the host before the container, and mounts each file", async () => {
    const host = new AwsDockerHost("cs1", {
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      sshPrivateKey: pulumi.secret("PRIVATE"),
      sshAllowedCidrs: ["203.0.113.7/32"],
      containers: [API],
    });
    await valueOf(host.endpoints);
    await settle(recorded);
    const mine = recorded.filter((r) => r.name.startsWith("cs1-"));
    expect(byName(mine, "cs1-role").inputs.description).toBe("dockerhost cs1: container secrets");
    expect(JSON.parse(String(byName(mine, "cs1-secrets-policy").inputs.policy))).toStrictEqual(
      JSON.parse(
        parametersPolicy([
          "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/prod/db-password",
          "arn:aws:ssm:eu-west-1:123456789012:parameter/shop-api-key",
        ]),
      ),
    );
    const step = byName(mine, "cs1-services-api-secrets");
    expect(step.type).toBe("command:remote:Command");
    expect(step.inputs.create).toBe(secretsStepScript("cs1-services", API));
    expect(step.inputs.triggers).toBeUndefined();
    // Amazon Linux 2023 runs SELinux, so the engine labels each file for this container (`:Z`).
    const volumes = plain(byName(mine, "cs1-services-api").inputs.volumes) as unknown[];
    expect(volumes).toStrictEqual([
      {
        containerPath: "/run/secrets/db-password",
        hostPath: "/run/dockerhost/secrets/cs1-services/api/db-password",
        readOnly: true,
        selinuxRelabel: "Z",
      },
      {
        containerPath: "/run/secrets/api-key",
        hostPath: "/run/dockerhost/secrets/cs1-services/api/api-key",
        readOnly: true,
        selinuxRelabel: "Z",
      },
    ]);
  });

  it("refuses a secret the host cannot own for the container's user, at preview", () => {
    expect(
      configProblems(
        () =>
          new AwsDockerHost("cs2", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAllowedCidrs: ["203.0.113.7/32"],
            containers: [{ ...API, user: "app" }],
          }),
      ),
    ).toStrictEqual([
      'containers[0].user: "app" is a name the host cannot resolve, and the host writes the container\'s secret files for its user. Give it as numbers, e.g. "101" or "101:101".',
    ]);
  });
});
