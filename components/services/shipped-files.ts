import { fail, shellQuote, shellScript } from "../bootstrap/shell";
import type { ContainerSpec, ShippedFilesSpec } from "../core/container-spec";
import { MAX_SHIPPED_BYTES, shippedDigest } from "../core/shipped-digest";

// Files shipped to the host for a bind mount (ShippedFilesSpec): where they land, what is sent,
// and the script that writes them. Pure; docker-services.ts makes the command that runs it.

/** Where shipped files live: the Docker data disk, which survives the host's replacement. */
export const SHIPPED_ROOT = "/var/lib/docker/dockerhost-files";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The host directory of one shipment of one component. */
export function shippedDir(component: string, spec: ShippedFilesSpec): string {
  if (spec.secret) return `${SHIPPED_ROOT}/${component}/${spec.name}`;
  return `${SHIPPED_ROOT}/${component}/${spec.name}-${shippedDigest(spec)}`;
}

/** What a container binds: the directory, or the one file of it that `file` names. */
export function shippedHostPath(component: string, spec: ShippedFilesSpec): string {
  const dir = shippedDir(component, spec);
  return spec.file === undefined ? dir : `${dir}/${spec.file}`;
}

/**
 * The command's standard input: one line per file, "<path> TAB <mode> TAB <base64>". A secret is
 * read-only for all, as Compose mounts one (0444).
 */
export function shippedPayload(spec: ShippedFilesSpec): string {
  const mode = (e: ShippedFilesSpec["entries"][number]) =>
    spec.secret ? "444" : e.executable ? "755" : "644";
  return spec.entries.map((e) => `${e.path}\t${mode(e)}\t${e.contentBase64}\n`).join("");
}

/**
 * Writes the payload into a fresh directory beside the target, then moves it into place: a
 * failed ship leaves no half directory to mount. Files are root's, readable by all (a remapped
 * or non-root container user reads them), as a bind of the user's own files would be.
 */
export function shipBody(dir: string): string {
  return shellScript(`ship files to ${dir}`, [
    `d=${shellQuote(dir)}`,
    'rm -rf "$d.new"',
    'mkdir -p "$d.new"',
    "tab=$(printf '\\t')",
    'while IFS="$tab" read -r p m b; do',
    `  case "$p" in ""|/*|../*|*/../*|*/..|..) ${fail("a shipped path leaves its directory")} ;; esac`,
    '  mkdir -p "$(dirname "$d.new/$p")"',
    `  printf '%s' "$b" | base64 -d > "$d.new/$p"`,
    '  chmod "$m" "$d.new/$p"',
    "done",
    'chmod -R a+rX "$d.new"',
    'rm -rf "$d"',
    'mv "$d.new" "$d"',
  ]);
}

/**
 * Secret files, rewritten in place in their one directory: truncating and writing keeps each
 * file's inode, so a container that binds the file sees the new content (a moved-in directory
 * would leave it the old one).
 */
export function shipSecretBody(dir: string): string {
  return shellScript(`ship secret files to ${dir}`, [
    `d=${shellQuote(dir)}`,
    'mkdir -p "$d"',
    'chmod 755 "$d"',
    "tab=$(printf '\\t')",
    'while IFS="$tab" read -r p m b; do',
    `  case "$p" in ""|*/*|..) ${fail("a secret's path must be a plain file name")} ;; esac`,
    '  [ ! -e "$d/$p" ] || chmod 600 "$d/$p"',
    `  printf '%s' "$b" | base64 -d > "$d/$p"`,
    '  chmod "$m" "$d/$p"',
    "done",
  ]);
}

/** The ship script as root: the directory is on the Docker data disk. */
export function shipScript(dir: string, secret = false): string {
  return `sudo -n sh -c ${shellQuote(secret ? shipSecretBody(dir) : shipBody(dir))}`;
}

/** Removes one shipment's directory (the command's delete). */
export function unshipScript(dir: string): string {
  return `sudo -n rm -rf ${shellQuote(dir)}`;
}

/** Every problem of one shipment, named from `at` (containers[0].volumes[1].files). */
export function shippedProblems(spec: ShippedFilesSpec, at: string): string[] {
  const problems: string[] = [];
  if (typeof spec.name !== "string" || !NAME.test(spec.name))
    problems.push(
      `${at}.name: ${JSON.stringify(spec.name)} cannot name a directory. Use letters, digits, "_", "." and "-", starting with a letter or digit.`,
    );
  if (!Array.isArray(spec.entries) || !spec.entries.length) {
    problems.push(`${at}.entries: ship at least one file.`);
    return problems;
  }
  let bytes = 0;
  spec.entries.forEach((e, i) => {
    const path = e.path;
    if (
      typeof path !== "string" ||
      path === "" ||
      path.startsWith("/") ||
      path.split("/").includes("..") ||
      /[\t\n\r]/.test(path)
    )
      problems.push(
        `${at}.entries[${i}].path: ${JSON.stringify(path)} must be a relative path inside the shipment, without "..", tabs or line breaks.`,
      );
    if (typeof e.contentBase64 !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(e.contentBase64))
      problems.push(`${at}.entries[${i}].contentBase64: must be base64.`);
    else bytes += Math.floor((e.contentBase64.length * 3) / 4);
  });
  if (bytes > MAX_SHIPPED_BYTES)
    problems.push(
      `${at}: ${bytes} bytes is more than ${MAX_SHIPPED_BYTES} to ship through Pulumi's state. Build the files into the image (COPY), or put them on the host and give hostPath.`,
    );
  if (spec.file !== undefined && !spec.entries.some((e) => e.path === spec.file))
    problems.push(`${at}.file: ${JSON.stringify(spec.file)} is not one of the entries.`);
  return problems;
}

/** Two shipments of one name with different files: one directory cannot hold both. */
export function shipmentClashes(containers: ContainerSpec[]): string[] {
  const first = new Map<string, { at: string; digest: string }>();
  const problems: string[] = [];
  containers.forEach((c, ci) =>
    (c.volumes ?? []).forEach((v, vi) => {
      if (!v.files || !Array.isArray(v.files.entries)) return;
      const at = `containers[${ci}].volumes[${vi}].files`;
      const digest = shippedDigest(v.files);
      const seen = first.get(v.files.name);
      if (!seen) first.set(v.files.name, { at, digest });
      else if (seen.digest !== digest)
        problems.push(
          `${at}.name: ${JSON.stringify(v.files.name)} also names other files at ${seen.at}. Give each set of files its own name.`,
        );
    }),
  );
  return problems;
}
