import { resolveBakeSpec } from "../bootstrap/baked-image";
import { checkShape, withoutShadowed, type JsonSchema } from "../core/shape";
import {
  type Arch,
  type Cloud,
  type BakedEngineOptions,
  type HardeningProfile,
  type OsName,
  type SelinuxMode,
} from "../bootstrap/types";
import { DockerHostConfigError } from "../core/config-error";
import { type ResolvedHostSpec } from "../bootstrap/validate-host";

// What every <Target>DockerHostImage bakes: the host settings that decide what is installed.
// A host from the image names the same settings; its first boot checks them against the image.

export interface DockerHostImageArgs {
  os?: OsName;
  arch?: Arch;
  /** Engine source and version pin, as the hosts that boot from the image give them. */
  docker?: BakedEngineOptions;
  /** The profile whose packages are baked (default baseline; a strict image serves both). */
  hardening?: HardeningProfile;
  selinux?: SelinuxMode;
}

/**
 * The image's args checked like a host's (shape first, then the catalog's problems), before any
 * resource exists. Throws one DockerHostConfigError listing every problem.
 */
export function checkImageArgs<A extends DockerHostImageArgs>(
  args: A,
  target: { cloud: Cloud; defaultOs: OsName; onlyArch?: Arch; schema: JsonSchema },
  targetProblems: (args: A) => string[] = () => [],
): ResolvedHostSpec {
  const shape = checkShape(target.schema, args);
  const safe = shape.pruned;
  const finer = [...targetProblems(safe)];
  let resolved: ResolvedHostSpec | undefined;
  try {
    resolved = resolveBakeSpec({
      os: safe.os ?? target.defaultOs,
      arch: target.onlyArch ?? safe.arch ?? "x86_64",
      cloud: target.cloud,
      docker: safe.docker,
      hardening: safe.hardening,
      selinux: safe.selinux,
    });
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    finer.push(...e.problems);
  }
  const problems = [...shape.problems, ...withoutShadowed(finer, shape.failedFields)];
  if (problems.length || !resolved) throw new DockerHostConfigError(problems);
  return resolved;
}
