import type * as pulumi from "@pulumi/pulumi";

// What a user declares for the edge: a container's `proxy` (the hostname it answers) and the
// host's `edge` (how certificates are had). Plain values where a conflict must be found at
// preview; certificates and keys are Pulumi inputs (secrets).

/** A container served by the host's edge at a hostname (and a path below it). */
export interface ProxySpec {
  /** The hostname the edge answers for this container, e.g. "app.example.com". */
  host: string;
  /**
   * Only requests whose path starts with this prefix ("/api"); the path is passed on unchanged.
   * Absent: every path of the host not claimed by a longer prefix.
   */
  pathPrefix?: string;
  /** The port the container listens on inside its network; default 80. */
  port?: number;
}

/** A certificate of the user's own, for hosts the edge should not ask ACME for. */
export interface EdgeCertificateSpec {
  /** The proxied hostnames this certificate serves (each one `proxy.host` of a container). */
  hosts: string[];
  /** The certificate chain, PEM: leaf first. A Pulumi secret or plain text. */
  certificate: pulumi.Input<string>;
  /** The private key, PEM. Must be a Pulumi secret. */
  key: pulumi.Input<string>;
}

/** The host's edge proxy (Caddy): certificates and who may reach ports 80 and 443. */
export interface EdgeSpec {
  /**
   * The ACME account's email: where the CA writes about expiring certificates and its terms.
   * Let's Encrypt accepts an account without one.
   */
  acmeEmail?: string;
  /**
   * The ACME (RFC 8555) directory certificates are ordered from; default Let's Encrypt's
   * production directory. Staging: "https://acme-staging-v02.api.letsencrypt.org/directory".
   */
  acmeDirectory?: string;
  /**
   * The root certificate (PEM) that the ACME directory's own HTTPS is signed by, for a private CA
   * whose root the edge's image does not trust.
   */
  acmeCaRootPem?: string;
  /** Certificates of the user's own (no ACME order for their hosts). */
  certificates?: EdgeCertificateSpec[];
  /** Who may reach ports 80 and 443 through the cloud firewall. None: it stays closed. */
  allowedCidrs?: string[];
  /** The host address ports 80 and 443 are bound to; all addresses when absent. */
  hostIp?: string;
  /** The edge's image; default Caddy's official image, pinned by digest (EDGE_IMAGE). */
  image?: pulumi.Input<string>;
}
