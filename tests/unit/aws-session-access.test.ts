import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYER_PUBLIC_KEY,
  HOST_PUBLIC_KEY,
  byName,
  isSecretInput,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
// Imported after the mocks are in place, as the stack program would be.
import { AwsDockerHost } from "../../components/aws/aws-docker-host";
import { configProblems } from "../support/config-problems";

const PROXY =
  "aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-west-1";

async function build(
  name: string,
  extra: Partial<ConstructorParameters<typeof AwsDockerHost>[1]> = {},
) {
  const host = new AwsDockerHost(name, {
    sshPublicKey: DEPLOYER_PUBLIC_KEY,
    sshPrivateKey: pulumi.secret("PRIVATE"),
    sshAccess: "session",
    containers: [
      {
        name: "web",
        image: "nginx:1.27",
        ports: [{ internal: 8080, external: 80, allowedCidrs: ["198.51.100.0/24"] }],
        healthcheck: { test: ["CMD", "true"] },
        volumes: [
          {
            containerPath: "/etc/web",
            files: { name: "web", entries: [{ path: "a.conf", contentBase64: "YQ==" }] },
            readOnly: true,
          },
        ],
      },
    ],
    ...extra,
  });
  await valueOf(host.endpoints);
  await valueOf(host.ready);
  await settle(recorded);
  return { host, mine: recorded.filter((r) => r.name.startsWith(name)) };
}

describe("AwsDockerHost with sshAccess: session", () => {
  it("adds a role with the Session Manager policy and opens no inbound SSH", async () => {
    const { mine } = await build("s1");
    const types = mine.map((r) => `${r.type} ${r.name}`);
    expect(types.filter((t) => t.includes("aws:iam")).sort()).toStrictEqual([
      "aws:iam/instanceProfile:InstanceProfile s1-profile",
      "aws:iam/role:Role s1-role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment s1-ssm-core",
    ]);
    // The container's own port still opens to its CIDRs; nothing opens port 22.
    expect(types.filter((t) => t.includes("IngressRule"))).toStrictEqual([
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule s1-in-web-80-tcp-198-51-100-0-24",
    ]);
    expect(JSON.parse(String(byName(mine, "s1-role").inputs.assumeRolePolicy))).toStrictEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
    expect(byName(mine, "s1-ssm-core").inputs.policyArn).toBe(
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
    // The profile's name as the provider names it (the mocks' computed name).
    expect(byName(mine, "s1-instance").inputs.iamInstanceProfile).toBe("builder-profile-1234");
    expect(byName(mine, "s1-profile").inputs.role).toBe("builder-role-1234");
    expect(byName(mine, "s1-ssm-core").inputs.role).toBe("builder-role-1234");
    expect(types.some((t) => t.includes("VpcEndpoint"))).toBe(false);
  });

  it("runs every SSH step as the system ssh through Session Manager, the key pinned and secret", async () => {
    const { host, mine } = await build("s2");
    const steps = mine.filter((r) => r.type.startsWith("command:"));
    expect(steps.map((r) => `${r.type} ${r.name}`).sort()).toStrictEqual([
      "command:local:Command s2-ready",
      "command:local:Command s2-services-files-web",
      "command:local:Command s2-services-web-healthy",
      "command:local:Command s2-workstation",
    ]);
    for (const name of ["s2-ready", "s2-services-files-web", "s2-services-web-healthy"]) {
      const inputs = byName(mine, name).inputs;
      expect(isSecretInput(inputs.environment)).toBe(true);
      expect(plain(inputs.environment)).toStrictEqual({
        DOCKERHOST_SSH_KNOWN_HOSTS: `i-0abc123 ${HOST_PUBLIC_KEY}`,
        DOCKERHOST_SSH_TARGET: "ec2-user@i-0abc123",
        DOCKERHOST_SSH_PORT: "22",
        DOCKERHOST_SSH_PROXY: PROXY,
        DOCKERHOST_SSH_KEY: "PRIVATE",
      });
      expect(String(inputs.create)).toContain('-o ProxyCommand="$DOCKERHOST_SSH_PROXY"');
    }
    // The gate keeps its 150 tries; the shipped files' delete runs over the session too.
    expect(String(byName(mine, "s2-ready").inputs.create)).toContain('if [ "$n" -ge 150 ]');
    expect(String(byName(mine, "s2-services-files-web").inputs.delete)).toContain(
      '"$DOCKERHOST_SSH_TARGET"',
    );
    const provider = byName(mine, "s2-services-engine").inputs;
    expect(JSON.parse(String(plain(provider.sshOpts))).slice(-2)).toStrictEqual([
      "-o",
      `ProxyCommand=${PROXY}`,
    ]);
    expect(await valueOf(host.dockerHost)).toBe("ssh://ec2-user@i-0abc123");
    expect(await valueOf(host.sshCommand)).toMatch(
      /^ssh -o StrictHostKeyChecking=yes -o UserKnownHostsFile=\S+known_hosts -o 'ProxyCommand=aws ssm start-session .* --region eu-west-1' ec2-user@i-0abc123$/,
    );
  });

  it("creates the three Systems Manager endpoints when asked, open to the host's group only", async () => {
    const { mine } = await build("s3", { ssmEndpoints: true });
    const endpoints = mine.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints.map((e) => e.inputs.serviceName).sort()).toStrictEqual([
      "com.amazonaws.eu-west-1.ec2messages",
      "com.amazonaws.eu-west-1.ssm",
      "com.amazonaws.eu-west-1.ssmmessages",
    ]);
    for (const e of endpoints)
      expect(e.inputs).toMatchObject({ vpcEndpointType: "Interface", privateDnsEnabled: true });
    expect(byName(mine, "s3-ssm-endpoints-in").inputs).toMatchObject({
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: "s3-sg-id",
    });
  });

  it("refuses what a session cannot carry, naming each field", () => {
    expect(
      configProblems(
        () =>
          new AwsDockerHost("bad-s", {
            os: "debian-12",
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAccess: "session",
            sshAllowedCidrs: ["203.0.113.7/32"],
          }),
      ),
    ).toStrictEqual([
      'sshAccess: "session" needs SSM Agent on the host, and the debian-12 AMI carries none (dockerhost installs it only on images that lack it, which is not built yet). Use os: "amazon-linux-2023" or "ubuntu-24.04", or sshAccess: "direct".',
      'sshAllowedCidrs: not used with sshAccess: "session", where SSH comes through the session service and no range of yours reaches port 22. Remove sshAllowedCidrs, or set sshAccess: "direct" to dial port 22 from those ranges.',
    ]);
    expect(
      configProblems(
        () =>
          new AwsDockerHost("bad-d", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            ssmEndpoints: true,
          }),
      ),
    ).toStrictEqual([
      'ssmEndpoints: only used with sshAccess: "session". Remove it, or set sshAccess: "session".',
      'sshAllowedCidrs: required with sshAccess: "direct" (the default), which dials port 22. Name the ranges the deployer connects from (your workstation\'s address as "203.0.113.7/32", or your CI runners\' egress range), or set sshAccess: "session" to open no inbound port at all.',
    ]);
  });
});
