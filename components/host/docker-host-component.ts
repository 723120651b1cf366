import * as pulumi from "@pulumi/pulumi";
import type * as tls from "@pulumi/tls";
import type { HostRuntime } from "./host-runtime";
import { hostPublicKeyLine } from "./host-runtime";
import type { SshConnection } from "./ssh-connection";

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
  /** Per container, its published ports as "address:port". */
  endpoints: pulumi.Output<Record<string, string[]>>;
  hostPublicKey: pulumi.Output<string>;
}

/** The shared contract of AwsDockerHost, AzureDockerHost and LocalDockerHost. */
export abstract class DockerHostComponent
  extends pulumi.ComponentResource
  implements DockerHostOutputs
{
  public readonly publicIp!: pulumi.Output<string>;
  public readonly privateIp!: pulumi.Output<string>;
  public readonly sshUser!: pulumi.Output<string>;
  public readonly dockerHost!: pulumi.Output<string>;
  public readonly connection!: pulumi.Output<SshConnection>;
  public readonly sshCommand!: pulumi.Output<string>;
  public readonly ready!: pulumi.Output<string>;
  public readonly endpoints!: pulumi.Output<Record<string, string[]>>;
  public readonly hostPublicKey!: pulumi.Output<string>;

  /** Assigns the shared outputs and the cloud's own, then registers them all (last step). */
  protected publish(
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
      endpoints: machine.runtime.endpoints,
      hostPublicKey: hostPublicKeyLine(machine.hostKey),
    };
    Object.assign(this, outputs, own);
    this.registerOutputs({ ...outputs, ...own });
  }
}
