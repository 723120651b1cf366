import { jest } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { settle, valueOf, type RecordedResource } from "../pulumi-mocks";
import type { Registration } from "./registrations";

/**
 * The stack program run twice in one test file, each time in a fresh module registry (as a new
 * `pulumi up` runs it): with the deployed config, then with the user's change. Returns each
 * run's registrations.
 */
export async function runStackTwice(
  registrations: Registration[],
  recorded: RecordedResource[],
  configure: { before: () => void; after: () => void },
): Promise<{ before: Registration[]; after: Registration[] }> {
  const run = async (setConfig: () => void) => {
    const start = registrations.length;
    setConfig();
    let stack: Record<string, pulumi.Output<unknown>> = {};
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      stack = require("../../../stacks/index") as Record<string, pulumi.Output<unknown>>;
    });
    await Promise.all(
      Object.values(stack)
        .filter((o) => pulumi.Output.isInstance(o))
        .map((o) => valueOf(o)),
    );
    await settle(recorded);
    return registrations.slice(start);
  };
  const before = await run(configure.before);
  const after = await run(configure.after);
  return { before, after };
}
