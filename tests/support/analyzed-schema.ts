import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

// What `pulumi package add <this repo>` runs: the nodejs language host finds the components the
// package exports and hands them to componentProviderHost, whose analyzer reads the TypeScript
// source and emits the schema every other language's SDK is generated from. The package level
// reads it (component-schema.test.ts) and renders the reference pages from it
// (reference-pages.test.ts).

export const ROOT = path.resolve(__dirname, "..", "..");

export interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  plain?: boolean;
  optional?: boolean;
  description?: string;
}
export interface SchemaResource {
  isComponent: boolean;
  description?: string;
  inputProperties: Record<string, SchemaProperty>;
  requiredInputs?: string[];
  properties: Record<string, SchemaProperty>;
  required?: string[];
}
export interface SchemaType {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaProperty>;
  required?: string[];
  enum?: { name?: string; value: string; description?: string }[];
}
export interface Schema {
  name: string;
  resources: Record<string, SchemaResource>;
  types: Record<string, SchemaType>;
}

let analyzed: Promise<Schema> | undefined;

/** The analyzer takes seconds (a TypeScript program over the package): run it once per file. */
export function analyzedSchema(): Promise<Schema> {
  analyzed ??= analyze();
  return analyzed;
}

async function analyze(): Promise<Schema> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(path.join(ROOT, "dist", "components", "index.js")) as object;
  const components = getPulumiComponents(exported);
  const provider = new ComponentProvider({ name: "dockerhost", dirname: ROOT, components });
  return JSON.parse(await provider.getSchema()) as Schema;
}

/** A property as the shape checks read it: its type and whether it takes a Pulumi input. */
export interface ShapeProperty {
  type?: string;
  $ref?: string;
  items?: ShapeProperty;
  additionalProperties?: ShapeProperty;
  plain?: boolean;
}

/**
 * The part of the schema the args' shape checks are built from (core/component-inputs.json):
 * each component's inputs and each type, without the words (those are the reference's).
 */
export function shapeSource(schema: Schema, orders: Record<string, string[]>): unknown {
  const prop = (p: SchemaProperty): ShapeProperty => ({
    ...(p.type === undefined ? {} : { type: p.type }),
    ...(p.$ref === undefined ? {} : { $ref: p.$ref.replace("#/types/dockerhost:index:", "") }),
    ...(p.items ? { items: prop(p.items) } : {}),
    ...(p.additionalProperties ? { additionalProperties: prop(p.additionalProperties) } : {}),
    ...(p.plain ? { plain: true } : {}),
  });
  // In declaration order, base interfaces first (declaration-order.ts); any other after.
  const props = (ps: Record<string, SchemaProperty> = {}, order: string[] = []) => {
    const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
    return Object.fromEntries(
      Object.entries(ps)
        .sort(([a], [b]) => rank(a) - rank(b))
        .map(([k, p]) => [k, prop(p)]),
    );
  };
  const short = (token: string) => token.replace("dockerhost:index:", "");
  return {
    components: Object.fromEntries(
      Object.entries(schema.resources).map(([token, r]) => [
        short(token),
        {
          properties: props(r.inputProperties, orders[`class:${short(token)}`]),
          required: r.requiredInputs ?? [],
        },
      ]),
    ),
    types: Object.fromEntries(
      Object.entries(schema.types).map(([token, t]) => [
        short(token),
        t.enum
          ? { enum: t.enum.map((e) => e.value) }
          : { properties: props(t.properties, orders[short(token)]), required: t.required ?? [] },
      ]),
    ),
  };
}
