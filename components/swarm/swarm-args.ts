import type * as pulumi from "@pulumi/pulumi";
import type { SshAccess } from "../remote/session-transport";
import type { SshConnectionArgs } from "../remote/ssh-connection";
import type { SwarmRole } from "./swarm-nodes";

// What DockerSwarm takes: its members and the swarm's own settings.

export interface SwarmNodeArgs {
  /**
   * The node's name in this declaration, stable across replacements of its host. A name that
   * leaves the list is drained, demoted and removed by the first manager; its host is not
   * asked to leave (a host you keep: run `docker swarm leave --force` there).
   */
  name: string;
  role: SwarmRole;
  /** How the deployer reaches the node; its host key is pinned, never learned. */
  connection: pulumi.Input<SshConnectionArgs>;
  /**
   * How `connection` reaches the node: "direct" (default) dials it; "session" goes through its
   * proxyCommand (an AwsDockerHost with sshAccess "session"), as the host's own steps do.
   */
  sshAccess?: SshAccess;
  /** The address the other nodes reach it on: the fleet's private network, never a public one. */
  privateAddress: pulumi.Input<string>;
  /**
   * The host's readiness gate output: the node joins once it resolves, and joins again when it
   * changes (a replaced host).
   */
  ready?: pulumi.Input<string>;
  /**
   * The host's `machineId`: new whenever its VM is replaced. For the first manager it is what
   * makes the relays read their join token again, so that a new host in its place joins the
   * swarm the others keep instead of making a second one. Without it the relays follow the
   * host key, which a replaced VM keeps (the key is its own resource), so they do not run again.
   */
  machineId?: pulumi.Input<string>;
}

export interface DockerSwarmArgs {
  /** The members; the first is a manager and makes the swarm. 1, 3, 5 or 7 managers. */
  nodes: SwarmNodeArgs[];
  /**
   * Manager autolock: a restarted manager stays locked until `docker swarm unlock` with the
   * unlock key (the `unlockKey` output, a secret). The `strict` fleet sets it.
   */
  autolock?: boolean;
  /**
   * Managers take service tasks too. Default: only in a swarm without workers (one host, or
   * managers alone), where they are the only place tasks can run.
   */
  managersRunTasks?: boolean;
  /**
   * A value of your choice (a date, a ticket id); each change rotates both join tokens on the
   * first manager, and the tokens are read again, so later joins use the new ones. Nodes already
   * in the swarm are not affected. Rotate when a token may have leaked (a state file or a log
   * shared, a node compromised or removed); the manager token gives full control of the swarm.
   */
  rotateJoinTokens?: string;
}
