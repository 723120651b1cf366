import { fail, shellQuote, shellScript } from "../bootstrap/shell";
import { EDGE_CADDYFILE, EDGE_CONTAINER, EDGE_SWITCH_DRAIN_SECONDS } from "./edge-config";

// The edge's files on the host (its Caddyfile, the ACME root, certificates of the user's own) and
// the script that puts them in place and has the running edge load them. Pure.

/** One file of the edge's directory: its name there, and whether it is a private key. */
export interface EdgeFile {
  name: string;
  content: string;
  privateKey?: boolean;
}

/** The command's standard input: one line per file, "<name> TAB <mode> TAB <base64>". */
export function edgePayload(files: EdgeFile[]): string {
  return files
    .map(
      (f) =>
        `${f.name}\t${f.privateKey ? "400" : "444"}\t${Buffer.from(f.content).toString("base64")}\n`,
    )
    .join("");
}

/**
 * Writes the files beside their targets, moves them in (keeping the old ones), and if the edge
 * runs, has it reload: a config Caddy refuses puts the old files back (Caddy keeps serving the
 * old config: a failed reload changes nothing) and fails the deploy with Caddy's message. When the
 * edge does not run (the first deploy, or its restart backoff), it reads the files as it starts.
 * Files are owned by the root of the containers' user namespace (userns-remap: dockremap's first
 * subordinate uid) so that a private key can be readable by the edge alone.
 */
export function edgeFilesScript(dir: string): string {
  return `sudo -n sh -c ${shellQuote(edgeFilesBody(dir))}`;
}

export function edgeFilesBody(dir: string): string {
  return shellScript(`the edge's files in ${dir}`, [
    // A key is never readable by others, not even between its write and its chmod.
    "umask 077",
    `d=${shellQuote(dir)}`,
    'mkdir -p "$d"',
    'chmod 755 "$d"',
    // Under userns-remap (strict) the edge's root is dockremap's first subordinate uid; without
    // it, root. `docker info` says which (SecurityOptions lists name=userns).
    'owner=""',
    "if docker info --format '{{json .SecurityOptions}}' 2>/dev/null | grep -q 'name=userns'; then",
    "  owner=$(awk -F: '$1 == \"dockremap\" { print $2; exit }' /etc/subuid 2>/dev/null || true)",
    "fi",
    "owner=${owner:-0}",
    "tab=$(printf '\\t')",
    'names=""',
    'while IFS="$tab" read -r n m b; do',
    `  case "$n" in ""|*/*|.*) ${fail("an edge file name is not a plain name")} ;; esac`,
    `  printf '%s' "$b" | base64 -d > "$d/$n.new"`,
    '  chown "$owner" "$d/$n.new"',
    '  chmod "$m" "$d/$n.new"',
    '  names="$names $n"',
    "done",
    // A copy of the old file, then one rename over it: the target is never missing.
    "for n in $names; do",
    '  if [ -e "$d/$n" ]; then cp -p "$d/$n" "$d/$n.old"; fi',
    '  mv -f "$d/$n.new" "$d/$n"',
    "done",
    // Status, not .State.Running: a container in its restart backoff counts as running there
    // (moby container/state.go SetRestarting), and a crash-looping edge cannot take a reload;
    // it reads the new files at its next start instead.
    `if [ "$(docker inspect --format '{{.State.Status}}' ${EDGE_CONTAINER} 2>/dev/null)" = running ]; then`,
    `  if ! out=$(docker exec ${EDGE_CONTAINER} caddy reload --config ${EDGE_CADDYFILE} --adapter caddyfile --force 2>&1); then`,
    "    for n in $names; do",
    '      if [ -e "$d/$n.old" ]; then mv "$d/$n.old" "$d/$n"; else rm -f "$d/$n"; fi',
    "    done",
    '    echo "dockerhost: the edge refused its new routes and keeps serving the old ones. Caddy said:" >&2',
    "    printf '%s\\n' \"$out\" | tail -n 20 >&2",
    "    exit 1",
    "  fi",
    // The old routes' requests in flight finish before the old container can go (edge-config.ts).
    `  sleep ${EDGE_SWITCH_DRAIN_SECONDS}`,
    "fi",
    'rm -f "$d"/*.old',
    // A file no longer sent (a certificate dropped) goes.
    'for f in "$d"/*; do',
    '  [ -e "$f" ] || continue',
    '  case " $names " in *" $(basename "$f") "*) ;; *) rm -f "$f" ;; esac',
    "done",
  ]);
}
