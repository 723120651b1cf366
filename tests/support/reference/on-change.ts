import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PlannedStep } from "../plan/engine-plan";
import type { FieldChange } from "./field-changes";

// docs/reference/on-change.md: what a change of each input does, as `pulumi up` runs it. Each
// section is one component's (or one spec's) and is written by its own test
// (tests/unit/reference-on-change*.test.ts), which derives it (field-changes.ts); the component
// pages' "on change" column reads the short effect from here (pages.ts).

export const ON_CHANGE_FILE = path.join(
  __dirname,
  "..",
  "..",
  "..",
  "docs",
  "reference",
  "on-change.md",
);

const INTRO = [
  "# What a change does",
  "",
  "What `pulumi up` does when one input of a deployed component changes, derived as",
  "[the lifecycle page](../lifecycle.md) derives its tables: a test runs the component under",
  "Pulumi's mocks as deployed and with the change (the `change` column), and applies the engine's",
  "rules and the providers' (the sources table of the lifecycle page) to the resources it",
  "registers. `DOCKERHOST_WRITE_REFERENCE=1` with `tests/unit/reference-on-change*.test.ts`",
  "rewrites a section. A field's row is for the change shown; another value of the same field",
  "does the same, except where a change to or from `undefined` adds or removes a resource.",
  "",
].join("\n");

export interface Effect {
  /** The short effect, the component pages' column: "replaces the VM", "in place", ... */
  effect: string;
  /** The properties behind it, as the plan gives them. */
  why: string;
}

const CONTAINER = "docker:index/container:Container";
// A resource deleted first for a dependency's delete-before-replace is made again: replaced too.
const isReplace = (s: PlannedStep) =>
  s.kind === "delete-before-replace" ||
  s.kind === "create-replacement" ||
  s.kind === "delete-dependent-first";

/** What a change of a container field does to that container (the others stay). */
export function containerEffect(c: FieldChange): Effect {
  if (c.refused) return { effect: "refused at preview", why: c.refused };
  const on = (kind: string) =>
    c.steps.find((s) => s.kind === kind && c.types.get(s.resource) === CONTAINER);
  const stopFirst = on("delete-before-replace");
  if (stopFirst) return { effect: "replaces the container, stopping it first", why: stopFirst.why };
  const newFirst = on("create-replacement");
  if (newFirst) return { effect: "replaces the container, the new one first", why: newFirst.why };
  if (on("create") && on("delete"))
    return { effect: "a new container; the old one removed at the end", why: "a new name" };
  const update = on("update");
  if (update) return { effect: "in place", why: update.why };
  if (c.steps.length) return { effect: "the container is not touched", why: "" };
  // The engine diffs inputs, not dependencies (docs/lifecycle.md, rule 2).
  return { effect: "no step", why: "an order applies when a container is next created" };
}

/**
 * What a change of a host input does: to its VM (`vm`, the logical name of the instance or VM),
 * its data disk (`disk`), its containers, or only to other resources.
 */
export function hostEffect(c: FieldChange, vm: string, disk: string): Effect {
  if (c.refused) return { effect: "refused at preview", why: c.refused };
  const replaced = (name: string) => c.steps.find((s) => s.resource === name && isReplace(s));
  const vmStep = replaced(vm);
  const diskStep = replaced(disk);
  if (vmStep && diskStep)
    return { effect: "replaces the VM and its data disk", why: `${vmStep.why}; ${diskStep.why}` };
  if (vmStep) return { effect: "replaces the VM", why: vmStep.why };
  if (diskStep) return { effect: "replaces the data disk", why: diskStep.why };
  const container = c.steps.find((s) => c.types.get(s.resource) === CONTAINER && isReplace(s));
  if (container) return { effect: "replaces a container", why: container.why };
  if (c.steps.some((s) => s.kind !== "create") && c.steps.length)
    return { effect: "in place", why: summary(c.steps.filter((s) => s.kind !== "create")) };
  if (c.steps.length) return { effect: "adds resources", why: summary(c.steps) };
  return { effect: "no step", why: "" };
}

/** What a change of an app's own input does: to its containers, or to other resources only. */
export function servicesEffect(c: FieldChange): Effect {
  if (c.refused) return { effect: "refused at preview", why: c.refused };
  const replaced = c.steps.filter((s) => c.types.get(s.resource) === CONTAINER && isReplace(s));
  if (replaced.length)
    return {
      effect: replaced.length > 1 ? "replaces containers" : "replaces a container",
      why: `${summary(replaced)}: ${replaced[0].why}`,
    };
  return hostEffect(c, "", "");
}

/** What a change of a bake's input does: a new image (its `bake` resource replaced), or not. */
export function imageEffect(c: FieldChange, bake: string): Effect {
  if (c.refused) return { effect: "refused at preview", why: c.refused };
  const step = c.steps.find((s) => s.resource === bake && isReplace(s));
  if (step) return { effect: "a new image", why: step.why };
  return hostEffect(c, "", "");
}

const SERVICE = "docker:index/service:Service";

/** What a change does to a swarm's services: a new service, or the service updated in place. */
export function serviceEffect(c: FieldChange): Effect {
  if (c.refused) return { effect: "refused at preview", why: c.refused };
  if (c.failsAtUp) return { effect: "fails at `pulumi up`", why: c.failsAtUp };
  const on = (kinds: string[]) =>
    c.steps.filter((s) => kinds.includes(s.kind) && c.types.get(s.resource) === SERVICE);
  const replaced = on(["delete-before-replace", "create-replacement", "delete-dependent-first"]);
  if (replaced.length)
    return {
      effect: replaced.length > 1 ? "replaces the services" : "replaces the service",
      why: `${summary(replaced)}: ${replaced[0].why}`,
    };
  if (on(["create"]).length && on(["delete"]).length)
    return { effect: "a new service; the old one removed at the end", why: "a new name" };
  const updated = on(["update"]);
  // ServiceUpdate: the swarm rolls the tasks by the service's update policy.
  if (updated.length)
    return { effect: "in place: a rolling update", why: `${summary(updated)}: ${updated[0].why}` };
  return hostEffect(c, "", "");
}

/** The resources a plan touches, each with its step, the first three and a count. */
function summary(steps: PlannedStep[]): string {
  const names = [...new Set(steps.map((s) => `${s.resource} ${s.kind}`))];
  return names.length > 3
    ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`
    : names.join(", ");
}

const cell = (text: string) => text.replace(/\s*\n\s*/g, " ").replaceAll("|", "\\|");
// A secret's value is no part of the change's text. (Mapped before JSON.stringify, which would
// call an Output's toJSON, a message, before any replacer.)
const withoutOutputs = (value: unknown): unknown => {
  if (pulumi.Output.isInstance(value)) return "(a secret)";
  if (Array.isArray(value)) return value.map(withoutOutputs);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutOutputs(v)]));
  return value;
};
const json = (value: unknown) => JSON.stringify(withoutOutputs(value));
const changeText = (change: unknown, note?: string) =>
  `${change === undefined ? "removed" : `\`${json(change)}\``}${note ? ` (${note})` : ""}`;

/**
 * What a replaced resource takes though its `ignoreChanges` would keep it on an update: a
 * replacement is created from the program's inputs (step_generator.go re-runs Check).
 */
function takenOnReplace(c: FieldChange): string {
  const taken = c.steps
    .filter(isReplace)
    .flatMap((s) => (c.ignored.get(s.resource) ?? []).map((p) => `${s.resource}'s new \`${p}\``));
  return taken.length
    ? `; the replacement takes ${[...new Set(taken)].join(", ")} (ignoreChanges holds for updates only)`
    : "";
}

/** One section: its heading, a line on what was deployed, and a row per field. */
export function onChangeSection(
  heading: string,
  deployed: string,
  rows: (FieldChange & { effect: Effect })[],
): string {
  return [
    `## ${heading}`,
    "",
    deployed,
    "",
    "| field | change | on change | why | the engine's steps |",
    "| - | - | - | - | - |",
    ...rows.map(
      (r) =>
        `| \`${r.field}\` | ${cell(changeText(r.change, r.note))} | ${r.effect.effect} | ${cell(r.effect.why + takenOnReplace(r))} | ${
          r.steps.length
            ? cell(r.steps.map((s) => `\`${s.resource}\` ${s.kind}`).join(", "))
            : "none"
        } |`,
    ),
    "",
  ].join("\n");
}

/**
 * The page with `section` in place of the one under the same heading, or added where its heading
 * sorts among the others. (Each test writes its own section: write them one at a time, jest -i.)
 */
export function withSection(page: string | undefined, section: string): string {
  const text = page ?? INTRO;
  const heading = section.slice(0, section.indexOf("\n") + 1);
  const at = text.indexOf(`\n${heading}`);
  if (at >= 0) {
    const next = text.indexOf("\n## ", at + heading.length);
    return `${text.slice(0, at + 1)}${section}${next < 0 ? "" : `\n${text.slice(next + 1)}`}`;
  }
  const later = [...text.matchAll(/\n(## [^\n]+)\n/g)].find((m) => m[1] > heading.trim());
  if (!later?.index) return `${text.trimEnd()}\n\n${section}`;
  return `${text.slice(0, later.index + 1)}${section}\n${text.slice(later.index + 1)}`;
}

/** The section under `heading` as the page holds it (empty when it has none). */
export function sectionOf(page: string, heading: string): string {
  const at = page.indexOf(`\n## ${heading}\n`);
  if (at < 0) return "";
  const next = page.indexOf("\n## ", at + 1);
  return page.slice(at + 1, next < 0 ? undefined : next + 1);
}

/** Each field's short effect in the section under `heading`, for the component pages. */
export function effectsOf(page: string, heading: string): Map<string, string> {
  const rows = sectionOf(page, heading)
    .split("\n")
    .filter((l) => l.startsWith("| `"));
  // A cell's own pipes are escaped (cell() above).
  const cells = (l: string) => l.split(/(?<!\\)\|/).map((c) => c.trim());
  return new Map(rows.map((l) => [cells(l)[1].replaceAll("`", ""), cells(l)[3]]));
}

export const readOnChangePage = (): string | undefined =>
  fs.existsSync(ON_CHANGE_FILE) ? fs.readFileSync(ON_CHANGE_FILE, "utf8") : undefined;
