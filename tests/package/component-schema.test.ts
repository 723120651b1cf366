import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { parse } from "yaml";
import {
  AWS_HOST_SCHEMA,
  AZURE_HOST_SCHEMA,
  CONTAINER_SCHEMA,
  DOCKER_SERVICES_SCHEMA,
  LOCAL_HOST_SCHEMA,
} from "../../components/host/args-schema";

// What `pulumi package add <this repo>` runs: the nodejs language host finds the components the
// package exports and hands them to componentProviderHost, whose analyzer reads the TypeScript
// source and emits the schema every other language's SDK is generated from.

const root = path.resolve(__dirname, "..", "..", "..");

interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  plain?: boolean;
}
interface SchemaResource {
  isComponent: boolean;
  inputProperties: Record<string, SchemaProperty>;
  requiredInputs?: string[];
  properties: Record<string, SchemaProperty>;
  required?: string[];
}
interface Schema {
  name: string;
  resources: Record<string, SchemaResource>;
  types: Record<
    string,
    { properties?: Record<string, SchemaProperty>; enum?: { value: string }[] }
  >;
}

let analyzed: Promise<Schema> | undefined;

/** The analyzer takes seconds (a TypeScript program over the package): run it once. */
function schema(): Promise<Schema> {
  analyzed ??= analyze();
  return analyzed;
}

async function analyze(): Promise<Schema> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(path.join(root, "dist", "components", "index.js")) as object;
  const components = getPulumiComponents(exported);
  const provider = new ComponentProvider({ name: "dockerhost", dirname: root, components });
  return JSON.parse(await provider.getSchema()) as Schema;
}

const HOST_OUTPUTS = [
  "connection",
  "dockerHost",
  "endpoints",
  "hostPublicKey",
  "privateIp",
  "publicIp",
  "ready",
  "sshCommand",
  "sshUser",
];

describe("the component package schema (the analyzer `pulumi package add` runs)", () => {
  let s: Schema;

  it("lists every component under dockerhost:index", async () => {
    s = await schema();
    console.log(
      `schema components: ${Object.entries(s.resources)
        .map(
          ([token, r]) =>
            `${token} (${Object.keys(r.inputProperties).length} inputs, ${Object.keys(r.properties).length} outputs)`,
        )
        .join(", ")}`,
    );
    assert.equal(s.name, "dockerhost");
    assert.deepEqual(Object.keys(s.resources).sort(), [
      "dockerhost:index:AwsDockerHost",
      "dockerhost:index:AzureDockerHost",
      "dockerhost:index:DockerServices",
      "dockerhost:index:LocalDockerHost",
    ]);
    for (const r of Object.values(s.resources)) assert.equal(r.isComponent, true);
  });

  it("gives each host its required inputs and the shared outputs", () => {
    const required = (token: string) => [...(s.resources[token].requiredInputs ?? [])].sort();
    assert.deepEqual(required("dockerhost:index:AwsDockerHost"), [
      "sshAllowedCidrs",
      "sshPublicKey",
    ]);
    assert.deepEqual(required("dockerhost:index:AzureDockerHost"), [
      "sshAllowedCidrs",
      "sshPublicKey",
    ]);
    assert.deepEqual(required("dockerhost:index:LocalDockerHost"), ["sshPublicKey"]);
    assert.deepEqual(required("dockerhost:index:DockerServices"), ["connection", "containers"]);
    const outputs = (token: string) => Object.keys(s.resources[token].properties).sort();
    assert.deepEqual(
      outputs("dockerhost:index:AwsDockerHost"),
      [...HOST_OUTPUTS, "instanceId"].sort(),
    );
    assert.deepEqual(
      outputs("dockerhost:index:LocalDockerHost"),
      [...HOST_OUTPUTS, "accelerator", "serialLog", "vmDirectory"].sort(),
    );
  });

  it("types the inputs: enums for the closed vocabularies, objects for containers", () => {
    const aws = s.resources["dockerhost:index:AwsDockerHost"].inputProperties;
    assert.deepEqual(aws.sshAllowedCidrs, {
      type: "array",
      items: { type: "string", plain: true },
      plain: true,
      description:
        "Who may reach SSH; required, and never the whole internet without allowSshFromAnywhere.",
    });
    const enumValues = (ref: string | undefined) =>
      s.types[String(ref).replace("#/types/", "")].enum?.map((e) => e.value);
    assert.deepEqual(enumValues(aws.os.$ref), [
      "amazon-linux-2023",
      "ubuntu-24.04",
      "debian-12",
      "rhel-9",
    ]);
    assert.deepEqual(enumValues(aws.hardening.$ref), ["off", "baseline", "strict"]);
    const containers = aws.containers.items?.$ref ?? "";
    const container = s.types[containers.replace("#/types/", "")];
    assert.ok(container.properties?.image && container.properties?.secretEnv, containers);
    const local = s.resources["dockerhost:index:LocalDockerHost"].inputProperties;
    assert.deepEqual(enumValues(local.accelerator.$ref), ["auto", "kvm", "tcg"]);
  });
});

describe("the args schemas the components check at preview (components/host/args-schema.ts)", () => {
  it("name exactly the inputs the analyzer finds, component by component and type by type", async () => {
    const s = await schema();
    const checked: Record<string, { properties: Record<string, unknown> }> = {
      "dockerhost:index:AwsDockerHost": AWS_HOST_SCHEMA as never,
      "dockerhost:index:AzureDockerHost": AZURE_HOST_SCHEMA as never,
      "dockerhost:index:LocalDockerHost": LOCAL_HOST_SCHEMA as never,
      "dockerhost:index:DockerServices": DOCKER_SERVICES_SCHEMA as never,
    };
    for (const [token, json] of Object.entries(checked)) {
      const analyzed = s.resources[token].inputProperties;
      assert.deepEqual(Object.keys(json.properties).sort(), Object.keys(analyzed).sort(), token);
    }
    const typeOf = (ref: string | undefined) => s.types[String(ref).replace("#/types/", "")];
    const aws = s.resources["dockerhost:index:AwsDockerHost"].inputProperties;
    const container = typeOf(aws.containers.items?.$ref);
    assert.deepEqual(
      Object.keys((CONTAINER_SCHEMA as { properties: object }).properties).sort(),
      Object.keys(container.properties ?? {}).sort(),
    );
    const engine = typeOf(aws.docker.$ref);
    const docker = (AWS_HOST_SCHEMA as { properties: { docker: { properties: object } } })
      .properties.docker;
    assert.deepEqual(
      Object.keys(docker.properties).sort(),
      Object.keys(engine.properties ?? {}).sort(),
    );
  });
});

interface YamlProgram {
  resources: Record<string, { type: string; properties: Record<string, unknown> }>;
  outputs?: Record<string, string>;
}

/** Every resource type, input and output a YAML program names is in the schema. */
function checkYamlProgram(s: Schema, program: YamlProgram): void {
  for (const [name, resource] of Object.entries(program.resources)) {
    const declared = s.resources[resource.type];
    assert.ok(declared, `${name}: ${resource.type} is not in the schema`);
    for (const key of Object.keys(resource.properties))
      assert.ok(
        declared.inputProperties[key],
        `${name}.${key} is not an input of ${resource.type}`,
      );
    for (const key of declared.requiredInputs ?? [])
      assert.ok(key in resource.properties, `${name} lacks the required input ${key}`);
  }
  for (const expression of Object.values(program.outputs ?? {})) {
    const [resourceName, output] = expression.replace(/^\$\{|\}$/g, "").split(".");
    const declared = s.resources[program.resources[resourceName].type];
    assert.ok(declared.properties[output], `${expression}: no output ${output}`);
  }
}

describe("the Pulumi YAML programs against the schema", () => {
  it("examples/yaml uses only the schema's components, inputs and outputs, and every required input", async () => {
    const file = path.join(root, "examples", "yaml", "Pulumi.yaml");
    checkYamlProgram(await schema(), parse(fs.readFileSync(file, "utf8")) as YamlProgram);
  });
  it("so does the README's YAML snippet", async () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const snippet = /### From any Pulumi language[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(snippet, "README has a YAML snippet under 'From any Pulumi language'");
    checkYamlProgram(await schema(), parse(snippet) as YamlProgram);
  });
});
