import { closest, distance } from "fastest-levenshtein";

// Every key the stack reads, in the project's namespace. Pulumi.yaml declares the same list (a
// unit test keeps the two equal), so the CLI's own type checks apply to each of them too. A key
// outside this list is a typo or a key of an older release: refused, never silently ignored
// (`dockerhost:hardenning: strict` would otherwise deploy `baseline`).

export const STACK_CONFIG_KEYS = [
  "cloud",
  "hostName",
  "os",
  "arch",
  "instanceType",
  "vmSize",
  "trustedLaunch",
  "hardening",
  "selinux",
  "dockerVersion",
  "dockerVolumeSizeGb",
  "dockerDaemonConfig",
  "dockerRelaxDaemonKeys",
  "registryMirrors",
  "registries",
  "registryPasswords",
  "sshPublicKey",
  "sshPrivateKey",
  "sshAllowedCidrs",
  "allowSshFromAnywhere",
  "sshAccess",
  "ssmEndpoints",
  "containerLogs",
  "logRetentionDays",
  "ecrRepositories",
  "acrRegistries",
  "dockerContext",
  "bakeImage",
  "localImage",
  "localSshPort",
  "localMemoryMb",
  "localCpus",
  "localAccelerator",
  "containers",
  "networks",
  "volumes",
  "secretEnv",
  "removeVolumesOnDelete",
  "compose",
  "edge",
  "fleet",
  "services",
] as const;

/** The nearest known key when it is a plausible typo (at most 3 edits, and under half the name). */
function nearest(name: string): string | undefined {
  const best = closest(name, [...STACK_CONFIG_KEYS]);
  const edits = distance(name.toLowerCase(), best.toLowerCase());
  return edits <= 3 && edits * 2 < best.length ? best : undefined;
}

export interface UnknownKeys {
  /** Keys in the project's namespace that the stack does not read: refused. */
  problems: string[];
  /** Keys in a namespace one edit away from the project's (`dokerhost:os`): warned about. */
  warnings: string[];
}

/** Checks every configured key (`<namespace>:<name>`, as the CLI hands them over). */
export function unknownKeys(project: string, configured: string[]): UnknownKeys {
  const known = new Set<string>(STACK_CONFIG_KEYS);
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const full of [...configured].sort()) {
    const colon = full.indexOf(":");
    if (colon < 0) continue;
    const namespace = full.slice(0, colon);
    const name = full.slice(colon + 1);
    if (namespace === project) {
      if (known.has(name)) continue;
      const guess = nearest(name);
      problems.push(
        `${full}: not a key this stack reads${guess ? `. Did you mean ${project}:${guess}? Rename it with: pulumi config rm ${name} && pulumi config set ${guess} <value>` : `. Remove it with: pulumi config rm ${name} (the keys are listed in Pulumi.yaml)`}.`,
      );
    } else if (distance(namespace, project) === 1) {
      const guess = known.has(name) ? name : nearest(name);
      warnings.push(
        `${full}: "${namespace}" is not this project's namespace ("${project}"), so the stack does not read it${guess ? `. Did you mean ${project}:${guess}?` : "."}`,
      );
    }
  }
  return { problems, warnings };
}
