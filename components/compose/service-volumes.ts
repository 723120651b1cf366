import * as fs from "node:fs";
import * as path from "node:path";
import type { ContainerVolumeSpec, ShippedFilesSpec } from "../core/container-spec";
import { MAX_SHIPPED_BYTES } from "../core/shipped-digest";
import { asMap, isMap } from "./compose-values";
import type { ServiceReader } from "./service-reader";

// A compose service's `volumes`, short and long forms: named volumes the file declares, bind
// mounts of absolute host paths, and anonymous volumes, each a ContainerVolumeSpec.

/** A relative bind's source as Compose resolves it: from the compose file's directory. */
function relativeSource(
  r: ServiceReader,
  key: string,
  source: string,
  target: string,
): ContainerVolumeSpec | undefined {
  const full = path.resolve(r.dir, source);
  const context = r.buildContext();
  const dataDirectory = isDataDirectory(full);
  if (!dataDirectory && context && copiedIntoImage(context, r.dockerfile(), full)) {
    r.problem(
      key,
      `${JSON.stringify(source)} mounts source code from the service's own build context over the image (a live-reload mount for development): on a host the image already holds that code. Remove the mount for the deploy (a compose.override.yaml can keep it for development).`,
    );
    return undefined;
  }
  if (dataDirectory) {
    // Compose binds an absent path as a new directory (the Compose Specification, services,
    // volumes: bind.create_host_path, true by default); its data belongs to the host and must
    // survive the container's and the host's replacement, as a named volume's does.
    const name = `dir${path.relative(r.dir, full).replace(/[^A-Za-z0-9_.]+/g, "-")}`.replace(
      /^dir(?!-)/,
      "dir-",
    );
    r.anonymousVolumes.push(name);
    return { containerPath: target, volumeName: name };
  }
  const files = shipment(r, key, source, full);
  return files ? { containerPath: target, files } : undefined;
}

const MAX_FILES = 256;

/**
 * A file or directory beside the compose file (a config file, a directory of them), read to be
 * shipped to the host and bound there (ShippedFilesSpec): its name comes from its path, so every
 * service that mounts the same path mounts the same files.
 */
function shipment(
  r: ServiceReader,
  key: string,
  source: string,
  full: string,
): ShippedFilesSpec | undefined {
  const rel = path.relative(r.dir, full);
  const name = `files-${rel.replace(/[^A-Za-z0-9_.]+/g, "-").replace(/^[-.]+/, "")}`;
  const entries: ShippedFilesSpec["entries"] = [];
  let bytes = 0;
  const add = (file: string, at: string): boolean => {
    const stat = fs.statSync(file);
    bytes += stat.size;
    if (entries.length >= MAX_FILES || bytes > MAX_SHIPPED_BYTES) return false;
    entries.push({
      path: at,
      contentBase64: fs.readFileSync(file).toString("base64"),
      ...(stat.mode & 0o111 ? { executable: true } : {}),
    });
    return true;
  };
  const walk = (dir: string, below: string): boolean =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .every((e) => {
        const at = below ? `${below}/${e.name}` : e.name;
        const file = path.join(dir, e.name);
        if (e.isDirectory()) return walk(file, at);
        return fs.statSync(file).isFile() ? add(file, at) : true;
      });
  const isFile = fs.statSync(full).isFile();
  if (!(isFile ? add(full, path.basename(full)) : walk(full, ""))) {
    r.problem(
      key,
      `${JSON.stringify(source)} holds more than ${MAX_FILES} files or ${MAX_SHIPPED_BYTES} bytes, too much to ship to the host through Pulumi's state. Build it into the image (COPY), or put it on the host and give its absolute path.`,
    );
    return undefined;
  }
  return { name, entries, ...(isFile ? { file: path.basename(full) } : {}) };
}

/**
 * Whether the Dockerfile COPYs or ADDs the mounted path into the image (a source of ".", the path
 * or a directory above it): then the mount lays the deployer's copy over the image's, a
 * live-reload setup. A config file the Dockerfile never copies is the image's input only through
 * the mount, so it is shipped like any other.
 */
function copiedIntoImage(context: string, dockerfile: string, full: string): boolean {
  if (!(full === context || full.startsWith(context + path.sep))) return false;
  const file = path.resolve(context, dockerfile);
  if (!fs.existsSync(file)) return false;
  const rel = path.relative(context, full);
  const sources = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line) => {
      const m = /^\s*(?:COPY|ADD)\s+(.+)$/i.exec(line);
      if (!m) return [];
      const words = m[1].split(/\s+/).filter((w) => !w.startsWith("--"));
      return words.slice(0, -1); // the last word is the destination
    });
  return sources.some((src) => {
    const s = path.normalize(src).replace(/\/$/, "");
    return s === "." || s === "*" || rel === s || rel.startsWith(`${s}${path.sep}`);
  });
}

// Files a repository keeps only so that git keeps an otherwise empty directory.
const PLACEHOLDERS = new Set([".gitkeep", ".keep", ".gitignore"]);

/** Absent, or a directory holding nothing but placeholders: where a container keeps its data. */
function isDataDirectory(full: string): boolean {
  if (!fs.existsSync(full)) return true;
  if (!fs.statSync(full).isDirectory()) return false;
  return fs.readdirSync(full).every((f) => PLACEHOLDERS.has(f));
}

function volumeSource(
  r: ServiceReader,
  key: string,
  source: string,
  target: string,
): ContainerVolumeSpec | undefined {
  if (source.startsWith("/")) return { containerPath: target, hostPath: source };
  if (source.startsWith("~")) {
    // Compose expands "~" on the deployer's machine (compose-go paths.ExpandUser), so on a remote
    // engine the bind names the deployer's home path on the host: some other directory, or none,
    // which Docker creates empty (bind.create_host_path). Its use is a data directory, kept here
    // as a volume `home-<path>` on the data disk (on a swarm, each node's own), so that it
    // survives the container's and the host's replacement.
    const name = `home${source.slice(1).replace(/[^A-Za-z0-9_.]+/g, "-")}`.replace(
      /^home(?!-)/,
      "home-",
    );
    r.anonymousVolumes.push(name);
    return { containerPath: target, volumeName: name };
  }
  if (source.startsWith(".")) return relativeSource(r, key, source, target);
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
 * An anonymous volume: Compose keeps it across the container's recreation (docs.docker.com,
 * `docker compose up`: "stopping and recreating the containers (preserving mounted volumes)"),
 * so here it is a named volume of its own, `<service>-anon-<path>`, kept like the file's named
 * volumes.
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
