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
