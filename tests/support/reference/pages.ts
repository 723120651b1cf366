import type { Schema, SchemaProperty, SchemaType } from "../analyzed-schema";
import { effectsOf } from "./on-change";

// docs/reference/ as the analyzer's schema gives it (analyzed-schema.ts): one page per component
// (its inputs and outputs) and one page of the types they share, every row from the TSDoc of the
// TypeScript interfaces, the inputs' single declaration. reference-pages.test.ts keeps the pages
// equal to this; DOCKERHOST_WRITE_REFERENCE=1 writes them.

const PREFIX = "dockerhost:index:";
const TYPES_PAGE = "types.md";

/** "AwsDockerHost" -> "aws-docker-host.md". */
export function pageOf(component: string): string {
  return `${component.replace(/(?<=[a-z0-9])([A-Z])/g, "-$1").toLowerCase()}.md`;
}

const nameOf = (ref: string) => ref.replace(`#/types/${PREFIX}`, "");

/** A heading's anchor as GitHub makes it: lower case (the type names hold nothing else). */
const anchor = (type: string) => type.toLowerCase();

function typeText(p: SchemaProperty, from: string, output = false): string {
  const text = (): string => {
    if (p.$ref) {
      const name = nameOf(p.$ref);
      const page = from === TYPES_PAGE ? "" : TYPES_PAGE;
      return `[${name}](${page}#${anchor(name)})`;
    }
    if (p.type === "array" && p.items) return `list of ${typeText(p.items, from, output)}`;
    if (p.type === "object" && p.additionalProperties)
      return `map of ${typeText(p.additionalProperties, from, output)}`;
    return p.type ?? "any";
  };
  // An input that is not `plain` takes a Pulumi input: the value, or an Output of it. (Not
  // written Input<T>: GitHub's markdown would read <T> as a tag.) An output is an Output always.
  return p.plain || output ? text() : `Input of ${text()}`;
}

/** One cell: the text on one line, its pipes escaped. */
const cell = (text: string | undefined) =>
  (text ?? "").replace(/\s*\n\s*/g, " ").replaceAll("|", "\\|");

/**
 * A table of properties; `onChange`: each input's effect when it changes, from on-change.md
 * (linked to its section), for the inputs of what that page derives.
 */
function propertyTable(
  properties: Record<string, SchemaProperty>,
  required: string[],
  from: string,
  withRequired = true,
  onChange?: { effects: Map<string, string>; section: string },
): string {
  const head = [
    ...(withRequired ? ["name", "type", "required", "what"] : ["name", "type", "what"]),
    ...(onChange ? ["on change"] : []),
  ];
  const effect = (name: string) => {
    const text = onChange?.effects.get(name);
    return text ? `[${text}](on-change.md#${onChange?.section})` : "not derived yet";
  };
  const rows = Object.entries(properties)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, p]) => [
      `\`${name}\``,
      typeText(p, from, !withRequired),
      ...(withRequired ? [required.includes(name) ? "yes" : ""] : []),
      cell(p.description),
      ...(onChange ? [effect(name)] : []),
    ]);
  return [head, head.map(() => "-"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

const HEADER = (title: string) =>
  [
    `# ${title}`,
    "",
    "Generated from the TypeScript interfaces by the analyzer that `pulumi package add` runs (the",
    "schema every other language's SDK comes from); `tests/package/reference-pages.test.ts` keeps",
    "this page equal to it (`DOCKERHOST_WRITE_REFERENCE=1` rewrites it). An `Input of` type takes a",
    "value or a Pulumi Output of one; the others take plain values. Outputs are Pulumi Outputs.",
    "",
  ].join("\n");

/** The section of on-change.md for `name` (a component or a type), when it has one. */
function onChangeOf(name: string, onChange: string) {
  const effects = effectsOf(onChange, name);
  return effects.size ? { effects, section: anchor(name) } : undefined;
}

function componentPage(name: string, schema: Schema, onChange: string): string {
  const r = schema.resources[`${PREFIX}${name}`];
  const page = pageOf(name);
  return [
    HEADER(name),
    ...(r.description ? [cell(r.description), ""] : []),
    "## Inputs",
    "",
    propertyTable(
      r.inputProperties,
      r.requiredInputs ?? [],
      page,
      true,
      onChangeOf(name, onChange),
    ),
    "",
    "## Outputs",
    "",
    propertyTable(r.properties, r.required ?? [], page, false),
    "",
  ].join("\n");
}

function typeSection(name: string, t: SchemaType, onChange: string): string {
  const lines = [`## ${name}`, ""];
  if (t.description) lines.push(cell(t.description), "");
  if (t.enum)
    lines.push(
      "One of:",
      "",
      ...t.enum.map(
        (e) => `- \`${JSON.stringify(e.value)}\`${e.description ? `: ${cell(e.description)}` : ""}`,
      ),
    );
  else
    lines.push(
      propertyTable(
        t.properties ?? {},
        t.required ?? [],
        TYPES_PAGE,
        true,
        onChangeOf(name, onChange),
      ),
    );
  return lines.join("\n");
}

/**
 * Every page of docs/reference/, by file name. `typescriptOnly`: the package's exported functions
 * and classes that are no component, so no other language's SDK has them.
 */
export function referencePages(
  schema: Schema,
  typescriptOnly: string[],
  onChange: string,
): Record<string, string> {
  const components = Object.keys(schema.resources)
    .map((token) => token.replace(PREFIX, ""))
    .sort();
  const types = Object.keys(schema.types)
    .map((token) => token.replace(PREFIX, ""))
    .sort();
  const pages: Record<string, string> = {};
  for (const c of components) pages[pageOf(c)] = componentPage(c, schema, onChange);
  pages[TYPES_PAGE] = [
    HEADER("Types"),
    types.map((t) => typeSection(t, schema.types[`${PREFIX}${t}`], onChange)).join("\n\n"),
    "",
  ].join("\n");
  pages["README.md"] = [
    "# Reference",
    "",
    "Every input and output of the components, generated from their TypeScript interfaces. The",
    '"on change" column says what `pulumi up` does when that input changes (in place, a container',
    "replaced, the VM replaced, ...), derived in [on-change.md](on-change.md) with each step; an",
    'input whose column says "not derived yet" has no derived row there.',
    "",
    ...components.map((c) => `- [${c}](${pageOf(c)})`),
    `- [Types](${TYPES_PAGE}): the specs and enums the components share`,
    "",
    "## TypeScript only",
    "",
    "The package also exports these functions and classes, which are no components: a program in",
    "TypeScript or JavaScript calls them; the SDKs of other languages (`pulumi package add`) have",
    "the components above only. In another language, write what they return by hand (a fleet's",
    "network rules, a compose file's containers) or run that part of the stack in TypeScript.",
    "",
    ...[...typescriptOnly].sort().map((name) => `- \`${name}\``),
    "",
  ].join("\n");
  return pages;
}
