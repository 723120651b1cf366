import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYER_PUBLIC_KEY, byName, settle, useMocks, valueOf } from "../support/pulumi-mocks";

const recorded = useMocks();
// Imported after the mocks are in place, as the stack program would be.
import { AwsDockerHost } from "../../components/aws/aws-docker-host";
import {
  ecrImageOf,
  ecrPullPolicy,
  ecrProblems,
  ecrRegistries,
  parseEcrRepository,
  withHostPulls,
} from "../../components/aws/ecr-pulls";
import {
  credentialHelpersScript,
  dockerConfigJson,
} from "../../components/bootstrap/credential-helpers";
import { hostPullScript } from "../../components/services/host-pull";
import { configProblems } from "../support/config-problems";
import { writtenFiles } from "../support/ec2-user-data";

const OWN = {
  partition: "aws",
  region: "eu-west-1",
  account: "123456789012",
  dnsSuffix: "amazonaws.com",
};
const APP = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.4";

describe("ECR pulls by the host's identity: the pure parts", () => {
  it.each<[string, ReturnType<typeof parseEcrRepository>]>([
    ["team/app", { name: "team/app" }],
    [
      "arn:aws-cn:ecr:cn-north-1:210987654321:repository/base",
      { name: "base", partition: "aws-cn", region: "cn-north-1", account: "210987654321" },
    ],
    ["Team/App", undefined],
    ["a", undefined],
    ["arn:aws:ecr:eu-west-1:1234:repository/app", undefined],
  ])("reads %j", (entry, parsed) => {
    expect(parseEcrRepository(entry)).toStrictEqual(parsed);
  });

  it.each<[string, ReturnType<typeof ecrImageOf>]>([
    [
      APP,
      {
        registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        account: "123456789012",
        region: "eu-west-1",
        repository: "team/app",
      },
    ],
    [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:" + "a".repeat(64),
      {
        registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        account: "123456789012",
        region: "eu-west-1",
        repository: "app",
      },
    ],
    ["nginx:1.27", undefined],
    ["ghcr.io/org/app:1", undefined],
  ])("finds the ECR repository of %s", (image, found) => {
    expect(ecrImageOf(image)).toStrictEqual(found);
  });

  it("serves the host's own registry and each ARN's, and grants pulls from those repositories only", () => {
    const repositories = ["team/app", "arn:aws:ecr:us-east-1:210987654321:repository/base"].map(
      (e) => parseEcrRepository(e)!,
    );
    expect(ecrRegistries(repositories, OWN)).toStrictEqual([
      "123456789012.dkr.ecr-fips.eu-west-1.amazonaws.com",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
      "210987654321.dkr.ecr-fips.us-east-1.amazonaws.com",
      "210987654321.dkr.ecr.us-east-1.amazonaws.com",
    ]);
    expect(
      JSON.parse(ecrPullPolicy(["arn:aws:ecr:eu-west-1:123456789012:repository/team/app"])),
    ).toStrictEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "RegistryToken",
          Effect: "Allow",
          Action: "ecr:GetAuthorizationToken",
          Resource: "*",
        },
        {
          Sid: "PullNamedRepositories",
          Effect: "Allow",
          Action: [
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
          ],
          Resource: ["arn:aws:ecr:eu-west-1:123456789012:repository/team/app"],
        },
      ],
    });
  });

  it("pulls on the host what its repositories hold or what is known only at deploy", () => {
    const later = pulumi.output(APP);
    const containers = [
      { name: "app", image: APP },
      { name: "web", image: "nginx:1.27" },
      { name: "late", image: later },
      { name: "own", image: APP, pullOnHost: false },
      { name: "built", build: { context: "./app" } },
    ];
    expect(
      withHostPulls(containers, ["team/app"], undefined)?.map((c) => c.pullOnHost),
    ).toStrictEqual([true, undefined, true, false, undefined]);
    // With a password for some registry, an image known only at deploy stays the provider's.
    expect(
      withHostPulls(containers, ["team/app"], [{ address: "ghcr.io" }])?.map((c) => c.pullOnHost),
    ).toStrictEqual([true, undefined, undefined, false, undefined]);
    expect(withHostPulls(containers, undefined, undefined)).toBe(containers);
  });

  it.each<[string, Parameters<typeof ecrProblems>[0], string[]]>([
    ["a named repository", { ecrRepositories: ["team/app"], containers: [{ image: APP }] }, []],
    [
      "a repository with a password instead",
      {
        containers: [{ image: APP }],
        registries: [{ address: "123456789012.dkr.ecr.eu-west-1.amazonaws.com" }],
      },
      [],
    ],
    [
      "an image in an unnamed repository, and a bad entry",
      { ecrRepositories: ["Team"], containers: [{ image: "nginx:1" }, { image: APP }] },
      [
        'ecrRepositories[0]: "Team" is neither a repository name (lowercase, e.g. "team/app") nor a repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>).',
        'containers[1].image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.4" is in ECR repository "team/app", which ecrRepositories does not name, so the host may not pull it. Add "team/app" (or its ARN) to ecrRepositories.',
      ],
    ],
    [
      "an OS without the helper",
      { os: "rhel-9", ecrRepositories: ["team/app"] },
      [
        'ecrRepositories: rhel-9 has no package for docker-credential-ecr-login (amazon-ecr-credential-helper), which pulls with the host\'s identity. Use os "amazon-linux-2023", "ubuntu-24.04" or "debian-12", or give the registry a username and password in registries.',
      ],
    ],
  ])("%s", (_, args, problems) => {
    expect(ecrProblems(args)).toStrictEqual(problems);
  });

  it("renders root's docker config, the helper's install per package manager, and the host's pull", () => {
    const helpers = { "123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login" as const };
    expect(JSON.parse(dockerConfigJson(helpers))).toStrictEqual({ credHelpers: helpers });
    const apt = credentialHelpersScript("apt", "debian-12", helpers);
    expect(apt).toContain("if ! command -v docker-credential-ecr-login >/dev/null 2>&1; then");
    expect(apt).toMatch(
      /apt-get .* install amazon-ecr-credential-helper \|\| \{ apt-get .* update && apt-get .* install amazon-ecr-credential-helper; \}/,
    );
    expect(credentialHelpersScript("dnf", "amazon-linux-2023", helpers)).toContain(
      "  dnf -y -q install amazon-ecr-credential-helper || ",
    );
    expect(hostPullScript(APP).split("\n")).toStrictEqual([
      "n=0",
      // A reference needs no quotes; shellQuote adds them only where the shell would read one.
      `until err=$(sudo -n -H docker pull -q ${APP} 2>&1 >/dev/null); do`,
      "  n=$((n+1))",
      '  case "$err" in',
      '    *unauthorized*|*"not authorized"*|*"HTTP Error 40"[13]*|*"403 Forbidden"*) [ "$n" -lt 60 ] || { echo "$err" >&2; exit 1; }; sleep 10 ;;',
      '    *) echo "$err" >&2; exit 1 ;;',
      "  esac",
      "done",
      `sudo -n docker image inspect -f '{{.Id}}' ${APP}`,
    ]);
  });
});

describe("AwsDockerHost with ecrRepositories", () => {
  async function build(
    name: string,
    extra: Partial<ConstructorParameters<typeof AwsDockerHost>[1]> = {},
  ) {
    const host = new AwsDockerHost(name, {
      os: "debian-12",
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      sshPrivateKey: pulumi.secret("PRIVATE"),
      sshAllowedCidrs: ["203.0.113.7/32"],
      ecrRepositories: ["team/app"],
      containers: [
        { name: "app", image: APP },
        { name: "web", image: "nginx:1.27" },
      ],
      ...extra,
    });
    await valueOf(host.ready);
    await valueOf(host.endpoints);
    await settle(recorded);
    return recorded.filter((r) => r.name.startsWith(`${name}-`));
  }

  it("grants pulls from the named repository only, and pulls its image on the host before the provider looks", async () => {
    const mine = await build("e1");
    expect(
      mine
        .filter((r) => /aws:(iam|cloudwatch)/.test(r.type))
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toStrictEqual([
      "aws:iam/instanceProfile:InstanceProfile e1-profile",
      "aws:iam/role:Role e1-role",
      "aws:iam/rolePolicy:RolePolicy e1-ecr-policy",
    ]);
    expect(byName(mine, "e1-role").inputs.description).toBe("dockerhost e1: ECR pulls");
    expect(JSON.parse(String(byName(mine, "e1-ecr-policy").inputs.policy))).toStrictEqual(
      JSON.parse(ecrPullPolicy(["arn:aws:ecr:eu-west-1:123456789012:repository/team/app"])),
    );
    const pulls = mine.filter((r) => r.name.endsWith("-pull"));
    expect(pulls.map((r) => `${r.type} ${r.name}`)).toStrictEqual([
      "command:remote:Command e1-services-app-pull",
    ]);
    expect(pulls[0].inputs.create).toBe(hostPullScript(APP));
    expect(pulls[0].inputs.triggers).toStrictEqual([APP]);
  });

  it("writes root's docker config and the helper's step into the payload", async () => {
    const mine = await build("e2");
    const files = writtenFiles(byName(mine, "e2-instance").inputs);
    const config = files.find((f) => f.path === "/root/.docker/config.json");
    expect(config?.permissions).toBe("0600");
    expect(JSON.parse(config!.content)).toStrictEqual({
      credHelpers: {
        "123456789012.dkr.ecr-fips.eu-west-1.amazonaws.com": "ecr-login",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login",
      },
    });
    expect(files.some((f) => f.path.endsWith("/45-credential-helpers.sh"))).toBe(true);
  });

  it("refuses an image of a repository it may not pull, and an OS without the helper, at preview", () => {
    expect(
      configProblems(
        () =>
          new AwsDockerHost("e3", {
            os: "rhel-9",
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAllowedCidrs: ["203.0.113.7/32"],
            ecrRepositories: ["other"],
            containers: [{ name: "app", image: APP }],
          }),
      ),
    ).toStrictEqual([
      'ecrRepositories: rhel-9 has no package for docker-credential-ecr-login (amazon-ecr-credential-helper), which pulls with the host\'s identity. Use os "amazon-linux-2023", "ubuntu-24.04" or "debian-12", or give the registry a username and password in registries.',
      'containers[0].image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.4" is in ECR repository "team/app", which ecrRepositories does not name, so the host may not pull it. Add "team/app" (or its ARN) to ecrRepositories.',
    ]);
  });
});
