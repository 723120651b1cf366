import type { JsonSchema } from "./shape";

// The few JSON Schema shapes the argument schemas (args-schema.ts) are written in, so each
// argument reads as its type: `list(string)`, `input(record({...}))`.

export const string: JsonSchema = { type: "string" };
export const boolean: JsonSchema = { type: "boolean" };
export const wholeNumber = (minimum: number, maximum?: number): JsonSchema => ({
  type: "integer",
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
});
export const oneOf = (values: readonly string[]): JsonSchema => ({
  type: "string",
  enum: [...values],
});
export const list = (items: JsonSchema): JsonSchema => ({ type: "array", items });
export const map = (values: JsonSchema): JsonSchema => ({
  type: "object",
  additionalProperties: values,
});
/** A Pulumi input: the value itself, or an Output/Promise of it. */
export const input = (schema: JsonSchema): JsonSchema => ({
  anyOf: [schema, { pulumiValue: true }],
});
export const record = (
  properties: Record<string, JsonSchema>,
  required: string[] = [],
): JsonSchema => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});
