import { DOCKER_DATA_DIR } from "./data-disk";
import { shellScript } from "./shell";

// A swarm member's data disk outlives its machine: on every target a replaced VM boots on the
// old VM's disk (AWS moves the volume; Azure and local keep the disk). `/var/lib/docker/swarm`
// there is the old node: its id, its TLS identity, its raft log and the address it advertised.
// An engine that starts with it tries to be that node again, from a machine with another address,
// and Docker's admin guide says a manager does not survive that ("If the whole swarm restarts and
// every manager node subsequently gets a new IP address, there is no way for any node to contact
// an existing manager"; "You must never restore a manager node by copying the raft directory";
// docker/docs content/manuals/engine/swarm/admin_guide.md). Our join step then saw `active` and
// did nothing.
//
// So a new machine forgets it before the engine first starts, exactly as `docker swarm leave`
// does on the old one (moby daemon/cluster: Leave calls clearPersistentState, which removes the
// swarm directory), and its membership step joins it as a new node; the first manager's admission
// step then retires the old node by its dockerhost.node label (swarm-commands.ts). The steps run
// once per machine (cloud-init's runcmd is per-instance, and a baked host's runner is
// `cloud-init-per instance`), before step 40 first starts the engine: a restarted or stopped and
// started VM keeps its swarm, only a new one starts clean. The containers' named volumes stay.

export const SWARM_STATE_DIR = `${DOCKER_DATA_DIR}/swarm`;

/** The first-boot step of a swarm member with a data disk, between the mount and the engine. */
export function forgetOldSwarmScript(): string {
  return shellScript("forget the swarm state an earlier machine left on the data disk", [
    // The engine is held until step 40 on both paths (policy-rc.d while installing; a baked
    // image's docker.service waits for the engine-configured marker): this never races it.
    `if [ -d ${SWARM_STATE_DIR} ]; then`,
    `  echo "dockerhost: the data disk holds the swarm state of the machine it came from; removing ${SWARM_STATE_DIR} so that this machine joins as a new node"`,
    `  rm -rf ${SWARM_STATE_DIR}`,
    "fi",
  ]);
}
