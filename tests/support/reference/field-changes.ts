import type * as pulumi from "@pulumi/pulumi";
import { planUp, type PlannedStep } from "../plan/engine-plan";
import type { Registration } from "../plan/registrations";
import { ruleFor } from "../plan/replace-rules";
import { runProgram } from "../plan/run-program";
import type { RecordedResource } from "../pulumi-mocks";

// One change of each input of a component, made to it as deployed: the steps the engine's rules
// and the providers' (plan/engine-plan.ts, replace-rules.ts) give for the resources it registers
// before and after. The "on change" column of docs/reference/ is these steps, summed up.

type Components = typeof import("../../../components/index");
export type Program = (m: Components) => pulumi.Output<unknown>[];

export interface ChangeRun {
  field: string;
  /** What the change was, as the user writes it (the page's "change" column). */
  change: unknown;
  /** What else the change or the deployed program holds for the field to mean something. */
  note?: string;
  /** Runs with the same key deploy the same program: its registrations are read once. */
  deployedKey: string;
  deployed: Program;
  changed: Program;
}

export interface FieldChange {
  field: string;
  change: unknown;
  note?: string;
  steps: PlannedStep[];
  /** The component's own refusal of the change, at preview (no step runs then). */
  refused?: string;
  /** An update the service behind a provider refuses: `pulumi up` fails at that step. */
  failsAtUp?: string;
  /** Each resource's type, by logical name. */
  types: Map<string, string>;
  /**
   * Per resource, the `ignoreChanges` inputs the change gave a new value: an update keeps the
   * state's, a replacement takes the new one (the engine runs Check on the program's inputs when
   * it replaces: pulumi/pulumi pkg/resource/deploy/step_generator.go).
   */
  ignored: Map<string, string[]>;
}

/** The first update step whose changed paths hold one its rule says is refused. */
function refusedUpdate(steps: PlannedStep[], after: Registration[]): string | undefined {
  for (const s of steps.filter((step) => step.kind === "update")) {
    const reg = after.find((r) => r.name === s.resource);
    const refused = reg ? (ruleFor(reg).refusedUpdates ?? {}) : {};
    const path = s.props?.find((p) => refused[p] !== undefined);
    if (path) return `${s.resource} update (${path}): ${refused[path]}`;
  }
  return undefined;
}

function ignoredChanges(state: Registration[], after: Registration[]): Map<string, string[]> {
  const old = new Map(state.map((r) => [r.urn, r]));
  const out = new Map<string, string[]>();
  for (const r of after) {
    const was = old.get(r.urn);
    const props = r.ignoreChanges.filter(
      (p) => was && JSON.stringify(was.inputs[p]) !== JSON.stringify(r.inputs[p]),
    );
    if (props.length) out.set(r.name, props);
  }
  return out;
}

/**
 * A derivation runs the component twice per input (up to 42): a minute alone, several beside
 * the VM level's guests, so it gets more than jest's default bound.
 */
export const DERIVE_TIMEOUT_MS = 600_000;

export async function deriveChanges(
  registrations: Registration[],
  recorded: RecordedResource[],
  runs: ChangeRun[],
): Promise<FieldChange[]> {
  const out: FieldChange[] = [];
  const deployedRuns = new Map<string, Registration[]>();
  for (const run of runs) {
    const state =
      deployedRuns.get(run.deployedKey) ??
      (await runProgram(registrations, recorded, run.deployed));
    deployedRuns.set(run.deployedKey, state);
    const base = { field: run.field, change: run.change, note: run.note };
    let after: Registration[];
    try {
      after = await runProgram(registrations, recorded, run.changed);
    } catch (e) {
      // A refusal is the answer for that change: the preview stops with it, nothing is deployed.
      if (!(e instanceof Error) || e.name !== "DockerHostConfigError") throw e;
      out.push({ ...base, steps: [], refused: e.message, types: new Map(), ignored: new Map() });
      continue;
    }
    const steps = planUp({ before: state, after });
    const types = new Map([...state, ...after].map((r) => [r.name, r.type]));
    out.push({
      ...base,
      steps,
      types,
      ignored: ignoredChanges(state, after),
      failsAtUp: refusedUpdate(steps, after),
    });
  }
  return out;
}
