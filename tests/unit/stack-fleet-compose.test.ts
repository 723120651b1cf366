import { afterAll, describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { composeProject } from "../support/compose-project";
import { runFleetStack } from "../support/fleet-stack-config";
import { byName, plain, useMocks } from "../support/pulumi-mocks";

const recorded = useMocks("fleet-compose");

// A fleet stack's `dockerhost:compose`: the file's services are swarm services of the fleet's
// SwarmServices, after the listed one, and its networks the component's overlay networks.

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-fleet-compose-stack-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const IMAGE = "registry.example.com/api:1@sha256:" + "c".repeat(64);

describe("a fleet stack with a compose file (local, strict)", () => {
  it("deploys the file's services and networks through the fleet's SwarmServices", async () => {
    const compose = composeProject(work, {
      "compose.yaml": [
        "services:",
        "  api:",
        `    image: "${IMAGE}"`,
        "    user: '1000'",
        "    networks: [backend]",
        "    healthcheck: {test: [CMD, /api, --health]}",
        "    deploy: {replicas: 2, placement: {constraints: ['node.role==worker']}}",
        "networks:",
        "  backend: {internal: true}",
      ].join("\n"),
    });
    const { of } = await runFleetStack("local", recorded, { compose });
    expect(of("docker:index/service:Service")).toStrictEqual([
      "app-services-api",
      "app-services-web",
    ]);
    expect(of("docker:index/network:Network")).toStrictEqual([
      "app-services-network-backend",
      "app-services-network-default",
    ]);
    const network = byName(recorded, "app-services-network-backend").inputs;
    expect([plain(network.name), plain(network.internal), plain(network.options)]).toStrictEqual([
      "app-services_backend",
      true,
      { encrypted: "" },
    ]);
    const api = byName(recorded, "app-services-api").inputs;
    expect(plain(api.mode)).toStrictEqual({ replicated: { replicas: 2 } });
    const task = plain(api.taskSpec) as {
      containerSpec: { image: string; user: string };
      placement: unknown;
    };
    expect([task.containerSpec.image, task.containerSpec.user, task.placement]).toStrictEqual([
      IMAGE,
      "1000",
      { constraints: ["node.role==worker"] },
    ]);
  });
});
