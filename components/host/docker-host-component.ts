import * as pulumi from "@pulumi/pulumi";
import type * as tls from "@pulumi/tls";
import type { HostRuntime } from "./host-runtime";
import { hostPublicKeyLine } from "./host-runtime";
import type { SshConnection } from "../remote/ssh-connection";

/** The outputs every DockerHost has, whatever creates the machine. */
export interface DockerHostOutputs {
  publicIp: pulumi.Output<string>;
  privateIp: pulumi.Output<string>;
  sshUser: pulumi.Output<string>;
  /** `ssh://user@address`, for DOCKER_HOST or a docker.Provider. */
  dockerHost: pulumi.Output<string>;
  connection: pulumi.Output<SshConnection>;
  /** `ssh ...` that trusts only the pinned host key. */
  sshCommand: pulumi.Output<string>;
  /** The engine version, known only once the readiness gate passed. */
  ready: pulumi.Output<string>;
  /**
   * The machine's own id, new whenever the VM is replaced (AWS instance id, Azure vmId, the local
   * VM's start step id); the engine version (`ready`) stays the same on a replaced host. Give it
   * to DockerSwarm's node so the steps that depend on the machine run again.
   */
  machineId: pulumi.Output<string>;
  /** Per container, its published ports as "address:port". */
  endpoints: pulumi.Output<Record<string, string[]>>;
  hostPublicKey: pulumi.Output<string>;
  /** The Docker context for this host on the machine that ran `pulumi up` (`docker --context <it> ps`). */
  dockerContext: pulumi.Output<string>;
  /** The line to put at the top of ~/.ssh/config once, so ssh and docker find the host's alias. */
  sshConfigInclude: pulumi.Output<string>;
}

/**
 * Assigns a host's shared outputs and its own, then registers them all (the constructor's last
 * step). Each host class extends ComponentResource directly and declares these outputs itself:
 * the component analyzer behind `pulumi package add` sees only direct subclasses and declared
 * properties.
 */
export function publishHost(
  component: pulumi.ComponentResource & DockerHostOutputs,
  machine: {
    publicIp: pulumi.Output<string>;
    privateIp: pulumi.Output<string>;
    address: pulumi.Input<string>;
    user: string;
    hostKey: tls.PrivateKey;
    runtime: HostRuntime;
  },
  own: Record<string, pulumi.Output<unknown>>,
): void {
  const outputs: DockerHostOutputs = {
    publicIp: machine.publicIp,
    privateIp: machine.privateIp,
    sshUser: pulumi.output(machine.user),
    dockerHost: pulumi.interpolate`ssh://${machine.user}@${machine.address}`,
    connection: machine.runtime.connection,
    sshCommand: machine.runtime.sshCommand,
    ready: machine.runtime.ready,
    machineId: machine.runtime.machineId,
    endpoints: machine.runtime.endpoints,
    hostPublicKey: hostPublicKeyLine(machine.hostKey),
    dockerContext: machine.runtime.dockerContext,
    sshConfigInclude: machine.runtime.sshConfigInclude,
  };
  Object.assign(component, outputs, own);
  // registerOutputs is protected; publishing is part of the component's own construction.
  (component as unknown as { registerOutputs(o: pulumi.Inputs): void }).registerOutputs({
    ...outputs,
    ...own,
  });
}
