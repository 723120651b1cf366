import type { EdgeSpec } from "../core/edge-spec";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { renderCloudInit } from "../bootstrap/cloud-init";
import type { Arch, HostSpec } from "../bootstrap/types";
import type {
  ContainerSpec,
  NetworkSpec,
  RegistryAuthSpec,
  VolumeSpec,
} from "../core/container-spec";
import {
  deployerSshFiles,
  deployerStateDir,
  knownHostsLine,
  writeKnownHosts,
} from "../remote/deployer-ssh";
import { shellQuote } from "../bootstrap/shell";
import {
  sshIncludeLine,
  workstationCli,
  workstationNames,
  type WorkstationEntry,
} from "../remote/workstation";
import * as path from "node:path";
import { DockerServices } from "../services/docker-services";
import { waitForDocker } from "../remote/readiness";
import type { SshConnection } from "../remote/ssh-connection";
import type { SshAccess } from "../remote/session-transport";

// What every DockerHost does the same way, whatever creates the machine: the host's SSH
// identity, its user-data, the readiness gate and the service containers.

/** The host's SSH identity, generated at deploy time and kept as a secret in state. */
export function createHostKey(name: string, parent: pulumi.Resource): tls.PrivateKey {
  return new tls.PrivateKey(`${name}-host-key`, { algorithm: "ED25519" }, { parent });
}

/** The host's public key as one authorized_keys-style line. */
export function hostPublicKeyLine(hostKey: tls.PrivateKey): pulumi.Output<string> {
  return hostKey.publicKeyOpenssh.apply((k) => k.trim());
}

/**
 * The user-data for a host: a secret, because it carries the host's private key. The data disk
 * devices are an input because clouds only know them once the volume exists.
 */
export function hostUserData(
  spec: Omit<HostSpec, "hostKey" | "dataDisk">,
  hostKey: tls.PrivateKey,
  dataDiskDevices?: pulumi.Input<string[]>,
  /** What the host's cloud identity serves: shipped logs, registries' credential helpers. */
  identity?: pulumi.Input<Pick<HostSpec, "shippedLogs" | "credentialHelpers">>,
): pulumi.Output<string> {
  const rendered = pulumi
    .all([hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh, dataDiskDevices, identity])
    .apply(([priv, pub, devices, served]) =>
      renderCloudInit({
        ...spec,
        hostKey: { ed25519Private: priv, ed25519Public: pub.trim() },
        ...(devices ? { dataDisk: { devices } } : {}),
        ...served,
      }),
    );
  return pulumi.secret(rendered);
}

export interface HostRuntimeInput {
  /** The machine's CPU: images built for it are built for this platform. */
  arch: Arch;
  address: pulumi.Input<string>;
  port: pulumi.Input<number>;
  user: string;
  hostKey: tls.PrivateKey;
  privateKey?: pulumi.Input<string>;
  /** How the deployer reaches sshd; "session" needs `proxyCommand`. Default "direct". */
  sshAccess?: SshAccess;
  /** The session's OpenSSH ProxyCommand (session-transport.ts). */
  proxyCommand?: pulumi.Input<string>;
  /**
   * The machine's own id, new whenever the VM is replaced (AWS instance id, Azure vmId, the
   * local VM's start step): the gate runs again, and the host publishes it as `machineId`.
   */
  machineId: pulumi.Input<string>;
  /** Resources the machine needs before it is usable (e.g. its data disk attachment). */
  dependsOn: pulumi.Resource[];
  containers?: ContainerSpec[];
  registries?: RegistryAuthSpec[];
  networks?: NetworkSpec[];
  volumes?: VolumeSpec[];
  removeVolumesOnDelete?: boolean;
  /** The edge of proxied containers (DockerServicesArgs.edge). */
  edge?: EdgeSpec;
  selinuxRelabel: boolean;
  readOnlyRootFsByDefault: boolean;
  /** The strict profile's container rules (DockerServicesArgs.strictContainers). */
  strictContainers: boolean;
  publicAddress?: pulumi.Input<string>;
  /** Write the workstation's SSH entry and Docker context for this host (default true). */
  dockerContext?: boolean;
  /**
   * Cloud agents made once the gate passed (Azure Monitor's agent needs the host's rsyslog);
   * the containers wait for them (Azure: until the agent forwards, so their first lines reach it).
   */
  afterGate?: (gate: pulumi.Resource, host: GatedHost) => pulumi.CustomResource[];
}

/** How a resource made after the gate reaches the host, and when it is a new machine. */
export interface GatedHost {
  connection: pulumi.Output<SshConnection>;
  access: SshAccess;
  machineId: pulumi.Input<string>;
}

export interface HostRuntime {
  connection: pulumi.Output<SshConnection>;
  /** An ssh command line that trusts only the pinned host key. */
  sshCommand: pulumi.Output<string>;
  ready: pulumi.Output<string>;
  machineId: pulumi.Output<string>;
  services?: DockerServices;
  endpoints: pulumi.Output<Record<string, string[]>>;
  /** The Docker context made on the workstation for this host ("" with dockerContext: false). */
  dockerContext: pulumi.Output<string>;
  /** The line that makes ~/.ssh/config read the project's SSH entries. */
  sshConfigInclude: pulumi.Output<string>;
}

/** Docker's platform name for each machine CPU. */
export const BUILD_PLATFORM: Record<Arch, string> = {
  x86_64: "linux/amd64",
  arm64: "linux/arm64",
};

export function attachHostRuntime(
  name: string,
  parent: pulumi.Resource,
  input: HostRuntimeInput,
): HostRuntime {
  const access = input.sshAccess ?? "direct";
  const connection = pulumi
    .all([
      input.address,
      input.port,
      hostPublicKeyLine(input.hostKey),
      input.privateKey,
      input.proxyCommand,
    ])
    .apply(([host, port, hostPublicKey, privateKey, proxyCommand]) => ({
      host,
      port,
      user: input.user,
      hostPublicKey,
      ...(privateKey ? { privateKey } : {}),
      ...(proxyCommand ? { proxyCommand } : {}),
    }));
  const files = deployerSshFiles(pulumi.getStack(), name);
  const sshCommand = pulumi
    .all([input.address, input.port, hostPublicKeyLine(input.hostKey), input.proxyCommand])
    .apply(([host, port, hostPublicKey, proxyCommand]) => {
      writeKnownHosts(files.knownHosts, knownHostsLine(host, port, hostPublicKey));
      const portFlag = port === 22 ? "" : ` -p ${port}`;
      const proxyFlag = proxyCommand ? ` -o ${shellQuote(`ProxyCommand=${proxyCommand}`)}` : "";
      return `ssh -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${files.knownHosts}${proxyFlag}${portFlag} ${input.user}@${host}`;
    });
  const gate = waitForDocker(
    `${name}-ready`,
    { connection, access, triggers: [input.machineId] },
    { parent, dependsOn: input.dependsOn },
  );
  const ready = gate.stdout.apply((s) => s.trim());
  const agents = input.afterGate?.(gate, { connection, access, machineId: input.machineId }) ?? [];
  const servicesReady = agents.length
    ? pulumi.all([ready, ...agents.map((a) => a.id)]).apply(([engine]) => engine)
    : ready;
  const containers = input.containers ?? [];
  const services = containers.length
    ? new DockerServices(
        `${name}-services`,
        {
          connection,
          sshAccess: access,
          ready: servicesReady,
          containers,
          registries: input.registries,
          networks: input.networks,
          volumes: input.volumes,
          removeVolumesOnDelete: input.removeVolumesOnDelete,
          edge: input.edge,
          selinuxRelabel: input.selinuxRelabel,
          readOnlyRootFsByDefault: input.readOnlyRootFsByDefault,
          strictContainers: input.strictContainers,
          publicAddress: input.publicAddress ?? input.address,
          platform: BUILD_PLATFORM[input.arch],
        },
        { parent },
      )
    : undefined;
  const workstation = workstationAccess(
    name,
    parent,
    connection,
    gate,
    input.dockerContext ?? true,
  );
  return {
    connection,
    sshCommand,
    ready,
    machineId: pulumi.output(input.machineId),
    services,
    endpoints: services ? services.endpoints : pulumi.output<Record<string, string[]>>({}),
    ...workstation,
  };
}

/**
 * The host's SSH entry and Docker context on the machine that runs `pulumi up`, made once the
 * host passed its gate and removed by `pulumi destroy`. The entry goes in on stdin as a secret:
 * it carries the deployer's private key when there is one.
 */
function workstationAccess(
  name: string,
  parent: pulumi.Resource,
  connection: pulumi.Output<SshConnection>,
  gate: pulumi.Resource,
  dockerContext: boolean,
): Pick<HostRuntime, "dockerContext" | "sshConfigInclude"> {
  const stack = pulumi.getStack();
  const { alias, context } = workstationNames(stack, name);
  const sshDir = path.join(deployerStateDir(), "ssh");
  const cli = workstationCli();
  const entry = connection.apply((c): string => {
    const value: WorkstationEntry = {
      alias,
      context,
      stack,
      hostName: name,
      sshDir,
      address: c.host,
      port: c.port,
      user: c.user,
      hostPublicKey: c.hostPublicKey,
      ...(c.privateKey ? { privateKey: c.privateKey } : {}),
      ...(c.proxyCommand ? { proxyCommand: c.proxyCommand } : {}),
      dockerContext,
    };
    return JSON.stringify(value);
  });
  new command.local.Command(
    `${name}-workstation`,
    {
      create: `${cli} add`,
      delete: `${cli} remove ${shellQuote(sshDir)} ${shellQuote(alias)} ${shellQuote(context)}`,
      stdin: pulumi.secret(entry),
    },
    { parent, dependsOn: [gate], additionalSecretOutputs: ["stdin"] },
  );
  return {
    dockerContext: pulumi.output(dockerContext ? context : ""),
    sshConfigInclude: pulumi.output(sshIncludeLine(sshDir)),
  };
}
