import * as fs from "node:fs";
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

async function build(
  name: string,
  extra: Partial<ConstructorParameters<typeof AwsDockerHost>[1]> = {},
) {
  const host = new AwsDockerHost(name, {
    os: "debian-12",
    sshPublicKey: DEPLOYER_PUBLIC_KEY,
    sshPrivateKey: pulumi.secret(
      "-----BEGIN OPENSSH PRIVATE KEY-----\ndeployer\n-----END OPENSSH PRIVATE KEY-----\n",
    ),
    sshAllowedCidrs: ["203.0.113.7/32"],
    containers: [
      {
        name: "web",
        image: "nginx:1.27",
        ports: [{ internal: 8080, external: 80, allowedCidrs: ["198.51.100.0/24"] }],
      },
    ],
    ...extra,
  });
  await valueOf(host.endpoints);
  await valueOf(host.ready);
  await settle(recorded);
  const mine = recorded.filter((r) => r.name.startsWith(name));
  return { host, mine };
}

describe("AwsDockerHost", () => {
  it("creates exactly the host's children, named from its name", async () => {
    const { mine } = await build("h1");
    expect(mine.map((r) => `${r.type} ${r.name}`).sort()).toStrictEqual(
      [
        "aws:ebs/volume:Volume h1-docker-data",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup h1-default-sg",
        "aws:ec2/instance:Instance h1-instance",
        "aws:ec2/internetGateway:InternetGateway h1-igw",
        "aws:ec2/keyPair:KeyPair h1-key",
        "aws:ec2/routeTable:RouteTable h1-routes",
        "aws:ec2/routeTableAssociation:RouteTableAssociation h1-routes-assoc",
        "aws:ec2/securityGroup:SecurityGroup h1-sg",
        "aws:ec2/subnet:Subnet h1-subnet",
        "aws:ec2/volumeAttachment:VolumeAttachment h1-docker-data-attachment",
        "aws:ec2/vpc:Vpc h1-vpc",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule h1-out-0-0-0-0-0",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule h1-in-ssh-203-0-113-7-32",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule h1-in-web-80-tcp-198-51-100-0-24",
        "command:remote:Command h1-ready",
        "command:local:Command h1-workstation",
        "docker:index/network:Network h1-services-network-default",
        "dockerhost:index:AwsDockerHost h1",
        "dockerhost:index:DockerServices h1-services",
        "docker:index/container:Container h1-services-web",
        "docker:index/remoteImage:RemoteImage h1-services-web-image",
        "pulumi:providers:docker h1-services-engine",
        "tls:index/privateKey:PrivateKey h1-host-key",
      ].sort(),
    );
  });

  it("requires IMDSv2 with hop limit 1, encrypts both disks, replaces on user-data change", async () => {
    const { mine } = await build("h2");
    const instance = byName(mine, "h2-instance").inputs;
    expect(instance.metadataOptions).toStrictEqual({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    });
    expect(instance.rootBlockDevice).toStrictEqual({
      volumeType: "gp3",
      volumeSize: 20,
      encrypted: true,
      deleteOnTermination: true,
      tags: { "dockerhost:host": "h2", Name: "h2-root" },
    });
    // volumeTags would fight the data volume's own tags on every up (the provider's warning).
    expect(instance.volumeTags).toBe(undefined);
    expect(byName(mine, "h2-docker-data").inputs.tags).toStrictEqual({
      "dockerhost:host": "h2",
      Name: "h2-docker-data",
    });
    expect(instance.userDataReplaceOnChange).toBe(true);
    expect(instance.instanceType).toBe("t3.small");
    expect(instance.ami).toBe("ami-from-ssm:/aws/service/debian/release/12/latest/amd64");
    expect(instance.associatePublicIpAddress).toBe(true);
    const volume = byName(mine, "h2-docker-data").inputs;
    expect({
      encrypted: volume.encrypted,
      type: volume.type,
      size: volume.size,
      az: volume.availabilityZone,
    }).toStrictEqual({ encrypted: true, type: "gp3", size: 30, az: "eu-west-1a" });
    const attachment = byName(mine, "h2-docker-data-attachment").inputs;
    expect({
      device: attachment.deviceName,
      volume: attachment.volumeId,
      instance: attachment.instanceId,
    }).toStrictEqual({
      device: "/dev/sdf",
      volume: "vol-0123456789abcdef0",
      instance: "i-0abc123",
    });
  });

  it("opens SSH and each published port only to their CIDRs", async () => {
    const { mine } = await build("h3");
    const ingress = mine
      .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .map((r) => ({
        cidr: r.inputs.cidrIpv4,
        from: r.inputs.fromPort,
        to: r.inputs.toPort,
        proto: r.inputs.ipProtocol,
      }));
    expect(ingress).toStrictEqual([
      { cidr: "203.0.113.7/32", from: 22, to: 22, proto: "tcp" },
      { cidr: "198.51.100.0/24", from: 80, to: 80, proto: "tcp" },
    ]);
  });

  it("opens the edge's 80 and 443 to edge.allowedCidrs when a container is proxied, and no port of the proxied one", async () => {
    const { mine } = await build("he", {
      edge: { allowedCidrs: ["0.0.0.0/0"] },
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          proxy: { host: "app.example.com", port: 8080 },
          healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"] },
        },
      ],
    });
    expect(
      mine
        .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort]),
    ).toStrictEqual([
      ["he-in-ssh-203-0-113-7-32", "203.0.113.7/32", 22],
      ["he-in-dockerhost-edge-80-tcp-0-0-0-0-0", "0.0.0.0/0", 80],
      ["he-in-dockerhost-edge-443-tcp-0-0-0-0-0", "0.0.0.0/0", 443],
    ]);
  });

  it("hands the bootstrap the host key and the data volume's NVMe path, as a secret", async () => {
    const { host, mine } = await build("h4");
    const raw = byName(mine, "h4-instance").inputs.userData;
    expect(isSecretInput(raw)).toBe(true);
    const userData = String(plain(raw));
    expect(userData).toMatch(/^#cloud-config\n/);
    expect(
      userData.includes("ed25519_private: |\n    -----BEGIN OPENSSH PRIVATE KEY-----"),
    ).toBeTruthy();
    expect(userData.includes(`ed25519_public: ${HOST_PUBLIC_KEY}`)).toBeTruthy();
    expect(
      userData.includes(
        "for candidate in /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0 /dev/xvdf /dev/sdf; do",
      ),
    ).toBeTruthy();
    expect(userData.includes("- name: admin\n")).toBeTruthy();
    const connection = await valueOf(host.connection);
    expect({
      host: connection.host,
      port: connection.port,
      user: connection.user,
      key: connection.hostPublicKey,
    }).toStrictEqual({ host: "203.0.113.10", port: 22, user: "admin", key: HOST_PUBLIC_KEY });
    expect(await pulumi.isSecret(host.connection)).toBe(true);
  });

  it("gates on the pinned host key and exposes the outputs every host has", async () => {
    const { host, mine } = await build("h5");
    const gate = byName(mine, "h5-ready").inputs;
    const conn = plain(gate.connection) as Record<string, unknown>;
    // The private key makes the connection a secret as it travels to the provider.
    expect(isSecretInput(gate.connection)).toBe(true);
    expect(conn.privateKey).toBe(
      "-----BEGIN OPENSSH PRIVATE KEY-----\ndeployer\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    expect(conn.hostKey).toBe(HOST_PUBLIC_KEY);
    expect(conn.host).toBe("203.0.113.10");
    expect(conn.user).toBe("admin");
    expect(conn.dialErrorLimit).toBe(150);
    expect(gate.triggers).toStrictEqual(["i-0abc123"]);
    expect(await valueOf(host.ready)).toBe("27.3.1");
    // The instance: new on a replaced host, whose engine version (ready) is the same.
    expect(await valueOf(host.machineId)).toBe("i-0abc123");
    expect(await valueOf(host.dockerHost)).toBe("ssh://admin@203.0.113.10");
    expect(await valueOf(host.endpoints)).toStrictEqual({ web: ["203.0.113.10:80"] });
    const ssh = await valueOf(host.sshCommand);
    expect(ssh).toMatch(
      /^ssh -o StrictHostKeyChecking=yes -o UserKnownHostsFile=\S+\/dev-h5\/known_hosts admin@203\.0\.113\.10$/,
    );
    const knownHosts = ssh.split("UserKnownHostsFile=")[1].split(" ")[0];
    expect(fs.readFileSync(knownHosts, "utf8")).toBe(`203.0.113.10 ${HOST_PUBLIC_KEY}\n`);
  });

  it("uses a given subnet's VPC instead of creating a network", async () => {
    const { mine } = await build("h6", { subnetId: "subnet-given", containers: [] });
    expect(mine.some((r) => r.type === "aws:ec2/vpc:Vpc")).toBe(false);
    expect(byName(mine, "h6-sg").inputs.vpcId).toBe("vpc-existing");
    expect(byName(mine, "h6-docker-data").inputs.availabilityZone).toBe("eu-west-1b");
    expect(mine.some((r) => r.type === "dockerhost:index:DockerServices")).toBe(false);
  });

  it("lets containers reach IMDS only when asked, and never under strict", async () => {
    const hop = async (name: string, extra: object) =>
      (
        byName((await build(name, extra)).mine, `${name}-instance`).inputs
          .metadataOptions as Record<string, unknown>
      ).httpPutResponseHopLimit;
    expect(await hop("h7", { containersNeedImds: true })).toBe(2);
    expect(await hop("h8", { containersNeedImds: true, hardening: "strict", containers: [] })).toBe(
      1,
    );
  });

  it("picks the newest RHEL minor release (not the newest upload), and t4g for arm64", async () => {
    const { mine } = await build("h9", { os: "rhel-9", arch: "arm64" });
    const instance = byName(mine, "h9-instance").inputs;
    expect(instance.ami).toBe("ami-rhel-9-6-newest");
    expect(instance.instanceType).toBe("t4g.small");
    expect(String(plain(instance.userData)).includes("- name: ec2-user\n")).toBeTruthy();
  });

  it("opens outbound to everywhere by default, narrows it to egressCidrs, or closes it with []", async () => {
    const egress = (mine: { type: string; name: string; inputs: Record<string, unknown> }[]) =>
      mine
        .filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        .map((r) => [r.name, r.inputs.ipProtocol, r.inputs.cidrIpv4, r.inputs.cidrIpv6]);
    expect(egress((await build("e1")).mine)).toStrictEqual([
      ["e1-out-0-0-0-0-0", "-1", "0.0.0.0/0", undefined],
    ]);
    expect(
      egress((await build("e2", { egressCidrs: ["10.0.0.0/8", "2001:db8::/32"] })).mine),
    ).toStrictEqual([
      ["e2-out-10-0-0-0-8", "-1", "10.0.0.0/8", undefined],
      ["e2-out-2001-db8-32", "-1", undefined, "2001:db8::/32"],
    ]);
    expect(egress((await build("e3", { egressCidrs: [] })).mine)).toStrictEqual([]);
    expect(
      configProblems(
        () =>
          new AwsDockerHost("bad-egress", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAllowedCidrs: ["203.0.113.7/32"],
            egressCidrs: ["10.0.0.0/8", "everywhere"],
          }),
      ),
    ).toStrictEqual(['egressCidrs[1]: "everywhere" is not a CIDR. Use e.g. "203.0.113.7/32".']);
  });

  it("boots a baked AMI with the payload that checks it, and asks for the AMI", async () => {
    const { mine } = await build("b1", { ami: "ami-baked0123", bakedImage: true });
    const instance = byName(mine, "b1-instance").inputs;
    expect(instance.ami).toBe("ami-baked0123");
    const userData = String(plain(instance.userData));
    expect(userData).toContain("/usr/local/lib/dockerhost/30-check-image.sh");
    expect(userData).not.toContain("/usr/local/lib/dockerhost/packages.sh");
    expect(
      configProblems(
        () =>
          new AwsDockerHost("b2", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAllowedCidrs: ["203.0.113.7/32"],
            bakedImage: true,
          }),
      ),
    ).toStrictEqual([
      "bakedImage: true needs ami, the bake's image (an AwsDockerHostImage's amiId output); the catalog's image holds no bake. Set ami, or remove bakedImage to install at first boot.",
    ]);
  });

  it("refuses bad input before creating anything, listing every problem", () => {
    const before = recorded.length;
    expect(
      configProblems(
        () =>
          new AwsDockerHost("bad", {
            os: "debian-12",
            arch: "arm64",
            instanceType: "t3.small",
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAllowedCidrs: ["0.0.0.0/0"],
            containers: [
              { name: "a", image: "x", ports: [{ internal: 80 }] },
              { name: "b", image: "y", ports: [{ internal: 80 }] },
            ],
          }),
      ),
    ).toStrictEqual([
      'instanceType: t3.small is an x86_64 type but arch is arm64. Use an arm64 type such as t4g.small, or set arch: "x86_64".',
      'sshAllowedCidrs[0]: "0.0.0.0/0" opens SSH to the whole internet. Name your own ranges (e.g. "203.0.113.7/32"), or set allowSshFromAnywhere: true to accept that risk.',
      'containers[1].ports[0].external: host port 80/tcp is already published by containers[0] ("a"). Pick another external port.',
    ]);
    // At most the component itself registered: its constructor threw before any child.
    const types = new Set(recorded.slice(before).map((r) => r.type));
    expect([...types].every((t) => t === "dockerhost:index:AwsDockerHost")).toBeTruthy();
  });
});
