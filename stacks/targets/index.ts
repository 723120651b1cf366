import type { StackPlan } from "../config";
import { AWS_TARGET } from "./aws";
import { AZURE_TARGET } from "./azure";
import { LOCAL_TARGET } from "./local";
import type { StackTarget } from "./target";
import type { DockerHostArgs } from "../../components";

// The stack's targets, one row each (target.ts says what a row holds).

export const TARGETS = { aws: AWS_TARGET, azure: AZURE_TARGET, local: LOCAL_TARGET } as const;

/**
 * The row of a plan's target, typed for that plan's args. The one cast of the table: TypeScript
 * cannot tie `TARGETS[plan.cloud]` to `plan.args` through the union on its own.
 */
export function targetOf<P extends StackPlan>(plan: P): StackTarget<P["args"] & DockerHostArgs> {
  return TARGETS[plan.cloud] as unknown as StackTarget<P["args"] & DockerHostArgs>;
}
