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

/** On the first manager: a new swarm unless the engine is in one already; prints the node id. */
export function swarmInitScript(member: string, m: MemberAddress, autolock: boolean): string {
  return [
    "set -eu",
    liveRestoreCheck(member),
    `state=$(${state})`,
    'case "$state" in',
    "  active) ;;",
    "  inactive)",
    `    docker swarm init ${addressFlags(m)}${autolock ? " --autolock" : ""} >/dev/null ;;`,
    ...unexpectedState(member),
    "esac",
    nodeId,
  ].join("\n");
}

/** On the first manager: the token a new member of `role` joins with (a secret). */
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

/** On the member itself, after its removal from the swarm: forget the swarm's state. */
export function swarmLeaveScript(): string {
  return [
    "set -eu",
    `if [ "$(${state})" != inactive ]; then docker swarm leave --force >/dev/null; fi`,
  ].join("\n");
}

/**
 * On the first manager, when a member joined: waits until the managers list it Ready, then sets
 * its availability and the label that names it in the declaration (placement constraints use
 * `node.labels.dockerhost.node`).
 */
export function nodeAdmitScript(member: string, id: string, m: MemberAddress): string {
  const node = shellQuote(id);
  return [
    "set -eu",
    `deadline=$(( $(date +%s) + ${NODE_READY_SECONDS} ))`,
    `until [ "$(docker node inspect -f '{{.Status.State}}' ${node})" = ready ]; do`,
    '  if [ "$(date +%s)" -ge "$deadline" ]; then',
    `    echo "dockerhost: node ${member} (${id}) is not Ready after ${NODE_READY_SECONDS} s: $(docker node inspect -f '{{.Status.State}} {{.Status.Message}}' ${node})" >&2`,
    "    exit 1",
    "  fi",
    "  sleep 2",
    "done",
    `docker node update --availability ${m.availability} --label-add ${shellQuote(`dockerhost.node=${member}`)} ${node} >/dev/null`,
  ].join("\n");
}

/**
 * On the first manager, when a member leaves the declaration: drain it and wait until none of
 * its tasks runs there (the scheduler starts their replacements elsewhere first), demote it if
 * it is a manager, then remove it. Then the member's own step leaves the swarm.
 */
export function nodeRetireScript(member: string, id: string): string {
  const node = shellQuote(id);
  return [
    "set -eu",
    `docker node inspect ${node} >/dev/null 2>&1 || exit 0`,
    `docker node update --availability drain ${node} >/dev/null`,
    `deadline=$(( $(date +%s) + ${DRAIN_SECONDS} ))`,
    `while docker node ps --format '{{.CurrentState}}' ${node} | grep -q '^Running'; do`,
    '  if [ "$(date +%s)" -ge "$deadline" ]; then',
    `    echo "dockerhost: node ${member} (${id}) still runs tasks after ${DRAIN_SECONDS} s of draining:" >&2`,
    `    docker node ps ${node} >&2`,
    "    exit 1",
    "  fi",
    "  sleep 2",
    "done",
    `if [ "$(docker node inspect -f '{{.Spec.Role}}' ${node})" = manager ]; then docker node demote ${node} >/dev/null; fi`,
    `docker node rm --force ${node} >/dev/null`,
  ].join("\n");
}
