import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { serializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { useMocks } from "../support/pulumi-mocks";

useMocks();
import { DeployTimeConfigError, checkedAtDeploy } from "../../components/core/deploy-time-error";
import { privateAddressProblem } from "../../components/core/private-address";
import { pinProblems } from "../../components/services/strict-containers";

const component = () => new pulumi.ComponentResource("dockerhost:test:Probe", "probe", {});

/** What the SDK makes of an input that fails once known: the error it rethrows. */
async function serializedFailure(input: pulumi.Output<unknown>): Promise<unknown> {
  // An Output's own promises (known, secret) reject with its value; the engine's run handles
  // them, a test must.
  const internals = input as unknown as Record<"isKnown" | "isSecret", Promise<boolean>>;
  for (const p of [internals.isKnown, internals.isSecret]) p.catch(() => undefined);
  return serializeProperties("probe", { create: input }).then(
    () => "serialized",
    (e: unknown) => e,
  );
}

const ADDRESS_PROBLEM =
  "nodes[1].privateAddress: 8.8.8.8 is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.";
const addressProblems = (a: string) => {
  const problem = privateAddressProblem(a);
  return problem ? [`nodes[1].privateAddress: ${problem}`] : [];
};

describe("a problem known only at deploy", () => {
  it("passes a good value through", async () => {
    const ok = checkedAtDeploy(pulumi.output("10.0.1.21"), addressProblems, component());
    expect(await serializeProperties("probe", { create: ok })).toStrictEqual({
      create: "10.0.1.21",
    });
  });

  it.each([
    ["a swarm node's address", pulumi.output("8.8.8.8"), addressProblems, [ADDRESS_PROBLEM]],
    [
      "a strict container's image",
      pulumi.output("nginx:1.27"),
      (image: string) => pinProblems(image, 0),
      pinProblems("nginx:1.27", 0),
    ],
  ])(
    "reaches the user as the field they wrote, on the component, without the SDK's prefix: %s",
    async (_what, value, problems, expected) => {
      const owner = component();
      const failure = await serializedFailure(checkedAtDeploy(value, problems, owner));
      expect(failure).toBeInstanceOf(DeployTimeConfigError);
      const error = failure as DeployTimeConfigError;
      // Without this error's own message, the SDK's reads `error serializing property "create": ...`.
      expect(error.message).toBe(expected.join("\n"));
      expect(error.problems).toStrictEqual(expected);
      expect(pulumi.ResourceError.isInstance(error)).toBe(true);
      expect(pulumi.RunError.isInstance(error)).toBe(false);
      expect([error.resource, error.hideStack]).toStrictEqual([owner, true]);
    },
  );

  it("keeps a plain Error's prefix, as the SDK gives it (the case this error exists for)", async () => {
    const plain = pulumi.output("x").apply(() => {
      throw new Error("nodes[1].privateAddress: bad");
    });
    expect(String(await serializedFailure(plain))).toBe(
      'Error: error serializing property "create": nodes[1].privateAddress: bad',
    );
  });
});
