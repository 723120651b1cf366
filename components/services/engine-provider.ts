import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
  deployerSshFiles,
  knownHostsLine,
  pinnedSshOptions,
  writeIdentity,
  writeKnownHosts,
} from "../remote/deployer-ssh";
import type { SshConnectionArgs } from "../remote/ssh-connection";
import type { RegistryAuthSpec } from "../core/container-spec";

// The Docker provider for one engine over ssh://, trusting only the host's pinned key: what
// DockerServices (a host's engine) and SwarmServices (a swarm manager's) talk through.

export interface EngineProvider {
  provider: docker.Provider;
  /** `ssh://user@host:port`, the engine address the provider uses. */
  dockerHost: pulumi.Output<string>;
  /** The connection's address, readable (only the private key is secret). */
  host: pulumi.Output<string>;
}

export function pinnedEngineProvider(
  name: string,
  connection: pulumi.Input<SshConnectionArgs>,
  ready: pulumi.Input<string> | undefined,
  registries: RegistryAuthSpec[] | undefined,
  parent: pulumi.Resource,
): EngineProvider {
  const connOut = pulumi.output(connection);
  // Only the private key is secret; the address must stay readable in outputs and diffs.
  const host = pulumi.unsecret(connOut.apply((c) => c.host));
  const port = pulumi.unsecret(connOut.apply((c) => c.port ?? 22));
  const user = pulumi.unsecret(connOut.apply((c) => c.user));
  const dockerHost = pulumi.interpolate`ssh://${user}@${host}:${port}`;

  const files = deployerSshFiles(pulumi.getStack(), name);
  const sshOpts = connOut.apply((c) => {
    writeKnownHosts(files.knownHosts, knownHostsLine(c.host, c.port ?? 22, c.hostPublicKey));
    if (c.privateKey) writeIdentity(files.identity, c.privateKey);
    return pinnedSshOptions(files, Boolean(c.privateKey), c.proxyCommand);
  });
  const provider = new docker.Provider(
    `${name}-engine`,
    {
      // The engine is not contacted before the host's gate resolves.
      host: pulumi.all([dockerHost, ready ?? ""]).apply(([address]) => address),
      sshOpts,
      registryAuth: (registries ?? []).map((r) => ({
        address: r.address,
        username: r.username,
        password: pulumi.secret(r.password),
      })),
    },
    { parent },
  );
  return { provider, dockerHost, host };
}
