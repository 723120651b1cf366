import type * as pulumi from "@pulumi/pulumi";
import { settle, valueOf, type RecordedResource } from "../pulumi-mocks";
import type { Registration } from "./registrations";

type Components = typeof import("../../../components/index");

/**
 * One program of the package's components under the mocks: it returns the outputs to wait for,
 * and this returns what it registered. The components are loaded once: they keep no state from
 * one program to the next but caches of compiled schemas (unlike the stack, which two-runs.ts
 * loads afresh for its config).
 */
export async function runProgram(
  registrations: Registration[],
  recorded: RecordedResource[],
  program: (m: Components) => pulumi.Output<unknown>[],
): Promise<Registration[]> {
  const start = registrations.length;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const outputs = program(require("../../../components/index") as Components);
  await Promise.all(outputs.map((o) => valueOf(o)));
  await settle(recorded);
  return registrations.slice(start);
}
