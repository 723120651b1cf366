import * as pulumi from "@pulumi/pulumi";
import type { EdgeSpec } from "../components";
import type { Reader } from "./config-reader";
import { isObject } from "./is-object";

// `dockerhost:edge`: the host's edge (ACME account, directory, who reaches 80 and 443, and
// certificates of the user's own), as a map in the stack file. Its shape is the component's to
// check (the same schema and messages as a program's `edge` arg, renamed to this key); what the
// stack checks is only what the stack file decides: a certificate's private key is in it only as
// a secret. A `--path` secret inside a map makes the whole key's value secure (pulumi/pulumi
// sdk/go/common/resource/config/object.go, MarshalString: a map's value is secure when
// `object.Secure()`, a secure value inside it), and PULUMI_CONFIG_SECRET_KEYS lists the key
// (Map.SecureKeys), so the key is secret exactly when a secret was set under it.

export function readEdge(reader: Reader, fleet: boolean): EdgeSpec | undefined {
  const value = reader.structured("edge", "a map, e.g. { acmeEmail: ops@example.com }");
  if (value === undefined) return undefined;
  if (fleet) {
    reader.problems.push(
      `${reader.key("edge")}: a fleet has no edge: its services are reached through the swarm's routing mesh, updated start-first (README, "HTTPS on a fleet"). Remove edge, and put TLS in front of the published port (a cloud load balancer, or a proxy service of your own).`,
    );
    return undefined;
  }
  if (!isObject(value)) {
    reader.problems.push(
      `${reader.key("edge")}: must be a map, e.g. { acmeEmail: ops@example.com }.`,
    );
    return undefined;
  }
  const secret = reader.isSecret("edge");
  const certificates = Array.isArray(value.certificates) ? value.certificates : undefined;
  certificates?.forEach((cert, i) => {
    if (!isObject(cert) || cert.key === undefined || secret) return;
    reader.problems.push(
      `${reader.key("edge")}.certificates[${i}].key: stored as plain text in the stack file. Remove it and set it as a secret: pulumi config set --secret --path 'edge.certificates[${i}].key' -- "$(cat key.pem)"`,
    );
  });
  if (!certificates || !secret) return value as unknown as EdgeSpec;
  return {
    ...(value as unknown as EdgeSpec),
    certificates: certificates.map((cert) =>
      isObject(cert) && typeof cert.key === "string"
        ? { ...cert, key: pulumi.secret(cert.key) }
        : cert,
    ) as unknown as EdgeSpec["certificates"],
  };
}
