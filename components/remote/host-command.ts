import * as command from "@pulumi/command";
import {
  BASTION_CONNECT_TIMEOUT_SECONDS,
  BASTION_FATAL_MARKERS,
  isBastionBridge,
} from "./bastion-proxy";
import * as pulumi from "@pulumi/pulumi";
import {
  sessionEnvironment,
  sessionScript,
  type SessionDial,
  type SshAccess,
} from "./session-transport";
import type { SshConnection, SshConnectionArgs } from "./ssh-connection";

// One shell step on a host, whichever way the deployer reaches it: a remote.Command dialing
// host:port (`direct`, the resource type every released stack holds, so it stays), or over a
// session service a local.Command running the system ssh with the session's ProxyCommand
// (session-transport.ts says why remote.Command cannot carry one).

/** @pulumi/command's connection to a host, trusting only its pinned host key. */
export function pinnedRemoteConnection(
  input: pulumi.Input<SshConnection | pulumi.Unwrap<SshConnectionArgs>>,
): command.types.input.remote.ConnectionArgs {
  // A session's connection dialed directly would dial an instance id: say what to change.
  const connection = pulumi.output(input).apply((c) => {
    if (c.proxyCommand)
      throw new Error(
        `the connection to ${c.host} carries a proxyCommand (a host with sshAccess: "session"), which this step cannot dial: give the component sshAccess: "session" too (DockerServices), or reach the host directly (DockerSwarm and SwarmServices dial directly)`,
      );
    return c;
  });
  return {
    host: connection.host,
    port: connection.apply((c) => c.port ?? 22),
    user: connection.user,
    // Resolving to undefined leaves the field unset: the provider then uses the SSH agent.
    privateKey: connection.apply((c) => c.privateKey) as pulumi.Output<string>,
    hostKey: connection.hostPublicKey,
  };
}

export type HostCommand = command.remote.Command | command.local.Command;

export interface HostCommandArgs {
  connection: pulumi.Input<SshConnection | pulumi.Unwrap<SshConnectionArgs>>;
  /** How the connection reaches the host; a plain value, because it picks the resource type. */
  access: SshAccess;
  create: pulumi.Input<string>;
  update?: pulumi.Input<string>;
  delete?: pulumi.Input<string>;
  stdin?: pulumi.Input<string>;
  triggers?: pulumi.Input<unknown>[];
  logging?: "stdout" | "stderr" | "stdoutAndStderr" | "none";
  /** Dial retries; remote.Command's defaults (10 tries) when absent. */
  dial?: SessionDial;
}

/**
 * remote.Command's own defaults: dialErrorLimit 10 and perDialTimeout 15 s (@pulumi/command
 * 1.2.1 types/input.d.ts, remote.ConnectionArgs: "Default value is 10", "Default value is 15
 * seconds").
 */
const DEFAULT_DIAL: SessionDial = { attempts: 10, timeoutSeconds: 15 };

/** A dial through the Bastion bridge: its ConnectTimeout, and its fatal markers. */
export function bastionDial(dial: SessionDial): SessionDial {
  return {
    ...dial,
    timeoutSeconds: Math.max(dial.timeoutSeconds, BASTION_CONNECT_TIMEOUT_SECONDS),
    fatalPatterns: BASTION_FATAL_MARKERS,
  };
}

export function hostCommand(
  name: string,
  args: HostCommandArgs,
  opts: pulumi.CustomResourceOptions,
): HostCommand {
  const common = {
    ...(args.stdin !== undefined ? { stdin: args.stdin } : {}),
    ...(args.triggers ? { triggers: args.triggers } : {}),
    ...(args.logging ? { logging: args.logging } : {}),
  };
  const connection = pulumi.output(args.connection);
  if (args.access === "direct") {
    return new command.remote.Command(
      name,
      {
        connection: {
          ...pinnedRemoteConnection(connection),
          ...(args.dial
            ? { dialErrorLimit: args.dial.attempts, perDialTimeout: args.dial.timeoutSeconds }
            : {}),
        },
        create: args.create,
        ...(args.update !== undefined ? { update: args.update } : {}),
        ...(args.delete !== undefined ? { delete: args.delete } : {}),
        ...common,
      },
      opts,
    );
  }
  const dial = args.dial ?? DEFAULT_DIAL;
  const environment = connection.apply((c) =>
    sessionEnvironment({ ...c, port: c.port ?? 22 } as SshConnection),
  );
  // Through Azure Bastion's bridge a try takes longer, and some failures stay (bastion-proxy.ts).
  const bridged = pulumi.unsecret(connection.apply((c) => isBastionBridge(c.proxyCommand)));
  const local = (script: pulumi.Input<string>) =>
    pulumi
      .all([script, bridged])
      .apply(([s, bastion]) => sessionScript(s, bastion ? bastionDial(dial) : dial));
  return new command.local.Command(
    name,
    {
      create: local(args.create),
      ...(args.update !== undefined ? { update: local(args.update) } : {}),
      ...(args.delete !== undefined ? { delete: local(args.delete) } : {}),
      // The deployer's private key may be in it: a secret in state.
      environment: pulumi.secret(environment),
      ...common,
    },
    { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "environment"] },
  );
}
