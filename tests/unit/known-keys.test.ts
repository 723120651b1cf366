import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { DockerHostConfigError } from "../../components";
import { readStack } from "../../stacks/config";
import { STACK_CONFIG_KEYS, unknownKeys } from "../../stacks/known-keys";

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com";

describe("stack config keys", () => {
  it("Pulumi.yaml declares exactly the keys the stack reads, each with a type", () => {
    const project = parse(
      fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8"),
    ) as { config: Record<string, { type?: string }> };
    expect(Object.keys(project.config).sort()).toStrictEqual([...STACK_CONFIG_KEYS].sort());
    const untyped = Object.entries(project.config).filter(([, d]) => !d.type);
    expect(untyped).toStrictEqual([]);
  });

  it.each<[string, string[], string[], string[]]>([
    [
      "a typo next to a key",
      ["dockerhost:hardenning"],
      [
        "dockerhost:hardenning: not a key this stack reads. Did you mean dockerhost:hardening? Rename it with: pulumi config rm hardenning && pulumi config set hardening <value>.",
      ],
      [],
    ],
    [
      "a dropped letter",
      ["dockerhost:contaners"],
      [
        "dockerhost:contaners: not a key this stack reads. Did you mean dockerhost:containers? Rename it with: pulumi config rm contaners && pulumi config set containers <value>.",
      ],
      [],
    ],
    [
      "nothing near",
      ["dockerhost:kubernetes"],
      [
        "dockerhost:kubernetes: not a key this stack reads. Remove it with: pulumi config rm kubernetes (the keys are listed in Pulumi.yaml).",
      ],
      [],
    ],
    [
      "a namespace one edit away",
      ["dokerhost:os", "aws:region", "dockerhost:os"],
      [],
      [
        'dokerhost:os: "dokerhost" is not this project\'s namespace ("dockerhost"), so the stack does not read it. Did you mean dockerhost:os?',
      ],
    ],
    [
      "known keys and other namespaces",
      ["dockerhost:os", "aws:region", "azure-native:location"],
      [],
      [],
    ],
  ])("%s", (_what, configured, problems, warnings) => {
    expect(unknownKeys("dockerhost", configured)).toStrictEqual({ problems, warnings });
  });

  it("reports unknown keys with every other problem of the stack, at once", () => {
    const values: Record<string, string> = {
      cloud: "local",
      hardenning: "strict",
      localSshPort: "twenty-two",
      sshPublicKey: KEY,
    };
    const warned: string[] = [];
    let problems: string[] = [];
    try {
      readStack({
        project: "dockerhost",
        get: (k) => values[k],
        isSecret: () => false,
        keys: () => [...Object.keys(values).map((k) => `dockerhost:${k}`), "dokerhost:os"],
        warn: (m) => void warned.push(m),
      });
    } catch (e) {
      if (!(e instanceof DockerHostConfigError)) throw e;
      problems = e.problems;
    }
    expect(problems).toStrictEqual([
      "dockerhost:hardenning: not a key this stack reads. Did you mean dockerhost:hardening? Rename it with: pulumi config rm hardenning && pulumi config set hardening <value>.",
      'dockerhost:localSshPort: "twenty-two" is not a whole number. Set it with: pulumi config set localSshPort <number>',
    ]);
    expect(warned).toStrictEqual([
      'dokerhost:os: "dokerhost" is not this project\'s namespace ("dockerhost"), so the stack does not read it. Did you mean dockerhost:os?',
    ]);
  });
});
