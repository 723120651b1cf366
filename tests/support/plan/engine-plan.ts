import type { Registration } from "./registrations";
import { mockId } from "../pulumi-mocks";
import { ruleFor } from "./replace-rules";

// The steps `pulumi up` takes for a change, derived from the registrations the components really
// make and the engine's cited rules, not from the order we would like. Each rule below is the
// engine's (pulumi/pulumi v3.248.0; docs/lifecycle.md, "The engine's rules", names the sources):
//
// 1. A resource's step is decided when its registration arrives, and the SDK registers it only
//    once every resource its inputs came from has finished its own step, so registrations (and
//    this walk) follow a dependency order.
// 2. Its inputs differ from the state's where a change was made to it, or where an input came
//    from a resource whose outputs changed (a replaced resource's outputs are new; an updated
//    one's may be: its rule's updateRecomputes). `ignoreChanges` properties keep the state's
//    value for the diff (a replacement is then created from the program's values).
// 3. A difference replaces the resource when the provider forces a new one for that property
//    (replace-rules.ts) or it is under the resource's `replaceOnChanges` (a path covers the paths
//    below it); otherwise it is an update, done in place.
// 4. A replacement creates the new resource first and deletes the old one at the end of the
//    deployment, after every create and update, dependents before what they depend on, unless the
//    resource is `deleteBeforeReplace` (its own option when the program sets one, else the
//    provider's default): then the old one is deleted first, and before it every
//    dependent that would be replaced once the resource's outputs are unknown (and so on down),
//    dependents first; each of those is then created again when its registration arrives.

export type StepKind =
  | "update"
  | "create-replacement"
  | "delete-before-replace"
  | "delete-dependent-first"
  | "create"
  | "delete-replaced"
  | "delete";

export interface PlannedStep {
  /** The resource's logical name. */
  resource: string;
  kind: StepKind;
  /** Why: the changed properties (and which rule), or what the step follows from. */
  why: string;
  /** An update's changed input paths (its `why` in words). */
  props?: string[];
}

export interface Change {
  /** The registrations of the program as deployed (the state's inputs). */
  before: Registration[];
  /** The registrations of the program with the user's change. */
  after: Registration[];
  /**
   * Resources whose outputs keep their values after their step (each with the reason, which the
   * doc states): e.g. a readiness gate prints the engine version, the same on a new host.
   */
  keepOutputs?: Record<string, string>;
}

/** The paths (`osProfile.customData`) whose values differ between the state and the registration. */
function changedInputs(old: Registration | undefined, now: Registration): string[] {
  if (!old) return [];
  const paths: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  const walk = (a: unknown, b: unknown, at: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (isObject(a) && isObject(b) && !SECRET_SIG_KEYS.some((k) => k in a || k in b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
        walk(a[k], b[k], `${at}.${k}`);
      return;
    }
    paths.push(at);
  };
  for (const k of new Set([...Object.keys(old.inputs), ...Object.keys(now.inputs)]))
    walk(old.inputs[k], now.inputs[k], k);
  return paths;
}

/** A secret's wrapper is one value: its inside is not diffed path by path. */
const SECRET_SIG_KEYS = ["4dabf18193072939515e22adb298388d"];

// A replaceOnChanges path covers the paths below it (pulumi/pulumi step_generator.go,
// applyReplaceOnChanges: PropertyPath.Contains); "*" covers every property. A top-level property
// that changed because a dependency's outputs did (rule 2) is known only as a whole here, so it
// counts as changing every path below it.
const covers = (pattern: string, property: string) => {
  const base = pattern.replace(/\[\*\]$/, "").replace(/\.\*$/, "");
  return (
    pattern === "*" ||
    property === base ||
    property.startsWith(`${base}.`) ||
    (!property.includes(".") && base.startsWith(`${property}.`))
  );
};

// A rule's entry covers a changed property at it or below it; a nested entry
// ("rootBlockDevice.encrypted") also covers its top-level property when that changed as a whole.
const inRule = (entries: string[], p: string) =>
  entries.some(
    (e) => p === e || p.startsWith(`${e}.`) || (!p.includes(".") && e.startsWith(`${p}.`)),
  );

/** How the provider and the options treat a difference in `props`: replace, or update. */
function diffKind(
  reg: Registration,
  props: string[],
  old?: Registration,
): { replace: boolean; why: string } {
  const rule = ruleFor(reg, old);
  const top = (p: string) => p.split(".")[0];
  const switched = (rule.oneOf ?? []).filter((k) => props.some((p) => top(p) === k));
  const forced = props.filter(
    (p) =>
      reg.replaceOnChanges.some((r) => covers(r, p)) ||
      inRule(rule.replaces, p) ||
      (switched.length > 1 && switched.includes(top(p))),
  );
  const unknown = props.filter(
    (p) => !forced.includes(p) && !rule.everyOtherUpdates && !inRule(rule.updates, top(p)),
  );
  if (unknown.length)
    throw new Error(
      `${reg.name} (${reg.type}): no rule says whether a change of ${unknown.join(", ")} replaces it or updates it; look it up in the provider's source and add it to replace-rules.ts`,
    );
  if (forced.length)
    return {
      replace: true,
      why: forced
        .map((p) =>
          reg.replaceOnChanges.some((r) => covers(r, p))
            ? `${p} (replaceOnChanges ${reg.replaceOnChanges.find((r) => covers(r, p))})`
            : `${p} (forced by ${rule.source})`,
        )
        .join(", "),
    };
  return { replace: false, why: props.join(", ") };
}

/** The input properties of `reg` that came from any resource in `from`. */
function propsFrom(
  reg: Registration,
  from: Set<string>,
  updated: Map<string, string> = new Map(),
): string[] {
  return Object.entries(reg.propertyDependencies)
    .filter(([p, urns]) =>
      urns.some(
        // An updated resource keeps its id: an input that is exactly that id stays the same.
        (u) => from.has(u) && !(updated.has(u) && reg.inputs[p] === updated.get(u)),
      ),
    )
    .map(([p]) => p)
    .filter((p) => !reg.ignoreChanges.includes(p));
}

/** Every step of one `pulumi up` for `change`, in an order the engine may run them. */
export function planUp(change: Change): PlannedStep[] {
  const regs = change.after.filter((r) => r.custom);
  const state = new Map(change.before.filter((r) => r.custom).map((r) => [r.urn, r]));
  const steps: PlannedStep[] = [];
  const changedOutputs = new Set<string>();
  const deletedEarly = new Set<string>();
  const replacedLater: Registration[] = [];
  // The resources updated with new outputs, each with its id (which an update keeps).
  const updatedIds = new Map<string, string>();
  // The engine finds dependents in the state's dependency graph (the old registrations).
  const dependents = (urn: string) =>
    [...state.values()].filter((r) => r.dependencies.includes(urn));

  // Rule 4: what a delete-before-replace of `reg` deletes first, dependents first.
  const wouldBeReplaced = (reg: Registration, unknown: Set<string>, out: Registration[]) => {
    for (const d of dependents(reg.urn)) {
      // Deleted already (an earlier delete-before-replace took it), or listed: not again.
      if (out.includes(d) || deletedEarly.has(d.urn)) continue;
      const props = propsFrom(d, unknown);
      if (!props.length || !diffKind(d, props).replace) continue;
      out.push(d);
      wouldBeReplaced(d, new Set([...unknown, d.urn]), out);
    }
    return out;
  };

  for (const reg of regs) {
    if (deletedEarly.has(reg.urn)) {
      steps.push({ resource: reg.name, kind: "create", why: "deleted before a replacement above" });
      if (change.keepOutputs?.[reg.name] === undefined) changedOutputs.add(reg.urn);
      continue;
    }
    if (!state.has(reg.urn)) {
      steps.push({ resource: reg.name, kind: "create", why: "new in the program" });
      // A new resource's outputs were in no input before: where a dependent reads them, its
      // input differs from the state's at that path, which the direct diff shows (the mocks give
      // a new name a new id, but for the types with a fixed one, FIXED_IDS: an instance and an
      // EBS volume, which no change here moves a dependent to). A resource made again under its
      // old name has no such trace.
      continue;
    }
    const direct = changedInputs(state.get(reg.urn), reg).filter(
      (p) => !reg.ignoreChanges.includes(p),
    );
    const props = [...new Set([...direct, ...propsFrom(reg, changedOutputs, updatedIds)])];
    if (!props.length) continue;
    const { replace, why } = diffKind(reg, props, state.get(reg.urn));
    const keeps = change.keepOutputs?.[reg.name] !== undefined;
    if (!replace) {
      steps.push({ resource: reg.name, kind: "update", why, props });
      // An update keeps the resource's id (the provider's UpdateResponse carries none); its other
      // outputs change where its rule says the update recomputes them (else: the inputs it was
      // given, which the dependents' own inputs already show).
      const recomputes = ruleFor(reg, state.get(reg.urn)).updateRecomputes?.(props) ?? true;
      if (!keeps && recomputes) {
        changedOutputs.add(reg.urn);
        updatedIds.set(reg.urn, mockId(reg.type, reg.name));
      }
      continue;
    }
    const dbr = reg.deleteBeforeReplaceDefined
      ? reg.deleteBeforeReplace
      : (ruleFor(reg).deleteBeforeReplace ?? false);
    if (dbr) {
      const first = wouldBeReplaced(reg, new Set([reg.urn]), []);
      for (const d of [...first].reverse()) {
        steps.push({
          resource: d.name,
          kind: "delete-dependent-first",
          why: `depends on ${reg.name}, replaced delete-before-replace`,
        });
        deletedEarly.add(d.urn);
      }
      steps.push({ resource: reg.name, kind: "delete-before-replace", why });
      steps.push({ resource: reg.name, kind: "create", why: "its replacement" });
    } else {
      steps.push({ resource: reg.name, kind: "create-replacement", why });
      replacedLater.push(reg);
    }
    if (!keeps) changedOutputs.add(reg.urn);
  }
  // Rule 4: the old resources of create-before-replace go last, dependents first.
  // What the program no longer registers is deleted at the end too (steps.md, "deletes"), in
  // the same pass, dependents first: so it goes in reverse order with the replaced ones.
  const inProgram = new Set(regs.map((r) => r.urn));
  const last = [
    ...replacedLater.map((r) => ({
      r,
      kind: "delete-replaced" as const,
      why: "its replacement exists",
    })),
    ...[...state.values()]
      .filter((r) => !inProgram.has(r.urn))
      .map((r) => ({ r, kind: "delete" as const, why: "no longer in the program" })),
  ];
  const order = new Map(change.before.map((r, i) => [r.urn, i]));
  last.sort((a, b) => (order.get(b.r.urn) ?? 0) - (order.get(a.r.urn) ?? 0));
  for (const { r, kind, why } of last) steps.push({ resource: r.name, kind, why });
  return steps;
}
