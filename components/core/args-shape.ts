import inputs from "./component-inputs.json";
import type { JsonSchema } from "./shape";

// The JSON Schema that ajv checks each component's args against (core/shape.ts), built from the
// components' TypeScript interfaces, their one declaration: component-inputs.json is what Pulumi's
// analyzer reads from them (the schema every other language's SDK comes from), written by
// tests/package/args-shape.test.ts, which keeps the two equal. What a TypeScript type cannot
// say (a whole number, its range) is added here, in REFINEMENTS, and nowhere else.

interface SourceProperty {
  type?: string;
  $ref?: string;
  items?: SourceProperty;
  additionalProperties?: SourceProperty;
  plain?: boolean;
}
interface SourceObject {
  properties: Record<string, SourceProperty>;
  required: string[];
}
interface Source {
  components: Record<string, SourceObject>;
  types: Record<string, SourceObject | { enum: string[] }>;
}

const SOURCE = inputs as Source;

export type ComponentName =
  | "AwsDockerHost"
  | "AzureDockerHost"
  | "LocalDockerHost"
  | "AwsDockerHostImage"
  | "AzureDockerHostImage"
  | "LocalDockerHostImage"
  | "DockerServices"
  | "DockerSwarm"
  | "SwarmServices";

const integer: JsonSchema = { type: "integer" };
const wholeNumber = (minimum: number, maximum?: number): JsonSchema => ({
  type: "integer",
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
});

interface Refinement {
  /** The property's schema instead of its type's (a list's items with `[]`: "forwardPorts[]"). */
  schema?: JsonSchema;
  /** Accepted though the interface requires it: a later check words its absence. */
  optional?: true;
}

const HOSTS = ["AwsDockerHost", "AzureDockerHost", "LocalDockerHost"];

/**
 * By owner (a component or a type) and property. Ranges the cloud or Docker sets; a property
 * accepted beyond its interface is worded by a later check instead (named there).
 */
const REFINEMENTS: Record<string, Refinement> = {
  ...Object.fromEntries(HOSTS.map((h) => [`${h}.containerPidsLimit`, { schema: integer }])),
  // EBS gp3 sizes (aws-host-args.ts words the Docker volume's 0).
  "AwsDockerHost.rootVolumeSizeGb": { schema: wholeNumber(8, 16384) },
  "AwsDockerHost.dockerVolumeSizeGb": { schema: wholeNumber(0, 16384) },
  // CloudWatch's and Log Analytics' retentions: each target words its own list or range.
  "AwsDockerHost.logRetentionDays": { schema: wholeNumber(0, 3653) },
  "AzureDockerHost.logRetentionDays": { schema: wholeNumber(0, 3653) },
  "AzureDockerHost.osDiskSizeGb": { schema: wholeNumber(30, 4095) },
  "AzureDockerHost.dockerDiskSizeGb": { schema: wholeNumber(0, 32767) },
  "LocalDockerHost.memoryMb": { schema: integer },
  "LocalDockerHost.cpus": { schema: integer },
  "LocalDockerHost.diskSizeGb": { schema: integer },
  "LocalDockerHost.dockerDiskSizeGb": { schema: integer },
  "LocalDockerHost.sshPort": { schema: integer },
  "LocalDockerHost.forwardPorts[]": { schema: integer },
  "LocalPrivateNetwork.port": { schema: integer },
  "LocalDockerHostImage.memoryMb": { schema: integer },
  "LocalDockerHostImage.cpus": { schema: integer },
  "LocalDockerHostImage.timeoutSeconds": { schema: wholeNumber(60) },
  "SshConnectionArgs.port": { schema: wholeNumber(1, 65535) },
  // Ranges and clashes of ports: validate-containers.ts and validate-swarm-services.ts.
  "ContainerPortSpec.internal": { schema: integer },
  "ContainerPortSpec.external": { schema: integer },
  "ContainerSpec.memoryMb": { schema: integer },
  "ContainerSpec.shmSizeMb": { schema: wholeNumber(1) },
  "ContainerSpec.stopTimeoutSeconds": { schema: wholeNumber(0) },
  "ContainerHealthcheckSpec.retries": { schema: wholeNumber(0) },
  "UlimitSpec.soft": { schema: integer },
  "UlimitSpec.hard": { schema: integer },
  "ProxySpec.port": { schema: integer },
  "SwarmServiceSpec.memoryMb": { schema: integer },
  "SwarmServiceSpec.replicas": { schema: integer },
  "SwarmPortSpec.internal": { schema: integer },
  "SwarmPortSpec.external": { schema: integer },
  // validate-swarm-services.ts words a missing or unknown mode for a swarm.
  "SwarmPortSpec.mode": { schema: { type: "string" }, optional: true },
  "UpdatePolicySpec.parallelism": { schema: wholeNumber(0) },
  "RollbackPolicySpec.parallelism": { schema: wholeNumber(0) },
};

/**
 * Accepted beyond the interface so that a later check can say why it does not apply:
 * compose-swarm.ts and validate-swarm-services.ts refuse a swarm network's `external`.
 */
const EXTRA_PROPERTIES: Record<string, Record<string, JsonSchema>> = {
  SwarmNetworkSpec: { external: { type: "string" } },
};

/** A Pulumi input: the value itself, or an Output/Promise of it (core/shape.ts, pulumiValue). */
const asInput = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { pulumiValue: true }] });

function propertySchema(p: SourceProperty, at: string): JsonSchema {
  const refined = REFINEMENTS[at]?.schema;
  let schema: JsonSchema;
  if (refined) schema = refined;
  else if (p.$ref) schema = typeSchema(p.$ref);
  else if (p.type === "array" && p.items)
    schema = { type: "array", items: propertySchema(p.items, `${at}[]`) };
  else if (p.type === "object" && p.additionalProperties)
    schema = {
      type: "object",
      additionalProperties: propertySchema(p.additionalProperties, `${at}{}`),
    };
  else schema = { type: p.type };
  return p.plain ? schema : asInput(schema);
}

function objectSchema(owner: string, o: SourceObject): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(o.properties).map(([k, p]) => [k, propertySchema(p, `${owner}.${k}`)]),
  );
  return {
    type: "object",
    properties: { ...properties, ...EXTRA_PROPERTIES[owner] },
    required: o.required.filter((k) => !REFINEMENTS[`${owner}.${k}`]?.optional),
    additionalProperties: false,
  };
}

const built = new Map<string, JsonSchema>();

/** A type of the schema (ContainerSpec, an enum), built once: ajv compiles each schema once. */
export function typeSchema(name: string): JsonSchema {
  const cached = built.get(name);
  if (cached) return cached;
  const t = SOURCE.types[name];
  if (!t) throw new Error(`component-inputs.json has no type ${name}`);
  const schema: JsonSchema =
    "enum" in t ? { type: "string", enum: [...t.enum] } : objectSchema(name, t);
  built.set(name, schema);
  return schema;
}

/** A component's args, as ajv checks them (once built, the same object every time). */
export function argsShape(component: ComponentName): JsonSchema {
  const key = `component:${component}`;
  const cached = built.get(key);
  if (cached) return cached;
  const schema = objectSchema(component, SOURCE.components[component]);
  built.set(key, schema);
  return schema;
}
