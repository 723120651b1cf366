import { argsShape, typeSchema } from "../../components/core/args-shape";
import { about } from "../support/about";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { checkShape } from "../../components/core/shape";
import { readDoc } from "../support/docs-page";
import { analyzedSchema, ROOT as root, type Schema } from "../support/analyzed-schema";

const HOST_OUTPUTS = [
  "connection",
  "dockerHost",
  "endpoints",
  "hostPublicKey",
  "dockerContext",
  "sshConfigInclude",
  "privateIp",
  "publicIp",
  "ready",
  "machineId",
  "sshCommand",
  "sshUser",
];

describe("the component package schema (the analyzer `pulumi package add` runs)", () => {
  let s: Schema;

  it("lists every component under dockerhost:index", async () => {
    s = await analyzedSchema();
    console.log(
      `schema components: ${Object.entries(s.resources)
        .map(
          ([token, r]) =>
            `${token} (${Object.keys(r.inputProperties).length} inputs, ${Object.keys(r.properties).length} outputs)`,
        )
        .join(", ")}`,
    );
    expect(s.name).toBe("dockerhost");
    expect(Object.keys(s.resources).sort()).toStrictEqual([
      "dockerhost:index:AwsDockerHost",
      "dockerhost:index:AwsDockerHostImage",
      "dockerhost:index:AzureDockerHost",
      "dockerhost:index:AzureDockerHostImage",
      "dockerhost:index:DockerServices",
      "dockerhost:index:DockerSwarm",
      "dockerhost:index:LocalDockerHost",
      "dockerhost:index:LocalDockerHostImage",
      "dockerhost:index:SwarmServices",
    ]);
    for (const r of Object.values(s.resources)) expect(r.isComponent).toBe(true);
  });

  it("gives each host its required inputs and the shared outputs", () => {
    const required = (token: string) => [...(s.resources[token].requiredInputs ?? [])].sort();
    // Not with sshAccess "session", so checked at preview (the missing-ranges message).
    expect(required("dockerhost:index:AwsDockerHost")).toStrictEqual(["sshPublicKey"]);
    expect(required("dockerhost:index:AzureDockerHost")).toStrictEqual(["sshPublicKey"]);
    expect(required("dockerhost:index:LocalDockerHost")).toStrictEqual(["sshPublicKey"]);
    expect(required("dockerhost:index:DockerServices")).toStrictEqual(["connection", "containers"]);
    expect(required("dockerhost:index:DockerSwarm")).toStrictEqual(["nodes"]);
    expect(required("dockerhost:index:SwarmServices")).toStrictEqual(["connection", "services"]);
    const outputs = (token: string) => Object.keys(s.resources[token].properties).sort();
    expect(outputs("dockerhost:index:SwarmServices")).toStrictEqual([
      "dockerHost",
      "endpoints",
      "serviceIds",
    ]);
    expect(outputs("dockerhost:index:AwsDockerHost")).toStrictEqual(
      [...HOST_OUTPUTS, "instanceId"].sort(),
    );
    expect(outputs("dockerhost:index:LocalDockerHost")).toStrictEqual(
      [...HOST_OUTPUTS, "accelerator", "serialLog", "vmDirectory"].sort(),
    );
    // The bakes need nothing (the catalog decides); each gives the image its host takes.
    for (const image of ["Aws", "Azure", "Local"])
      expect(required(`dockerhost:index:${image}DockerHostImage`)).toStrictEqual([]);
    expect(outputs("dockerhost:index:AwsDockerHostImage")).toStrictEqual([
      "amiId",
      "fingerprint",
      "imageArn",
    ]);
    expect(outputs("dockerhost:index:AzureDockerHostImage")).toStrictEqual([
      "fingerprint",
      "galleryName",
      "imageId",
      "templateName",
    ]);
    expect(outputs("dockerhost:index:DockerSwarm")).toStrictEqual([
      "dockerHost",
      "managerAddress",
      "managerConnection",
      "nodeIds",
      "unlockKey",
    ]);
    expect(outputs("dockerhost:index:LocalDockerHostImage")).toStrictEqual([
      "bakeSeconds",
      "fingerprint",
      "imagePath",
    ]);
  });

  it("types the inputs: enums for the closed vocabularies, objects for containers", () => {
    const aws = s.resources["dockerhost:index:AwsDockerHost"].inputProperties;
    const azure = s.resources["dockerhost:index:AzureDockerHost"].inputProperties;
    expect(azure.sshAllowedCidrs).toStrictEqual({
      type: "array",
      items: { type: "string", plain: true },
      plain: true,
      optional: true,
      description:
        'Who may reach SSH: required with sshAccess "direct" (the default), and never the whole\ninternet without allowSshFromAnywhere. Not used with sshAccess "session".',
    });
    expect(aws.sshAllowedCidrs).toMatchObject({ type: "array", optional: true });
    const enumValues = (ref: string | undefined) =>
      s.types[String(ref).replace("#/types/", "")].enum?.map((e) => e.value);
    expect(enumValues(aws.sshAccess.$ref)).toStrictEqual(["direct", "session"]);
    expect(enumValues(azure.sshAccess.$ref)).toStrictEqual(["direct", "session"]);
    expect(enumValues(aws.os.$ref)).toStrictEqual([
      "amazon-linux-2023",
      "ubuntu-24.04",
      "debian-12",
      "rhel-9",
    ]);
    expect(enumValues(aws.hardening.$ref)).toStrictEqual(["off", "baseline", "strict"]);
    const containers = aws.containers.items?.$ref ?? "";
    const container = s.types[containers.replace("#/types/", "")];
    expect(
      about(containers, Boolean(container.properties?.image && container.properties?.secretEnv)),
    ).toStrictEqual(about(containers, true));
    const local = s.resources["dockerhost:index:LocalDockerHost"].inputProperties;
    expect(enumValues(local.accelerator.$ref)).toStrictEqual(["auto", "kvm", "tcg"]);
    const swarmNode =
      s.types[
        String(
          s.resources["dockerhost:index:DockerSwarm"].inputProperties.nodes.items?.$ref,
        ).replace("#/types/", "")
      ];
    expect(enumValues(swarmNode.properties?.role.$ref)).toStrictEqual(["manager", "worker"]);
    const serviceRef = s.resources["dockerhost:index:SwarmServices"].inputProperties.services.items;
    const service = s.types[String(serviceRef?.$ref).replace("#/types/", "")];
    expect(Object.keys(service.properties ?? {}).sort()).toStrictEqual(
      Object.keys((typeSchema("SwarmServiceSpec") as { properties: object }).properties).sort(),
    );
    const port = s.types[String(service.properties?.ports.items?.$ref).replace("#/types/", "")];
    expect(enumValues(port.properties?.mode.$ref)?.sort()).toStrictEqual(["host", "ingress"]);
  });
});

describe("the args schemas the components check at preview (components/core/args-shape.ts)", () => {
  it("name exactly the inputs the analyzer finds, component by component and type by type", async () => {
    const s = await analyzedSchema();
    const checked: Record<string, { properties: Record<string, unknown> }> = {
      "dockerhost:index:AwsDockerHost": argsShape("AwsDockerHost") as never,
      "dockerhost:index:AzureDockerHost": argsShape("AzureDockerHost") as never,
      "dockerhost:index:LocalDockerHost": argsShape("LocalDockerHost") as never,
      "dockerhost:index:DockerServices": argsShape("DockerServices") as never,
      "dockerhost:index:DockerSwarm": argsShape("DockerSwarm") as never,
      "dockerhost:index:SwarmServices": argsShape("SwarmServices") as never,
      "dockerhost:index:AwsDockerHostImage": argsShape("AwsDockerHostImage") as never,
      "dockerhost:index:AzureDockerHostImage": argsShape("AzureDockerHostImage") as never,
      "dockerhost:index:LocalDockerHostImage": argsShape("LocalDockerHostImage") as never,
    };
    for (const [token, json] of Object.entries(checked)) {
      const analyzed = s.resources[token].inputProperties;
      expect(about(token, Object.keys(json.properties).sort())).toStrictEqual(
        about(token, Object.keys(analyzed).sort()),
      );
    }
    const typeOf = (ref: string | undefined) => s.types[String(ref).replace("#/types/", "")];
    const aws = s.resources["dockerhost:index:AwsDockerHost"].inputProperties;
    const container = typeOf(aws.containers.items?.$ref);
    expect(
      Object.keys((typeSchema("ContainerSpec") as { properties: object }).properties).sort(),
    ).toStrictEqual(Object.keys(container.properties ?? {}).sort());
    const engine = typeOf(aws.docker.$ref);
    const docker = (
      argsShape("AwsDockerHost") as { properties: { docker: { properties: object } } }
    ).properties.docker;
    expect(Object.keys(docker.properties).sort()).toStrictEqual(
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
    expect(
      about(`${name}: ${resource.type} is not in the schema`, Boolean(declared)),
    ).toStrictEqual(about(`${name}: ${resource.type} is not in the schema`, true));
    for (const key of Object.keys(resource.properties))
      expect(
        about(
          `${name}.${key} is not an input of ${resource.type}`,
          Boolean(declared.inputProperties[key]),
        ),
      ).toStrictEqual(about(`${name}.${key} is not an input of ${resource.type}`, true));
    for (const key of declared.requiredInputs ?? [])
      expect(
        about(`${name} lacks the required input ${key}`, Boolean(key in resource.properties)),
      ).toStrictEqual(about(`${name} lacks the required input ${key}`, true));
  }
  for (const expression of Object.values(program.outputs ?? {})) {
    const [resourceName, output] = expression.replace(/^\$\{|\}$/g, "").split(".");
    const declared = s.resources[program.resources[resourceName].type];
    expect(
      about(`${expression}: no output ${output}`, Boolean(declared.properties[output])),
    ).toStrictEqual(about(`${expression}: no output ${output}`, true));
  }
}

describe("the Pulumi YAML programs against the schema", () => {
  it("examples/yaml uses only the schema's components, inputs and outputs, and every required input", async () => {
    const file = path.join(root, "examples", "yaml", "Pulumi.yaml");
    checkYamlProgram(await analyzedSchema(), parse(fs.readFileSync(file, "utf8")) as YamlProgram);
  });
  it("so does the YAML snippet of docs/apps.md", async () => {
    const page = readDoc("apps.md");
    const snippet = /### From any Pulumi language[\s\S]*?```yaml\n([\s\S]*?)```/.exec(page)?.[1];
    if (!snippet)
      throw new Error("docs/apps.md has no YAML snippet under 'From any Pulumi language'");
    checkYamlProgram(await analyzedSchema(), parse(snippet) as YamlProgram);
  });
  it("so does the three-service app of docs/apps.md as a YAML program", async () => {
    const page = readDoc("apps.md");
    const snippet = /#### As a Pulumi YAML program[\s\S]*?```yaml\n([\s\S]*?)```/.exec(page)?.[1];
    if (!snippet)
      throw new Error("docs/apps.md has no YAML snippet under 'As a Pulumi YAML program'");
    const program = parse(snippet) as YamlProgram;
    checkYamlProgram(await analyzedSchema(), program);
    // Nested too: each container, network and volume has the shape the component checks.
    expect(
      checkShape(argsShape("LocalDockerHost"), program.resources.shop.properties).problems,
    ).toStrictEqual([]);
  });
});
