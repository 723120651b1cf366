import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DockerHostConfigError } from "../components/bootstrap/validate-host";
import type { ContainerSpec, RegistryAuthSpec } from "../components/host/container-spec";

// Typed reading of the stack's configuration (Pulumi.yaml declares the scalar keys; containers
// are structured config). Errors name the config key and the command that fixes it.

export const CLOUD_TARGETS = ["aws", "azure", "local"] as const;
export type CloudTarget = (typeof CLOUD_TARGETS)[number];

/** The keys Pulumi marked secret for this run (set by the language host). */
function secretConfigKeys(): string[] {
  try {
    return JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "[]") as string[];
  } catch {
    return [];
  }
}

export interface StackContainerConfig extends Omit<ContainerSpec, "secretEnv"> {
  image: string;
}

export interface StackRegistryConfig {
  address: string;
  username: string;
}

export function readContainers(config: pulumi.Config, project: string): ContainerSpec[] {
  const containers = config.getObject<StackContainerConfig[]>("containers") ?? [];
  if (!Array.isArray(containers)) {
    throw new DockerHostConfigError([
      `${project}:containers: must be a list of containers (see Pulumi.dev.yaml).`,
    ]);
  }
  const secretKey = `${project}:secretEnv`;
  const secretEnv = config.getObject<Record<string, Record<string, string>>>("secretEnv");
  if (secretEnv === undefined) return containers;
  if (!secretConfigKeys().includes(secretKey)) {
    throw new DockerHostConfigError([
      `${secretKey}: stored as plain text in the stack file. Remove it and set each value as a secret: pulumi config set --secret --path 'secretEnv.<container>.<VARIABLE>' <value>`,
    ]);
  }
  const names = new Set(containers.map((c) => c.name));
  const unknown = Object.keys(secretEnv).filter((n) => !names.has(n));
  if (unknown.length) {
    throw new DockerHostConfigError(
      unknown.map(
        (n) =>
          `${secretKey}.${n}: no container named ${JSON.stringify(n)} in ${project}:containers.`,
      ),
    );
  }
  return containers.map((c) => {
    const values = secretEnv[c.name];
    if (!values) return c;
    const secrets = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, pulumi.secret(v)]),
    );
    return { ...c, secretEnv: secrets };
  });
}

export function readRegistries(config: pulumi.Config, project: string): RegistryAuthSpec[] {
  const registries = config.getObject<StackRegistryConfig[]>("registries") ?? [];
  if (!registries.length) return [];
  const passwords = config.requireSecretObject<Record<string, string>>("registryPasswords");
  return registries.map((r) => ({
    address: r.address,
    username: r.username,
    password: passwords.apply((p) => {
      const password = p[r.address];
      if (password === undefined) {
        throw new DockerHostConfigError([
          `${project}:registryPasswords.${r.address}: missing. Set it with: pulumi config set --secret --path 'registryPasswords["${r.address}"]' <password>`,
        ]);
      }
      return password;
    }),
  }));
}

export function readCloud(config: pulumi.Config, project: string): CloudTarget {
  const cloud = config.get("cloud") ?? "aws";
  if (!(CLOUD_TARGETS as readonly string[]).includes(cloud)) {
    throw new DockerHostConfigError([
      `${project}:cloud: ${JSON.stringify(cloud)} is not supported. Use one of: ${CLOUD_TARGETS.join(", ")}.`,
    ]);
  }
  return cloud as CloudTarget;
}

/**
 * The deployer's public key: the config value, or for a local host (the try-it-first target)
 * the workstation's own ~/.ssh/id_ed25519.pub, so `pulumi up -s local` needs no setup.
 */
export function readSshPublicKey(
  config: pulumi.Config,
  project: string,
  cloud: CloudTarget,
): string {
  const configured = config.get("sshPublicKey");
  if (configured) return configured;
  const fallback = path.join(os.homedir(), ".ssh", "id_ed25519.pub");
  if (cloud === "local" && fs.existsSync(fallback)) return fs.readFileSync(fallback, "utf8").trim();
  throw new DockerHostConfigError([
    `${project}:sshPublicKey: not set. Set it with: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"` +
      (cloud === "local" ? " (or create ~/.ssh/id_ed25519 with ssh-keygen -t ed25519)" : ""),
  ]);
}
