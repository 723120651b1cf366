import * as pulumi from "@pulumi/pulumi";
import {
  DockerHostConfigError,
  type ContainerSpec,
  type DockerHostArgs,
  type NetworkSpec,
  type RegistryAuthSpec,
  type VolumeSpec,
} from "../components";

import { readStackCompose, readStackSwarmCompose, type ComposeOrigin } from "./compose-config";
import { readEdge } from "./edge-config";
import { readFleet, type FleetPlan } from "./fleet-config";
import { unknownKeys } from "./known-keys";
import { Reader } from "./config-reader";
import { TARGETS } from "./targets";
import { readRegistries, readSecretEnv } from "./secret-config";

// The stack's configuration, read as a user's program would read it: raw values in, typed host
// args out. Every problem names the config key ("dockerhost:localSshPort") and the command that
// fixes it; the components' own checks come after, translated to config keys (config-keys.ts).

/** The targets, from their rows (stacks/targets/): aws, azure, local. */
export type CloudTarget = keyof typeof TARGETS;
export const CLOUD_TARGETS = Object.keys(TARGETS) as CloudTarget[];

/** The stack's config as the language host hands it over: raw text per key, and which are secret. */
export interface ConfigSource {
  project: string;
  /** The value as set (structured values as JSON text), or undefined. */
  get(key: string): string | undefined;
  isSecret(key: string): boolean;
  /** Every configured key, `<namespace>:<name>` (so that unknown ones can be refused). */
  keys?(): string[];
  /** Where a warning goes (the engine's log for a running program). */
  warn?(message: string): void;
}

/** The running Pulumi program's config. */
export function pulumiConfigSource(project: string): ConfigSource {
  let secretKeys: string[] = [];
  try {
    secretKeys = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "[]") as string[];
  } catch {
    secretKeys = [];
  }
  return {
    project,
    // The runtime's own lookup: no "use getSecret" warning for the keys read here on purpose.
    get: (key) => pulumi.runtime.getConfig(`${project}:${key}`),
    isSecret: (key) => secretKeys.includes(`${project}:${key}`),
    keys: () => Object.keys(pulumi.runtime.allConfig()),
    warn: (message) => void pulumi.log.warn(message),
  };
}

/** A target's args, as its row reads them. */
type ArgsOf<C extends CloudTarget> = ReturnType<(typeof TARGETS)[C]["readArgs"]>;

export type StackPlan = {
  [C in CloudTarget]: { cloud: C; hostName: string; args: ArgsOf<C> };
}[CloudTarget] & {
  /** Where the services of `dockerhost:compose` start in the args' lists. */
  compose?: ComposeOrigin;
  /** `dockerhost:bakeImage`: bake the install half first, boot the host from it. */
  bake?: boolean;
  /** `dockerhost:fleet`: the hosts of one swarm instead of one host. */
  fleet?: FleetPlan;
};

/**
 * The deployer's public key. The local stack's first command (`npm run local`) generates one
 * for the stack and stores it (the private half with --secret), so it is always configured.
 */
function readSshPublicKey(reader: Reader, cloud: CloudTarget | undefined): string | undefined {
  const configured = reader.text("sshPublicKey");
  if (configured) return configured;
  reader.problems.push(
    `${reader.key("sshPublicKey")}: not set. Set it with: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"` +
      (cloud === "local" ? " (or run npm run local once: it generates a key for this stack)" : ""),
  );
  return undefined;
}

/** The stack's host: its target, its name, and its args, or every config problem at once. */
export function readStack(source: ConfigSource): StackPlan {
  const { plan, problems } = readStackAndProblems(source);
  if (problems.length || !plan) throw new DockerHostConfigError(problems);
  return plan;
}

/**
 * What readStack reads, and its problems, without throwing: the plan holds every value that
 * could be read (a refused one is left out), so the components' own checks can still run on it
 * and report their problems beside these (stacks/check-stack.ts).
 */
export function readStackAndProblems(source: ConfigSource): {
  plan?: StackPlan;
  problems: string[];
} {
  const reader = new Reader(source);
  const unknown = unknownKeys(source.project, source.keys?.() ?? []);
  reader.problems.push(...unknown.problems);
  for (const warning of unknown.warnings) source.warn?.(warning);
  const cloudText = reader.text("cloud") ?? "aws";
  const cloud = (CLOUD_TARGETS as readonly string[]).includes(cloudText)
    ? (cloudText as CloudTarget)
    : undefined;
  if (!cloud) {
    reader.problems.push(
      `${reader.key("cloud")}: ${JSON.stringify(cloudText)} is not supported. Use one of: ${CLOUD_TARGETS.join(", ")}.`,
    );
  }
  const hostName = reader.text("hostName") ?? "app";
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(hostName)) {
    reader.problems.push(
      `${reader.key("hostName")}: ${JSON.stringify(hostName)} cannot name the host's resources. Use letters, digits, "_", "." and "-", starting with a letter or digit (at most 63).`,
    );
  }
  const daemonConfig = reader.map("dockerDaemonConfig");
  const listedServices = reader.list("services");
  const listed = {
    containers: reader.list("containers") ?? [],
    networks: reader.list("networks") ?? [],
    volumes: reader.list("volumes") ?? [],
  };
  const { value: secretEnv } = reader.secretStructured(
    "secretEnv",
    "pulumi config set --secret --path 'secretEnv.<container>.<VARIABLE>' <value>",
  );
  const composeFile = reader.text("compose");
  // On a fleet the file's services are swarm services, as docker stack deploy reads it.
  const onFleet = reader.text("fleet") !== undefined;
  const composed =
    composeFile === undefined || onFleet
      ? undefined
      : readStackCompose(composeFile, reader.key("compose"), secretEnv, reader.problems);
  const composedSwarm =
    composeFile === undefined || !onFleet
      ? undefined
      : readStackSwarmCompose(composeFile, reader.key("compose"), secretEnv, reader.problems);
  const compose: ComposeOrigin | undefined =
    composeFile === undefined
      ? undefined
      : {
          file: composeFile,
          firstContainer: listed.containers.length,
          firstNetwork: listed.networks.length,
          firstVolume: listed.volumes.length,
          ...(onFleet ? { firstService: listedServices?.length ?? 0 } : {}),
        };
  const containers = [...listed.containers, ...((composed?.containers ?? []) as unknown[])];
  const networks = [...listed.networks, ...((composed?.networks ?? []) as unknown[])];
  const volumes = [...listed.volumes, ...((composed?.volumes ?? []) as unknown[])];
  const services = composedSwarm
    ? [...(listedServices ?? []), ...composedSwarm.services]
    : listedServices;
  const withSecretEnv = readSecretEnv(reader, containers, services, secretEnv);
  const shared: DockerHostArgs = {
    os: reader.text("os") as DockerHostArgs["os"],
    arch: reader.text("arch") as DockerHostArgs["arch"],
    hardening: reader.text("hardening") as DockerHostArgs["hardening"],
    selinux: reader.text("selinux") as DockerHostArgs["selinux"],
    sshPublicKey: readSshPublicKey(reader, cloud) ?? "",
    sshPrivateKey: (() => {
      const key = reader.secret(
        "sshPrivateKey",
        "pulumi config set --secret sshPrivateKey < ~/.ssh/id_ed25519",
      );
      return key === undefined ? undefined : pulumi.secret(key);
    })(),
    docker: {
      version: reader.text("dockerVersion"),
      registryMirrors: reader.list("registryMirrors") as string[] | undefined,
      daemonConfigJson: daemonConfig === undefined ? undefined : JSON.stringify(daemonConfig),
      relaxDaemonKeys: reader.list("dockerRelaxDaemonKeys") as string[] | undefined,
    },
    containers: withSecretEnv.containers as ContainerSpec[],
    registries: readRegistries(reader) as RegistryAuthSpec[] | undefined,
    networks: networks.length ? (networks as NetworkSpec[]) : undefined,
    volumes: volumes.length ? (volumes as VolumeSpec[]) : undefined,
    removeVolumesOnDelete: reader.flag("removeVolumesOnDelete"),
    edge: readEdge(reader, reader.text("fleet") !== undefined),
    dockerContext: reader.flag("dockerContext"),
  };
  const firewall = {
    sshAllowedCidrs: (reader.list("sshAllowedCidrs") ?? []) as string[],
    allowSshFromAnywhere: reader.flag("allowSshFromAnywhere"),
  };
  // The target's own keys, from its row (stacks/targets/).
  const plan: StackPlan | undefined = cloud
    ? ({
        cloud,
        hostName,
        args: TARGETS[cloud].readArgs(reader, shared, firewall),
      } as StackPlan)
    : undefined;
  const bake = reader.flag("bakeImage");
  const read = readFleet(
    source.project,
    reader.structured("fleet", "a map, e.g. { managers: 3, workers: 2 }"),
    withSecretEnv.services,
    containers.length,
    reader.problems,
  );
  const fleet =
    read && composedSwarm?.networks.length ? { ...read, networks: composedSwarm.networks } : read;
  if (!plan) return { problems: reader.problems };
  return {
    plan: {
      ...plan,
      ...(compose ? { compose } : {}),
      ...(bake ? { bake } : {}),
      ...(fleet ? { fleet } : {}),
    },
    problems: reader.problems,
  };
}
