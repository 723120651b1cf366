import { shellQuote } from "../bootstrap/shell";

// Each step of a swarm member's life as the shell text @pulumi/command runs over the member's
// pinned SSH connection (or the first manager's), one small function per step. Every step may
// run again (a retried `pulumi up`): it looks at the engine's swarm state before it acts.
// Options as Docker's reference names them (docs.docker.com/reference/cli/docker/swarm/init/,
// .../swarm/join/, .../node/update/, .../node/demote/, .../node/rm/).

/** The port managers listen on for the swarm's control plane. */
export const SWARM_MANAGER_PORT = 2377;
/** Seconds a new member may take to be listed Ready by the managers. */
export const NODE_READY_SECONDS = 120;
/** Seconds a drained member's tasks may take to stop there (their replacements start elsewhere). */
export const DRAIN_SECONDS = 300;

export type NodeAvailability = "active" | "drain";

export interface MemberAddress {
  /** The address the other members reach this one on: the fleet's private network. */
  address: string;
  /** `drain`: the scheduler assigns it no tasks (managers, unless asked). */
  availability: NodeAvailability;
}

const state = "docker info --format '{{.Swarm.LocalNodeState}}'";
const nodeId = "docker info --format '{{.Swarm.NodeID}}'";

function addressFlags(m: MemberAddress): string {
  const a = shellQuote(m.address);
  // Control plane, gossip and overlay data all on the private address, never a public one.
  return `--advertise-addr ${a} --listen-addr ${shellQuote(`${m.address}:${SWARM_MANAGER_PORT}`)} --data-path-addr ${a} --availability ${m.availability}`;
}

function unexpectedState(member: string): string[] {
  return [
    "  locked)",
    `    echo "dockerhost: ${member}'s swarm is locked (autolock, after an engine restart): run 'docker swarm unlock' there with the unlock key (pulumi stack output --show-secrets unlockKey)" >&2`,
    "    exit 1 ;;",
    "  *)",
    `    echo "dockerhost: ${member}'s engine is in swarm state '$state'; expected inactive or active" >&2`,
    "    exit 1 ;;",
  ];
}

/** Swarm mode refuses an engine with live-restore on: say which host and the fix, first. */
function liveRestoreCheck(member: string): string {
  return `if [ "$(docker info --format '{{.LiveRestoreEnabled}}')" = true ]; then echo "dockerhost: ${member}'s engine runs with live-restore, which swarm mode refuses: give the host swarm: true" >&2; exit 1; fi`;
}

/**
 * On the first manager: a new swarm unless the engine is in one already; prints the node id.
 * With `relays` (the declaration's other managers), stdin carries a line `<address> <token>` from
 * the first of them that is in the swarm: the swarm exists and this host is new in the first
 * manager's place, so it joins through that manager instead of making a second swarm. An empty
 * line means no other manager is in a swarm: the first deploy, or every manager new at once.
 */
export function swarmInitScript(
  member: string,
  m: MemberAddress,
  autolock: boolean,
  relays = false,
): string {
  const make = `docker swarm init ${addressFlags(m)}${autolock ? " --autolock" : ""} >/dev/null`;
  return [
    "set -eu",
    ...(relays ? ["via='' token=''", "IFS=' ' read -r via token || true"] : []),
    liveRestoreCheck(member),
    `state=$(${state})`,
    'case "$state" in',
    "  active) ;;",
    "  inactive)",
    ...(relays
      ? [
          `    if [ -n "$token" ]; then docker swarm join --token "$token" ${addressFlags(m)} "$via:${SWARM_MANAGER_PORT}" >/dev/null`,
          `    else ${make}; fi ;;`,
        ]
      : [`    ${make} ;;`]),
    ...unexpectedState(member),
    "esac",
    nodeId,
  ].join("\n");
}

/**
 * On a relay (another manager of the declaration): a manager join token when it is in the swarm,
 * nothing when it is in none (the first deploy, or a new host itself). A relay in any other
 * state stops the step: the first manager must not make a second swarm beside it.
 */
export function rejoinTokenScript(relay: string): string {
  return [
    "set -eu",
    `state=$(${state})`,
    'case "$state" in',
    "  inactive) ;;",
    "  active)",
    `    if [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" != true ]; then echo "dockerhost: ${relay} is in the swarm but is not a manager, so the first manager's new host cannot join through it: promote it again (docker node promote <its node id>, on a manager)" >&2; exit 1; fi`,
    `    ${joinTokenScript("manager")} ;;`,
    ...unexpectedState(relay),
    "esac",
  ].join("\n");
}

/** On the first manager: the token a new member of `role` joins with (a secret). */
/**
 * On the first manager: new join tokens for both roles. Nodes already in the swarm are not
 * affected; only the new tokens admit new nodes (docker/cli docs, "swarm join-token": "Rotation
 * does not affect existing nodes in the swarm because the join token is only used for
 * authorizing new nodes joining the swarm").
 */
export function rotateJoinTokensScript(): string {
  return [joinTokenScript("worker"), joinTokenScript("manager")]
    .map((read) => read.replace(" -q ", " --rotate -q ") + " >/dev/null")
    .join(" && ");
}

export function joinTokenScript(role: "manager" | "worker"): string {
  return `docker swarm join-token -q ${role}`;
}

/** On the first manager: the key that unlocks a restarted manager under autolock (a secret). */
export function unlockKeyScript(): string {
  return "docker swarm unlock-key -q";
}

/**
 * On a joining member: joins through `manager` with the token read from stdin (it never appears
 * in the command text Pulumi records), unless the engine is in the swarm already; prints the
 * node id.
 */
export function swarmJoinScript(member: string, m: MemberAddress, manager: string): string {
  return [
    "set -eu",
    "IFS= read -r token",
    liveRestoreCheck(member),
    `state=$(${state})`,
    'case "$state" in',
    "  active) ;;",
    "  inactive)",
    `    docker swarm join --token "$token" ${addressFlags(m)} ${shellQuote(`${manager}:${SWARM_MANAGER_PORT}`)} >/dev/null ;;`,
    ...unexpectedState(member),
    "esac",
    nodeId,
  ].join("\n");
}

/**
 * Shell function `retire ID WHAT`: drain the node and wait until none of its tasks runs there
 * (the scheduler starts their replacements elsewhere first), demote it if it is a manager,
 * then remove it. A node that is down runs nothing any more (its tasks were started elsewhere
 * when it went), so it is not waited for.
 */
function retireFunction(): string[] {
  return [
    "retire() {",
    '  docker node inspect "$1" >/dev/null 2>&1 || return 0',
    '  docker node update --availability drain "$1" >/dev/null',
    `  deadline=$(( $(date +%s) + ${DRAIN_SECONDS} ))`,
    `  while [ "$(docker node inspect -f '{{.Status.State}}' "$1")" = ready ] && docker node ps --format '{{.CurrentState}}' "$1" | grep -q '^Running'; do`,
    '    if [ "$(date +%s)" -ge "$deadline" ]; then',
    `      echo "dockerhost: $2 still runs tasks after ${DRAIN_SECONDS} s of draining:" >&2`,
    '      docker node ps "$1" >&2',
    "      exit 1",
    "    fi",
    "    sleep 2",
    "  done",
    `  if [ "$(docker node inspect -f '{{.Spec.Role}}' "$1")" = manager ]; then docker node demote "$1" >/dev/null; fi`,
    '  docker node rm --force "$1" >/dev/null',
    "}",
  ];
}

/**
 * On the first manager, when a member joined: waits until the managers list it Ready, then sets
 * its availability and the label that names it in the declaration (placement constraints use
 * `node.labels.dockerhost.node`). Then the member's old node, if its host was replaced, is
 * retired: the new host joined first, so the old one's tasks have somewhere to go, and a
 * replaced manager leaves the quorum count instead of staying in it as a node that is down.
 */
export function nodeAdmitScript(member: string, id: string, m: MemberAddress): string {
  const node = shellQuote(id);
  return [
    "set -eu",
    ...retireFunction(),
    `deadline=$(( $(date +%s) + ${NODE_READY_SECONDS} ))`,
    `until [ "$(docker node inspect -f '{{.Status.State}}' ${node})" = ready ]; do`,
    '  if [ "$(date +%s)" -ge "$deadline" ]; then',
    `    echo "dockerhost: node ${member} (${id}) is not Ready after ${NODE_READY_SECONDS} s: $(docker node inspect -f '{{.Status.State}} {{.Status.Message}}' ${node})" >&2`,
    "    exit 1",
    "  fi",
    "  sleep 2",
    "done",
    `docker node update --availability ${m.availability} --label-add ${shellQuote(`dockerhost.node=${member}`)} ${node} >/dev/null`,
    "for old in $(docker node ls -q); do",
    `  if [ "$old" != ${node} ] && [ "$(docker node inspect -f '{{index .Spec.Labels "dockerhost.node"}}' "$old")" = ${shellQuote(member)} ]; then`,
    `    retire "$old" "the old host of node ${member} ($old)"`,
    "  fi",
    "done",
  ].join("\n");
}

/**
 * On the first manager, when a member leaves the declaration: retire it (drained, demoted,
 * removed). Then its host is deleted.
 */
export function nodeRetireScript(member: string, id: string): string {
  return [
    "set -eu",
    ...retireFunction(),
    `retire ${shellQuote(id)} ${shellQuote(`node ${member} (${id})`)}`,
  ].join("\n");
}
