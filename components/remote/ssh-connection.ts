import type * as pulumi from "@pulumi/pulumi";

/** How the deployer reaches a host: what DockerServices and @pulumi/command need. */
export interface SshConnection {
  host: string;
  port: number;
  user: string;
  /** The host's pinned public key ("ssh-ed25519 AAAA..."); never trusted on first use. */
  hostPublicKey: string;
  /** The deployer's private key (a secret); the SSH agent is used when absent. */
  privateKey?: string;
  /**
   * An OpenSSH ProxyCommand that carries the session (`sshAccess: "session"`: a cloud's
   * session service); absent, the deployer dials host:port. The host key is checked either way.
   */
  proxyCommand?: string;
}

/** SshConnection as an argument: each field may be a Pulumi input. */
export interface SshConnectionArgs {
  host: pulumi.Input<string>;
  /** Default 22. */
  port?: pulumi.Input<number>;
  user: pulumi.Input<string>;
  hostPublicKey: pulumi.Input<string>;
  privateKey?: pulumi.Input<string>;
  proxyCommand?: pulumi.Input<string>;
}
