import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { DEPLOYER_PUBLIC_KEY, useMocks } from "../support/pulumi-mocks";

useMocks();
import { checkStack } from "../../stacks/check-stack";
import { configProblems } from "../support/config-problems";
import { configSource } from "../support/config-source";
import { readDoc } from "../support/docs-page";

// `dockerhost:edge` and containers with `proxy` in the stack file: read into the host's `edge`,
// a certificate's key only as a secret, and the component's refusals named by the config key.

const source = configSource;

const WEB = {
  name: "web",
  image: "nginx:1.27",
  proxy: { host: "app.example.com" },
  healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1/"] },
};
const STACK = {
  cloud: "aws",
  sshPublicKey: DEPLOYER_PUBLIC_KEY,
  sshAllowedCidrs: ["203.0.113.7/32"],
  containers: [WEB],
};
const CERT = { hosts: ["app.example.com"], certificate: "-----BEGIN CERTIFICATE-----", key: "K" };

describe("dockerhost:edge", () => {
  it("reads the edge map as the host's edge", () => {
    const plan = checkStack(
      source({ ...STACK, edge: { acmeEmail: "ops@example.com", allowedCidrs: ["0.0.0.0/0"] } }),
    );
    expect(plan.args.edge).toStrictEqual({
      acmeEmail: "ops@example.com",
      allowedCidrs: ["0.0.0.0/0"],
    });
    expect(checkStack(source({ ...STACK, edge: {} })).args.edge).toBe(undefined);
  });

  it("passes a certificate's key on as a Pulumi secret when the key was set with --secret", async () => {
    const plan = checkStack(source({ ...STACK, edge: { certificates: [CERT] } }, ["edge"]));
    const cert = plan.args.edge!.certificates![0]!;
    expect(cert.certificate).toBe(CERT.certificate);
    expect(pulumi.Output.isInstance(cert.key)).toBe(true);
    expect(await pulumi.isSecret(cert.key as pulumi.Output<string>)).toBe(true);
  });

  it("refuses a key in plain text, a fleet's edge, and names the component's refusals by key", () => {
    expect(
      configProblems(() =>
        checkStack(
          source({
            ...STACK,
            containers: [{ ...WEB, ports: [{ internal: 80 }] }],
            edge: { acmeEmail: "ops", certificates: [CERT] },
          }),
        ),
      ),
    ).toStrictEqual([
      `dockerhost:edge.certificates[0].key: stored as plain text in the stack file. Remove it and set it as a secret: pulumi config set --secret --path 'edge.certificates[0].key' -- "$(cat key.pem)"`,
      "dockerhost:containers[0].ports: a proxied container publishes no port of its own (the edge reaches it on their network, and the old and new containers of a deploy run side by side). Remove ports, or remove proxy to publish them.",
      'dockerhost:edge.acmeEmail: "ops" is not an email address. Use e.g. "ops@example.com", or leave it out.',
      "dockerhost:edge.certificates[0].key: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)).",
    ]);
    expect(
      configProblems(() =>
        checkStack(
          source({
            ...STACK,
            containers: [],
            fleet: { managers: 1 },
            services: [{ name: "web", image: "nginx:1.27" }],
            edge: { acmeEmail: "ops@example.com" },
          }),
        ),
      ),
    ).toStrictEqual([
      'dockerhost:edge: a fleet has no edge: its services are reached through the swarm\'s routing mesh, updated start-first (README, "HTTPS on a fleet"). Remove edge, and put TLS in front of the published port (a cloud load balancer, or a proxy service of your own).',
    ]);
  });
});

describe("the README's HTTPS section: its stack file and compose file, read as `pulumi up` reads them", () => {
  it("serves the compose service at its host, with the edge's settings", () => {
    const section = readDoc("README.md").split("## Serve a web app over HTTPS")[1] ?? "";
    const [stackYaml, composeYaml] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      (m) => m[1] ?? "",
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-readme-edge-"));
    const cwd = process.cwd();
    try {
      fs.writeFileSync(path.join(dir, "compose.yaml"), composeYaml ?? "");
      process.chdir(dir);
      const config = (parse(stackYaml ?? "") as { config: Record<string, unknown> }).config;
      const values: Record<string, unknown> = {
        cloud: "aws",
        sshPublicKey: DEPLOYER_PUBLIC_KEY,
        sshAllowedCidrs: ["203.0.113.7/32"],
      };
      for (const [k, v] of Object.entries(config)) values[k.replace(/^dockerhost:/, "")] = v;
      const plan = checkStack(source(values));
      expect(plan.args.edge).toStrictEqual({
        acmeEmail: "ops@example.com",
        allowedCidrs: ["0.0.0.0/0"],
      });
      expect(plan.args.containers?.map((c) => [c.name, c.proxy])).toStrictEqual([
        ["web", { host: "app.example.com", port: 8080 }],
      ]);
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
