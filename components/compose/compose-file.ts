import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import YAML from "yaml";
import { fieldName } from "../core/shape";
import { unsupportedComposeKeys } from "./compose-keys";
import { refusalOf } from "./refused-keys";
import { parseEnvFile } from "./env-file";
import { interpolateDocument, type Variables } from "./interpolate";
import composeSpecSchema from "./compose-spec.schema.json";

// A compose file read and checked: parsed as YAML, its values interpolated from the `.env`
// beside it (interpolate.ts: before the schema, as Compose does), validated against the Compose
// Specification's JSON schema, and every key dockerhost does not turn into a resource named.
// Nothing here decides what a key means (compose-services.ts does).
//
// The schema, compose-spec.schema.json, is the Compose Specification's schema/compose-spec.json
// (compose-spec/compose-spec, Apache-2.0) as the maintained linter dclint ships it in
// schemas/compose.schema.json: a copy of the pinned devDependency's file (a unit test keeps them
// equal; after a bump: cp node_modules/dclint/schemas/compose.schema.json components/compose/compose-spec.schema.json).
// It is draft-07, Ajv's default, and takes strings wherever interpolation may give one.

// Its `$schema` names draft-07 by an address Ajv does not know (https, no "#"): left out, the
// draft Ajv compiles by default is that one.
const COMPOSE_SCHEMA: Record<string, unknown> = { ...composeSpecSchema };
delete COMPOSE_SCHEMA.$schema;
const validate = new Ajv({ allErrors: true, strict: false }).compile(COMPOSE_SCHEMA);

export interface ComposeRead {
  /** The interpolated document ({} when the file is no map). */
  doc: Record<string, unknown>;
  problems: string[];
  /** The `.env` beside the file: the variables `env_file` files may use too. */
  vars: Variables;
  /** Each value's path mapped to the variables that went into it. */
  used: Map<string, string[]>;
}

// Compose reads a file with many anchors (yaml.v3 limits aliases by ratio, not count); the yaml
// package's default of 100 threw a ReferenceError naming no file. Still bounded, against a file
// whose aliases expand without end.
const MAX_ALIASES = 100_000;

/** One problem per place, in the words the schema has for the innermost failure. */
function schemaProblems(errors: ErrorObject[], file: string): string[] {
  const problems = new Map<string, string[]>();
  for (const e of errors) {
    // An unknown key is named by unsupportedComposeKeys, whatever the schema's age knows.
    if (e.keyword === "additionalProperties" || e.keyword === "oneOf" || e.keyword === "anyOf")
      continue;
    const at = fieldName(e.instancePath) || "(top level)";
    const words =
      e.keyword === "enum"
        ? `${e.message}: ${(e.params.allowedValues as unknown[]).join(", ")}`
        : (e.message ?? "is not valid");
    problems.set(at, [...(problems.get(at) ?? []), words]);
  }
  return [...problems].map(
    ([at, words]) =>
      `${file}: ${at}: ${[...new Set(words)].join(", or ")} (the Compose Specification's schema).`,
  );
}

/** Where the file goes: one host (composeServices) or a swarm (composeSwarmServices). */
export interface ComposeTarget {
  swarm?: boolean;
}

export function checkComposeDocument(
  doc: unknown,
  file: string,
  target: ComposeTarget = {},
): string[] {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    return [`${file}: not a compose file: its top level must be a map with services.`];
  const problems = validate(doc) ? [] : schemaProblems(validate.errors ?? [], file);
  for (const key of unsupportedComposeKeys(doc, target.swarm))
    problems.push(
      `${file}: ${key}: ${refusalOf(key) ?? 'not supported by dockerhost. Remove it, or see the "Compose keys" table in docs/compose.md for the keys it reads.'}`,
    );
  if (!problems.length && !("services" in doc))
    problems.push(`${file}: services: required: the services to run.`);
  return problems;
}

/** The `.env` in the compose file's directory, as Compose reads it for interpolation. */
function projectVariables(file: string, shownAs: string): { vars: Variables; problems: string[] } {
  const envPath = path.join(path.dirname(file), ".env");
  const from = path.join(path.dirname(shownAs), ".env");
  if (!fs.existsSync(envPath)) return { vars: { values: new Map(), from }, problems: [] };
  const parsed = parseEnvFile(fs.readFileSync(envPath, "utf8"), from);
  return { vars: { values: parsed.values, from }, problems: parsed.problems };
}

/** A compose file's text read, interpolated from `vars` and checked: every problem at once. */
export function readComposeText(
  text: string,
  shownAs: string,
  vars: Variables,
  target: ComposeTarget = {},
): ComposeRead {
  const failed = (problems: string[]): ComposeRead => ({
    doc: {},
    vars,
    used: new Map(),
    problems,
  });
  const parsed = YAML.parseDocument(text, { merge: true });
  if (parsed.errors.length)
    return failed(
      parsed.errors.map((e) => `${shownAs}: not valid YAML: ${e.message.split("\n")[0]}`),
    );
  let raw: unknown;
  try {
    raw = parsed.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return failed([`${shownAs}: cannot be read as YAML: ${(e as Error).message}`]);
  }
  const interpolated = interpolateDocument(raw, vars, shownAs);
  const problems = [
    ...interpolated.problems,
    ...checkComposeDocument(interpolated.doc, shownAs, target),
  ];
  const doc = interpolated.doc;
  const isMap = typeof doc === "object" && doc !== null && !Array.isArray(doc);
  return {
    doc: (isMap ? doc : {}) as Record<string, unknown>,
    problems,
    vars,
    used: interpolated.used,
  };
}

/**
 * Reads a compose file and the `.env` beside it, then readComposeText. `doc` is what was read
 * even when there are problems, so that later stages can report theirs too.
 */
export function readComposeFile(
  file: string,
  shownAs: string = file,
  target: ComposeTarget = {},
): ComposeRead {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return {
      doc: {},
      vars: { values: new Map(), from: ".env" },
      used: new Map(),
      problems: [
        `${shownAs}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}). Give the compose file's path relative to the program's directory.`,
      ],
    };
  }
  const { vars, problems } = projectVariables(file, shownAs);
  const read = readComposeText(text, shownAs, vars, target);
  return { ...read, problems: [...problems, ...read.problems] };
}
