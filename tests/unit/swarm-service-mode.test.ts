import { describe, expect, it } from "@jest/globals";
import {
  TEST_CONNECTION,
  optionsRecorder,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { SwarmServices } from "../../components/swarm/swarm-services";

const { byName, record } = optionsRecorder();

describe("SwarmServices: a service's mode", () => {
  it("replaces a service whose mode changes, the old one first (Swarm refuses the change in place)", async () => {
    const app = new SwarmServices(
      "mode",
      {
        connection: TEST_CONNECTION,
        services: [
          { name: "web", image: "ghcr.io/example/web:2", replicas: 2 },
          { name: "agent", image: "ghcr.io/example/agent:1", global: true },
        ],
      },
      { transformations: [record] },
    );
    await valueOf(app.serviceIds);
    await settle(recorded);
    for (const service of ["mode-web", "mode-agent"]) {
      // `version` is the SDK's (the @pulumi/docker plugin's), not the component's.
      const { parent, provider, ...options } = byName.get(service) ?? {};
      expect([parent !== undefined, provider !== undefined, options]).toStrictEqual([
        true,
        true,
        {
          replaceOnChanges: ["mode.global"],
          deleteBeforeReplace: true,
          version: expect.any(String),
        },
      ]);
    }
  });
});
