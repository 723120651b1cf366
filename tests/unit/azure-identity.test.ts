import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import {
  DEPLOYER_PUBLIC_KEY,
  byName,
  optionsRecorder,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { AzureDockerHost } from "../../components/azure/azure-docker-host";
import {
  acrLoginServerOf,
  keyVaultSecretUrl,
  parseKeyVaultSecretId,
  parseRegistryId,
} from "../../components/core/azure-ids";
import { acrProblems, withAcrPulls } from "../../components/azure/acr-pulls";
import { vmGrants } from "../../components/azure/vm-grants";
import {
  cloudSecretsProblems,
  secretStoreProblems,
  secretsManifest,
  secretsStepScript,
} from "../../components/services/cloud-secrets";
import { hostPullScript } from "../../components/services/host-pull";
import {
  ACR_HELPER_PATH,
  ACR_HELPER_SCRIPT,
} from "../../components/bootstrap/acr-credential-helper";
import type { ContainerSpec } from "../../components/core/container-spec";
import { configProblems } from "../support/config-problems";

const SUB = "11111111-2222-3333-4444-555555555555";
const REGISTRY = `/subscriptions/${SUB}/resourceGroups/shop/providers/Microsoft.ContainerRegistry/registries/ShopRegistry`;
const SECRET = `/subscriptions/${SUB}/resourceGroups/shop/providers/Microsoft.KeyVault/vaults/Shop-Vault/secrets/db-password`;
const API: ContainerSpec = {
  name: "api",
  image: "shopregistry.azurecr.io/team/api:2.1",
  user: "101",
  cloudSecrets: [{ name: "db-password", keyVaultSecret: SECRET }],
};

describe("Azure ids: registries and Key Vault secrets", () => {
  it("reads a secret's id and names its versionless URL in the public cloud", () => {
    expect(parseKeyVaultSecretId(SECRET)).toStrictEqual({
      subscription: SUB,
      vault: "Shop-Vault",
      secret: "db-password",
    });
    expect(keyVaultSecretUrl(SECRET)).toBe(
      "https://shop-vault.vault.azure.net/secrets/db-password",
    );
    // Azure's ids are case-insensitive in their words.
    expect(parseKeyVaultSecretId(SECRET.toLowerCase())?.vault).toBe("shop-vault");
  });

  it.each([
    ["a vault name with --", SECRET.replace("Shop-Vault", "shop--vault")],
    ["a vault name of 2 letters", SECRET.replace("Shop-Vault", "sv")],
    ["a vault's id without the secret", SECRET.replace("/secrets/db-password", "")],
    ["a secret's URL", "https://shop-vault.vault.azure.net/secrets/db-password"],
    ["a secret name with _", SECRET.replace("db-password", "db_password")],
  ])("refuses %s", (_, id) => {
    expect(parseKeyVaultSecretId(id)).toBeUndefined();
  });

  it("reads a registry's id and its login server, lowercase", () => {
    expect(parseRegistryId(REGISTRY)).toStrictEqual({
      subscription: SUB,
      name: "ShopRegistry",
      loginServer: "shopregistry.azurecr.io",
    });
    expect(parseRegistryId(REGISTRY.replace("ShopRegistry", "shop-registry"))).toBeUndefined();
    expect(acrLoginServerOf("ShopRegistry.azurecr.io/team/api:2.1")).toBe(
      "shopregistry.azurecr.io",
    );
    expect(acrLoginServerOf("nginx:1.27")).toBeUndefined();
    expect(acrLoginServerOf("ghcr.io/team/api")).toBeUndefined();
  });
});

describe("acrRegistries and the store of each target, at preview", () => {
  it.each<[string, Parameters<typeof acrProblems>[0], string[]]>([
    ["named", { acrRegistries: [REGISTRY], containers: [API] }, []],
    [
      "an image in a registry not named, and a name that is no id",
      {
        acrRegistries: ["shopregistry"],
        containers: [{ image: "other.azurecr.io/x:1" }, { image: "nginx:1.27" }],
      },
      [
        "acrRegistries[0]: \"shopregistry\" is no container registry's resource id. Give it as /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name> (the registry's id).",
        'containers[0].image: "other.azurecr.io/x:1" is in registry other.azurecr.io, which acrRegistries does not name, so the host may not pull it. Add the registry\'s resource id to acrRegistries, or give it a username and password in registries.',
      ],
    ],
    [
      "a registry with a password",
      {
        containers: [{ image: "other.azurecr.io/x:1" }],
        registries: [{ address: "other.azurecr.io" }],
      },
      [],
    ],
  ])("%s", (_, args, problems) => {
    expect(acrProblems(args)).toStrictEqual(problems);
  });

  it("pulls on the host the images in named registries, and Outputs only without passwords", () => {
    const output = pulumi.output("x.azurecr.io/a:1");
    const containers: ContainerSpec[] = [
      API,
      { name: "web", image: "nginx:1.27" },
      { name: "late", image: output },
      { name: "own", image: "shopregistry.azurecr.io/b:1", pullOnHost: false },
    ];
    expect(withAcrPulls(containers, [REGISTRY], undefined)?.map((c) => c.pullOnHost)).toStrictEqual(
      [true, undefined, true, false],
    );
    expect(
      withAcrPulls(containers, [REGISTRY], [{ address: "x.azurecr.io" }])?.map((c) => c.pullOnHost),
    ).toStrictEqual([true, undefined, undefined, false]);
    expect(withAcrPulls(containers, undefined, undefined)).toBe(containers);
  });

  it.each<[string, ContainerSpec["cloudSecrets"], string[]]>([
    [
      "neither store",
      [{ name: "a" }],
      [
        "containers[0].cloudSecrets[0]: give exactly one of ssmParameter (an AWS host's SSM Parameter Store) and keyVaultSecret (an Azure host's Key Vault).",
      ],
    ],
    [
      "both stores",
      [{ name: "a", ssmParameter: "/a", keyVaultSecret: SECRET }],
      [
        "containers[0].cloudSecrets[0]: give exactly one of ssmParameter (an AWS host's SSM Parameter Store) and keyVaultSecret (an Azure host's Key Vault).",
      ],
    ],
    [
      "a secret's URL for its id",
      [{ name: "a", keyVaultSecret: "https://v.vault.azure.net/secrets/a" }],
      [
        'containers[0].cloudSecrets[0].keyVaultSecret: "https://v.vault.azure.net/secrets/a" is no Key Vault secret\'s resource id. Give it as /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<vault>/secrets/<name>.',
      ],
    ],
  ])("refuses %s", (_, cloudSecrets, problems) => {
    expect(cloudSecretsProblems({ name: "c", cloudSecrets }, "containers[0]")).toStrictEqual(
      problems,
    );
  });

  it("names the store each host reads, and refuses any on a local VM", () => {
    const both: ContainerSpec[] = [
      { name: "c", cloudSecrets: [{ name: "a", ssmParameter: "/a" }, API.cloudSecrets![0]] },
    ];
    expect(secretStoreProblems(both, "ssmParameter", "an AWS host")).toStrictEqual([
      "containers[0].cloudSecrets[1].keyVaultSecret: an AWS host reads its secrets from SSM Parameter Store. Use ssmParameter.",
    ]);
    expect(secretStoreProblems(both, "keyVaultSecret", "an Azure host")).toStrictEqual([
      "containers[0].cloudSecrets[0].ssmParameter: an Azure host reads its secrets from Key Vault. Use keyVaultSecret.",
    ]);
    expect(secretStoreProblems(both, undefined, "a local VM")).toStrictEqual([
      "containers[0].cloudSecrets[0]: a local VM has no cloud identity to read a cloud's store with. Ship the secret with the container's files instead (files with secret: true).",
      "containers[0].cloudSecrets[1]: a local VM has no cloud identity to read a cloud's store with. Ship the secret with the container's files instead (files with secret: true).",
    ]);
  });

  it("writes a Key Vault secret's URL in the manifest, and installs no AWS package for it", () => {
    expect(JSON.parse(secretsManifest("h-services", API))).toStrictEqual({
      dir: "/run/dockerhost/secrets/h-services/api",
      uid: 101,
      gid: 101,
      secrets: [
        {
          name: "db-password",
          keyVaultSecret: "https://shop-vault.vault.azure.net/secrets/db-password",
        },
      ],
    });
    expect(secretsStepScript("h-services", API)).not.toContain("install python3-botocore");
  });

  it("grants AcrPull per registry and Key Vault Secrets User per secret, each once", () => {
    expect(vmGrants("h", [REGISTRY], [API, { ...API, name: "worker" }])).toStrictEqual([
      {
        name: "h-acr-pull-shopregistry",
        scope: REGISTRY.toLowerCase(),
        roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
      },
      {
        name: "h-secret-shop-vault--db-password",
        scope: SECRET.toLowerCase(),
        roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
      },
    ]);
  });
});

describe("AzureDockerHost with acrRegistries and Key Vault secrets", () => {
  it("assigns the roles to the VM's identity before the gate, ships the helper, and pulls and reads on the host", async () => {
    const { byName: options, record } = optionsRecorder();
    const host = new AzureDockerHost(
      "az1",
      {
        os: "debian-12",
        sshPublicKey: DEPLOYER_PUBLIC_KEY,
        sshPrivateKey: pulumi.secret("KEY"),
        sshAllowedCidrs: ["203.0.113.7/32"],
        location: "westeurope",
        acrRegistries: [REGISTRY],
        containers: [API],
      },
      { transformations: [record] },
    );
    await valueOf(host.ready);
    await settle(recorded);
    const mine = recorded.filter((r) => r.name.startsWith("az1-"));
    const assignments = mine.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    expect(assignments.map((r) => [r.name, plain(r.inputs)])).toStrictEqual(
      vmGrants("az1", [REGISTRY], [API]).map((g) => [
        g.name,
        {
          principalId: expect.any(String),
          principalType: "ServicePrincipal",
          roleDefinitionId: g.roleDefinitionId,
          scope: g.scope,
          description: `dockerhost: ${g.name}`,
        },
      ]),
    );
    for (const a of assignments) expect(options.get(a.name)?.deleteBeforeReplace).toBe(true);
    // The grants exist before the gate, so before every step on the host.
    const gateDeps = (options.get("az1-ready")?.dependsOn ?? []) as pulumi.Resource[];
    expect(gateDeps.length).toBe(3);
    const vm = plain(byName(mine, "az1-vm").inputs.osProfile) as { customData: string };
    const cloudConfig = parse(Buffer.from(vm.customData, "base64").toString("utf8")) as {
      write_files: { path: string; content: string; permissions: string }[];
    };
    const files = Object.fromEntries(cloudConfig.write_files.map((f) => [f.path, f]));
    expect(files[ACR_HELPER_PATH]).toMatchObject({
      content: ACR_HELPER_SCRIPT,
      permissions: "0755",
    });
    expect(JSON.parse(files["/root/.docker/config.json"].content)).toStrictEqual({
      credHelpers: { "shopregistry.azurecr.io": "dockerhost-acr" },
    });
    expect(byName(mine, "az1-services-api-pull").inputs.create).toBe(
      hostPullScript(API.image as string),
    );
    expect(byName(mine, "az1-services-api-secrets").inputs.create).toBe(
      secretsStepScript("az1-services", API),
    );
  });

  it("refuses a registry host written with capitals, which root's docker config would not find", () => {
    expect(
      acrProblems({
        acrRegistries: [REGISTRY],
        containers: [{ image: "ShopRegistry.azurecr.io/team/api:2.1" }],
      }),
    ).toStrictEqual([
      "containers[0].image: \"ShopRegistry.azurecr.io/team/api:2.1\" writes the registry's host with capitals; root's docker config names it shopregistry.azurecr.io, and the docker CLI looks it up as written. Write it shopregistry.azurecr.io.",
    ]);
  });

  it("refuses SSM parameters, unnamed registries and bad ids at preview, all at once", () => {
    expect(
      configProblems(
        () =>
          new AzureDockerHost("az2", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAllowedCidrs: ["203.0.113.7/32"],
            acrRegistries: ["shop"],
            containers: [{ ...API, cloudSecrets: [{ name: "a", ssmParameter: "/a" }] }],
          }),
      ),
    ).toStrictEqual([
      "acrRegistries[0]: \"shop\" is no container registry's resource id. Give it as /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name> (the registry's id).",
      'containers[0].image: "shopregistry.azurecr.io/team/api:2.1" is in registry shopregistry.azurecr.io, which acrRegistries does not name, so the host may not pull it. Add the registry\'s resource id to acrRegistries, or give it a username and password in registries.',
      "containers[0].cloudSecrets[0].ssmParameter: an Azure host reads its secrets from Key Vault. Use keyVaultSecret.",
    ]);
  });
});
