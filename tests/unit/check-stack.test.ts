import { afterAll, describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEPLOYER_PUBLIC_KEY, useMocks } from "../support/pulumi-mocks";

const recorded = useMocks();
import { checkStack } from "../../stacks/check-stack";
import { configProblems } from "../support/config-problems";
import { configSource } from "../support/config-source";
import { readDoc } from "../support/docs-page";
import { composeProject } from "../support/compose-project";

// Every stage's problems at once, before any resource: the config reader's, the host's and the
// fleet services', in one list, worded by config key.

const source = configSource;

const WEB = { name: "web", image: "nginx:1.27", ports: [{ internal: 80, external: 80 }] };

/** The stack of the example block of docs/getting-started.md: five mistakes, every stage. */
const README_STACK = {
  cloud: "aws",
  sshPublicKey: DEPLOYER_PUBLIC_KEY,
  hardenning: "strict",
  dockerVolumeSizeGb: "30GB",
  sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
  sshAllowedCidrs: ["0.0.0.0/0"],
  containers: [WEB, { ...WEB, name: "api" }],
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-fleet-compose-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("checkStack", () => {
  it("reports every stage's problems of one stack at once: the example block of docs/getting-started.md", () => {
    const problems = configProblems(() => checkStack(source(README_STACK)));
    expect(problems).toStrictEqual([
      "dockerhost:hardenning: not a key this stack reads. Did you mean dockerhost:hardening? Rename it with: pulumi config rm hardenning && pulumi config set hardening <value>.",
      "dockerhost:sshPrivateKey: stored as plain text in the stack file. Remove it and set it as a secret: pulumi config set --secret sshPrivateKey < ~/.ssh/id_ed25519",
      'dockerhost:dockerVolumeSizeGb: "30GB" is not a whole number. Set it with: pulumi config set dockerVolumeSizeGb <number>',
      'dockerhost:sshAllowedCidrs[0]: "0.0.0.0/0" opens SSH to the whole internet. Name your own ranges (e.g. "203.0.113.7/32"), or set allowSshFromAnywhere: true to accept that risk.',
      'dockerhost:containers[1].ports[0].external: host port 80/tcp is already published by containers[0] ("web"). Pick another external port.',
    ]);
    const page = readDoc("getting-started.md");
    const block = /Bad input stops `pulumi preview`[\s\S]*?```\n([\s\S]*?)```/.exec(page)?.[1];
    expect(block?.trim().split("\n")).toStrictEqual(problems);
    expect(recorded).toStrictEqual([]);
  });

  it("reports a fleet's bad services with the config's problems, before any resource", () => {
    const problems = configProblems(() =>
      checkStack(
        source({
          cloud: "aws",
          sshPublicKey: DEPLOYER_PUBLIC_KEY,
          sshAllowedCidrs: ["203.0.113.7/32"],
          dockerVolumeSizeGb: "x",
          fleet: { managers: 3 },
          services: [{ name: "Web", image: "nginx:1.27", update: { order: "sideways" } }],
        }),
      ),
    );
    expect(problems).toStrictEqual([
      'dockerhost:dockerVolumeSizeGb: "x" is not a whole number. Set it with: pulumi config set dockerVolumeSizeGb <number>',
      'dockerhost:services[0].update.order: "sideways" is not supported. Use one of: start-first, stop-first.',
      'dockerhost:services[0].name: "Web" is not a service name. Use lowercase letters, digits and "-", starting and ending with a letter or digit (other services reach it by this name).',
    ]);
    expect(recorded).toStrictEqual([]);
  });

  it("refuses session access with SSH ranges, and a fleet's endpoints, worded by config key", () => {
    const problems = configProblems(() =>
      checkStack(
        source({
          cloud: "aws",
          sshPublicKey: DEPLOYER_PUBLIC_KEY,
          sshAccess: "session",
          sshAllowedCidrs: ["203.0.113.7/32"],
          fleet: { managers: 3 },
        }),
      ),
    );
    expect(problems).toStrictEqual([
      'dockerhost:sshAllowedCidrs: not used with sshAccess: "session", where SSH comes through the session service and no range of yours reaches port 22. Remove sshAllowedCidrs, or set sshAccess: "direct" to dial port 22 from those ranges.',
    ]);
    expect(
      configProblems(() =>
        checkStack(
          source({
            cloud: "aws",
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAccess: "session",
            ssmEndpoints: true,
            fleet: { managers: 3 },
          }),
        ),
      ),
    ).toStrictEqual([
      "dockerhost:ssmEndpoints: not made for a fleet yet: every member would create the same three endpoints in the fleet's one VPC, and private DNS allows one of each. Remove ssmEndpoints and give the fleet's subnet a way out (its members have public addresses), or create the endpoints in the VPC yourself.",
    ]);
    expect(
      configProblems(() =>
        checkStack(source({ cloud: "aws", sshPublicKey: DEPLOYER_PUBLIC_KEY, sshAccess: "ssm" })),
      ),
    ).toStrictEqual([
      'dockerhost:sshAccess: "ssm" is not supported. Use one of: direct, session.',
      // An unknown access reads as the default, direct, which needs its ranges.
      "dockerhost:sshAllowedCidrs: empty. The deployer reaches the host over SSH; name the ranges it connects from (your workstation's address as \"203.0.113.7/32\", or your CI runners' egress range).",
    ]);
    expect(recorded).toStrictEqual([]);
  });

  it("refuses session access for an Azure fleet, whose subnet has no Bastion, worded by config key", () => {
    const problems = configProblems(() =>
      checkStack(
        source({
          cloud: "azure",
          sshPublicKey: DEPLOYER_PUBLIC_KEY,
          sshAccess: "session",
          fleet: { managers: 3 },
        }),
      ),
    );
    expect(problems).toStrictEqual([
      'dockerhost:sshAccess: "session" is not built for an Azure fleet yet: its members share the fleet\'s subnet, where dockerhost makes no Bastion. Use sshAccess: "direct" with sshAllowedCidrs for the fleet, or a single host.',
    ]);
    // A single Azure host over a session passes.
    expect(() =>
      checkStack(
        source({ cloud: "azure", sshPublicKey: DEPLOYER_PUBLIC_KEY, sshAccess: "session" }),
      ),
    ).not.toThrow();
    expect(recorded).toStrictEqual([]);
  });

  it("holds a strict fleet's services to strict's rules, worded by config key, before any resource", () => {
    const problems = configProblems(() =>
      checkStack(
        source({
          cloud: "aws",
          sshPublicKey: DEPLOYER_PUBLIC_KEY,
          sshAllowedCidrs: ["203.0.113.7/32"],
          hardening: "strict",
          fleet: { managers: 3 },
          services: [
            {
              name: "web",
              image: `nginx@sha256:${"b".repeat(64)}`,
              user: "101",
              env: { DB_PASSWORD: "hunter2" },
            },
          ],
        }),
      ),
    );
    expect(problems).toStrictEqual([
      'dockerhost:services[0].healthcheck: unset; the strict profile checks every service\'s health (CIS Docker Benchmark 4.6, 5.27). Add a healthcheck, e.g. { test: ["CMD", "wget", "-q", "-O-", "http://localhost/"] }, or { test: ["NONE"] } to opt out for this service.',
      "dockerhost:services[0].env.DB_PASSWORD: the name says it is a secret, but the value is plain text, so it lands unmarked in the stack's state. Move it to secretEnv (a Docker secret, read by the service at /run/secrets/DB_PASSWORD).",
    ]);
    expect(recorded).toStrictEqual([]);
  });

  it("reads a fleet's compose file as swarm services after its listed ones, its problems worded by the file's keys", () => {
    const stack = (file: string) =>
      source({
        cloud: "aws",
        sshPublicKey: DEPLOYER_PUBLIC_KEY,
        sshAllowedCidrs: ["203.0.113.7/32"],
        fleet: { managers: 3 },
        services: [{ name: "listed", image: "nginx:1.27" }],
        compose: file,
      });
    const good = [
      "services:",
      "  web:",
      "    image: nginx:1.27",
      "    ports: ['8080:80']",
      "    networks: [front]",
      "    deploy: {replicas: 2, update_config: {order: start-first}}",
      "networks:",
      "  front: {}",
    ].join("\n");
    const plan = checkStack(stack(composeProject(work, { "compose.yaml": good })));
    expect(plan.args.containers).toStrictEqual([]);
    expect(plan.fleet?.services).toStrictEqual([
      { name: "listed", image: "nginx:1.27" },
      {
        name: "web",
        image: "nginx:1.27",
        ports: [{ internal: 80, external: 8080, mode: "ingress" }],
        networks: [{ name: "front" }],
        replicas: 2,
        update: { order: "start-first" },
      },
    ]);
    expect(plan.fleet?.networks).toStrictEqual([{ name: "front" }]);
    const file = composeProject(work, {
      "compose.yaml": good
        .replace("replicas: 2", "replicas: 1")
        .replace("start-first", "stop-first"),
    });
    const problems = configProblems(() => checkStack(stack(file)));
    expect(problems).toStrictEqual([
      `dockerhost:compose: ${file}: services.web.deploy.update_config.order: "stop-first" with one task stops serving during every update. Use "start-first", or more replicas.`,
    ]);
    expect(recorded).toStrictEqual([]);
  });
});
