import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import dockerignore from "@balena/dockerignore";
import type { BuildSpec } from "../core/container-spec";

// A build context's content, as one digest: what the engine would be sent (the files
// .dockerignore leaves in, with their modes), the Dockerfile, and the build's arguments. The
// image is tagged with it, so an unchanged context keeps its tag, its image and its container,
// and any change that could change the image gives a new tag.

export const DEFAULT_DOCKERFILE = "Dockerfile";

/** Where the context and the Dockerfile are, from the program's directory. */
export function buildPaths(
  build: BuildSpec,
  cwd: string = process.cwd(),
): { context: string; dockerfile: string } {
  const context = path.resolve(cwd, build.context);
  return {
    context,
    dockerfile: path.resolve(context, build.dockerfile ?? DEFAULT_DOCKERFILE),
  };
}

/** Relative paths (with "/") of what the context holds, .dockerignore applied, sorted. */
export function contextEntries(contextDir: string): string[] {
  const ignoreFile = path.join(contextDir, ".dockerignore");
  const ig = dockerignore().add(
    fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/) : [],
  );
  const entries: string[] = [];
  const walk = (rel: string): void => {
    for (const dirent of fs.readdirSync(path.join(contextDir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${dirent.name}` : dirent.name;
      // A directory is walked even when ignored: a later "!" line may take a file back.
      if (dirent.isDirectory()) walk(child);
      else if (!ig.ignores(child)) entries.push(child);
    }
  };
  walk("");
  return entries.sort();
}

function fileLine(contextDir: string, rel: string): string {
  const full = path.join(contextDir, rel);
  const stat = fs.lstatSync(full);
  if (stat.isSymbolicLink()) return `${rel}\0link\0${fs.readlinkSync(full)}`;
  const sha = crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex");
  return `${rel}\0${(stat.mode & 0o777).toString(8)}\0${sha}`;
}

/** sha256 of what decides the image: files, Dockerfile, args, target, platform, secret sources. */
export function buildDigest(build: BuildSpec, platform: string, cwd?: string): string {
  const { context, dockerfile } = buildPaths(build, cwd);
  const hash = crypto.createHash("sha256");
  for (const rel of contextEntries(context)) hash.update(`${fileLine(context, rel)}\n`);
  hash.update(`dockerfile\0${path.relative(context, dockerfile)}\0`);
  hash.update(fs.readFileSync(dockerfile));
  const args = Object.entries(build.args ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  hash.update(`\nargs\0${JSON.stringify(args)}\ntarget\0${build.target ?? ""}\n`);
  hash.update(`platform\0${platform}\n`);
  // Only the ids and their sources, never a value; absent, the digest is what it always was.
  const secrets = Object.entries(build.secrets ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (secrets.length) hash.update(`secrets\0${JSON.stringify(secrets)}\n`);
  return hash.digest("hex");
}

/** The repository part of a built image's name: `<component>-<service>`, as Docker allows it. */
export function builtImageRepository(component: string, service: string): string {
  return `${component}-${service}`
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "");
}

/** `<component>-<service>:<first 12 hex digits of the build digest>`. */
export function builtImageName(component: string, service: string, digest: string): string {
  return `${builtImageRepository(component, service)}:${digest.slice(0, 12)}`;
}

/** Why a build cannot run from this machine, before anything is sent: missing paths. */
export function buildPathProblems(build: BuildSpec, field: string, cwd?: string): string[] {
  if (typeof build.context !== "string" || build.context === "")
    return [`${field}.context: required: the directory sent to the engine, e.g. "./web".`];
  const { context, dockerfile } = buildPaths(build, cwd);
  if (!fs.existsSync(context) || !fs.statSync(context).isDirectory())
    return [
      `${field}.context: ${JSON.stringify(build.context)} is not a directory (looked for ${context}). Give the build context's path relative to the program's directory.`,
    ];
  if (!fs.existsSync(dockerfile) || !fs.statSync(dockerfile).isFile())
    return [
      `${field}.dockerfile: ${JSON.stringify(build.dockerfile ?? DEFAULT_DOCKERFILE)} is not a file (looked for ${dockerfile}). Give the Dockerfile's path relative to the build context.`,
    ];
  return [];
}
