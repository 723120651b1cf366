import type { ContainerVolumeSpec } from "../services/container-spec";
import { asMap, isMap } from "./compose-values";
import type { ServiceReader } from "./service-reader";

// A compose service's `volumes`, short and long forms: named volumes the file declares, bind
// mounts of absolute host paths, and anonymous volumes, each a ContainerVolumeSpec.

function volumeSource(
  r: ServiceReader,
  key: string,
  source: string,
  target: string,
): ContainerVolumeSpec | undefined {
  if (source.startsWith("/")) return { containerPath: target, hostPath: source };
  if (source.startsWith(".") || source.startsWith("~")) {
    r.problem(
      key,
      `${JSON.stringify(source)} is a path on this machine; the containers run on the host. Give an absolute path on the host, or a named volume.`,
    );
    return undefined;
  }
  if (!r.declaredVolumes.has(source)) {
    r.problem(
      key,
      `volume ${JSON.stringify(source)} is not declared. Declare it under the top-level volumes key.`,
    );
    return undefined;
  }
  return { containerPath: target, volumeName: source };
}

/**
 * An anonymous volume: Compose keeps it across the container's recreation (it moves it to the
 * new container), so here it is a named volume of its own, `<service>-anon-<path>`, kept like
 * the file's named volumes.
 */
function anonymous(r: ServiceReader, containerPath: string): ContainerVolumeSpec {
  const name = `${r.name}-anon${containerPath.replace(/[^A-Za-z0-9_.]+/g, "-").replace(/-$/, "")}`;
  r.anonymousVolumes.push(name);
  return { containerPath, volumeName: name };
}

export function readVolumes(r: ServiceReader): ContainerVolumeSpec[] | undefined {
  const value = r.svc.volumes;
  if (!Array.isArray(value)) return undefined;
  const volumes: ContainerVolumeSpec[] = [];
  value.forEach((v, i) => {
    const key = `volumes[${i}]`;
    if (isMap(v)) {
      if (v.type !== "volume" && v.type !== "bind") {
        r.problem(
          `${key}.type`,
          `${JSON.stringify(v.type)} is not supported. Use "volume" or "bind".`,
        );
        return;
      }
      if (v.type === "volume" && (v.source === undefined || v.source === "")) {
        volumes.push({
          ...anonymous(r, String(v.target)),
          ...(v.read_only ? { readOnly: true } : {}),
        });
        return;
      }
      const mount = volumeSource(r, key, String(v.source ?? ""), String(v.target));
      if (!mount) return;
      volumes.push({
        ...mount,
        ...(v.read_only ? { readOnly: true } : {}),
        ...(asMap(v.bind).selinux === "z" ? { shared: true } : {}),
      });
      return;
    }
    const [source, target, options, ...rest] = String(v).split(":");
    if (target === undefined && source.startsWith("/")) {
      volumes.push(anonymous(r, source));
      return;
    }
    if (target === undefined || rest.length) {
      r.problem(
        key,
        `${JSON.stringify(v)}: give "<volume>:/path", "/host/path:/path" (with ":ro", ":z" or ":Z"), or "/path" alone for a volume of the container's own.`,
      );
      return;
    }
    const flags = options ? options.split(",") : [];
    const unknown = flags.filter((f) => !["ro", "rw", "z", "Z"].includes(f));
    if (unknown.length) {
      r.problem(key, `option ${unknown.join(", ")} is not supported. Use ro, rw, z or Z.`);
      return;
    }
    const mount = volumeSource(r, key, source, target);
    if (mount)
      volumes.push({
        ...mount,
        ...(flags.includes("ro") ? { readOnly: true } : {}),
        ...(flags.includes("z") ? { shared: true } : {}),
      });
  });
  return volumes;
}
