import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

// Runs a JSON Schema over a value a user wrote (a HostSpec here, the components' args in
// core/args-shape.ts) and words each violation as a problem that names the field as the user
// wrote it ("containers[0].ports[0].internal") and says what would be right. Pure: no Pulumi.

export type JsonSchema = { [key: string]: unknown };

/**
 * An Output or a Promise: resolved and checked later, not here. Pulumi marks its Outputs with
 * `__pulumiOutput` (what Output.isInstance reads), so no Pulumi import is needed.
 */
function isPulumiValue(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { __pulumiOutput?: unknown; then?: unknown };
  return v.__pulumiOutput === true || typeof v.then === "function";
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
ajv.addKeyword({
  keyword: "pulumiValue",
  schemaType: "boolean",
  validate: (_: boolean, data: unknown) => isPulumiValue(data),
  errors: false,
});

const compiled = new Map<JsonSchema, ValidateFunction>();

/** Plain objects and arrays without their `undefined` members (an unset optional field). */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (
    typeof value === "object" &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    );
  }
  return value;
}

/** "/containers/0/ports/1/internal" -> "containers[0].ports[1].internal". */
export function fieldName(pointer: string, prefix = ""): string {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let field = prefix;
  for (const part of parts) {
    if (/^\d+$/.test(part)) field += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) field += field ? `.${part}` : part;
    else field += `[${JSON.stringify(part)}]`;
  }
  return field;
}

function shown(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  return JSON.stringify(value) ?? String(value);
}

const WANTED: Record<string, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

function wanted(schema: unknown): string {
  const s = schema as { type?: string; enum?: string[]; anyOf?: unknown[] } | undefined;
  if (s?.enum) return `one of: ${s.enum.join(", ")}`;
  if (s?.anyOf) return `${wanted(s.anyOf[0])} (or a Pulumi output of it)`;
  return WANTED[s?.type ?? ""] ?? "another value";
}

function describeError(e: ErrorObject, prefix: string): string | undefined {
  const at = fieldName(e.instancePath, prefix);
  const field = at || "args";
  switch (e.keyword) {
    case "required": {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return `${at ? `${at}.` : ""}${missing}: required.`;
    }
    case "additionalProperties": {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      return `${at ? `${at}.` : ""}${extra}: not a known field. Check its spelling; the fields here are: ${known.join(", ")}.`;
    }
    case "enum":
      return `${field}: ${shown(e.data)} is not supported. Use ${wanted(e.parentSchema)}.`;
    case "minimum":
    case "maximum": {
      const limit = (e.params as { limit: number }).limit;
      const side = e.keyword === "minimum" ? "at least" : "at most";
      return `${field}: ${shown(e.data)} is out of range. Use a whole number ${side} ${limit}.`;
    }
    case "type":
      return `${field}: expected ${wanted(e.parentSchema)}, got ${shown(e.data)}.`;
    case "anyOf":
      return `${field}: expected ${wanted(e.parentSchema)}, got ${shown(e.data)}.`;
    default:
      return `${field}: ${e.message ?? "not valid"}.`;
  }
}

export interface ShapeCheck<T> {
  /** Every shape problem, each naming its field. */
  problems: string[];
  /**
   * The args without the values that failed (a list is dropped whole when one of its items is
   * of the wrong kind), so the finer checks can still run and report the rest at once.
   */
  pruned: T;
  /** The fields the problems name; a finer check's problem on one of them says nothing new. */
  failedFields: string[];
}

function pointerParts(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function prune(value: unknown, pointers: string[]): unknown {
  const copy = withoutUndefined(value);
  for (const pointer of pointers) {
    const parts = pointerParts(pointer);
    // An item of the wrong kind: drop its whole list, so no index shifts under a message.
    while (parts.length && /^\d+$/.test(parts[parts.length - 1])) parts.pop();
    if (parts.length === 0) return {};
    let parent: unknown = copy;
    for (const part of parts.slice(0, -1)) {
      parent = (parent as Record<string, unknown> | undefined)?.[part];
    }
    if (typeof parent === "object" && parent !== null && !Array.isArray(parent)) {
      delete (parent as Record<string, unknown>)[parts[parts.length - 1]];
    }
  }
  return copy;
}

/** Checks `args` against `schema`; see ShapeCheck. `prefix` names where the value sits. */
export function checkShape<T>(schema: JsonSchema, args: T, prefix = ""): ShapeCheck<T> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const plainArgs = withoutUndefined(args);
  if (validate(plainArgs)) return { problems: [], pruned: args, failedFields: [] };
  const errors = validate.errors ?? [];
  // A Pulumi input fails anyOf when it is neither the value nor an Output. Where the value had
  // the right type, the problems inside it say more than the anyOf line; otherwise the anyOf
  // line says it once for all its branches.
  const inBranch = (e: ErrorObject) => /\/anyOf\/\d+\//.test(e.schemaPath);
  const anyOfAt = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  const hasDeeper = (path: string) => errors.some((e) => e.instancePath.startsWith(`${path}/`));
  const kept = errors.filter((e) =>
    e.keyword === "anyOf"
      ? !hasDeeper(e.instancePath)
      : !(inBranch(e) && anyOfAt.has(e.instancePath)),
  );
  const problems = [
    ...new Set(kept.map((e) => describeError(e, prefix)).filter((p): p is string => !!p)),
  ];
  // A wrong value goes; so does an object that lacks a required field (nothing below may read
  // it), except the args themselves. An unknown field harms nothing and stays.
  const failedPointers = kept
    .filter((e) => e.keyword !== "additionalProperties")
    .filter((e) => e.keyword !== "required" || e.instancePath !== "")
    .map((e) => e.instancePath);
  const failedFields = kept.map((e) => {
    const at = fieldName(e.instancePath, prefix);
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    const child = params.missingProperty ?? params.additionalProperty;
    return child ? `${at ? `${at}.` : ""}${child}` : at;
  });
  return { problems, pruned: prune(plainArgs, failedPointers) as T, failedFields };
}

/** The field a problem names: the text before its first ": ". */
export function problemField(problem: string): string {
  return problem.slice(0, Math.max(0, problem.indexOf(": ")));
}

/** Finer problems minus those about a field (or inside a field) the shape check already named. */
export function withoutShadowed(problems: string[], failedFields: string[]): string[] {
  return problems.filter((p) => {
    const field = problemField(p);
    return !failedFields.some(
      (f) => f !== "" && (field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`)),
    );
  });
}

/** Every shape problem of `args` against `schema`, each naming its field. */
export function shapeProblems(schema: JsonSchema, args: unknown, prefix = ""): string[] {
  return checkShape(schema, args, prefix).problems;
}
