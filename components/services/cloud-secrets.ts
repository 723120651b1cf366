import { shellQuote } from "../bootstrap/shell";
import { keyVaultSecretUrl, parseKeyVaultSecretId } from "../core/azure-ids";
import { CLOUD_SECRETS_MANIFESTS, FETCHER_SCRIPT } from "./secrets-fetcher";
import type { CloudSecretSpec, ContainerSpec } from "../core/container-spec";

// A container's secrets from the cloud's store, as files (`cloudSecrets`): the host reads each
// SSM Parameter Store parameter (AWS: the instance profile) or Key Vault secret (Azure: the VM's
// managed identity) with its own identity (secrets-fetcher.ts) and writes it to a
// tmpfs file (/run is a tmpfs on every catalog OS), 0400 and owned by the container's user, which
// the container gets read-only at /run/secrets/<name>. The value is read on the host only, so it
// never enters Pulumi state: the state holds the parameter's name.
//
// When: at deploy (the container's `<c>-secrets` step, before the container), at every boot
// before the engine starts its containers (dockerhost-secrets.service), and every 5 minutes
// (its timer). A file is replaced by a rename, and a bind-mounted file is the file that was there
// when the container started: a rotation in the store reaches the container at its next start.

/** Where the host keeps a container's secret files, on tmpfs. */
export function cloudSecretsDir(component: string, container: string): string {
  return `/run/dockerhost/secrets/${component}/${container}`;
}

export { CLOUD_SECRETS_MANIFESTS, FETCHER_SCRIPT } from "./secrets-fetcher";
export const CLOUD_SECRETS_FETCHER = "/usr/local/libexec/dockerhost-fetch-secrets";
export const CLOUD_SECRETS_UNIT = "dockerhost-secrets";

/** What the fetcher reads for one container: its files and who owns them. */
export function secretsManifest(component: string, spec: ContainerSpec): string {
  const [uid, gid] = ownerOf(spec.user);
  return `${JSON.stringify({
    dir: cloudSecretsDir(component, spec.name),
    uid,
    gid,
    secrets: (spec.cloudSecrets ?? []).map((s) =>
      s.keyVaultSecret !== undefined
        ? { name: s.name, keyVaultSecret: keyVaultSecretUrl(s.keyVaultSecret) }
        : { name: s.name, parameter: s.ssmParameter },
    ),
  })}\n`;
}

/** The container's user as numbers (validated: "uid" or "uid:gid"); unset is root. */
export function ownerOf(user: string | undefined): [number, number] {
  if (!user) return [0, 0];
  const [uid, gid] = user.split(":");
  return [Number(uid), Number(gid ?? uid)];
}

/** Before the engine: a restarted host's containers find their files on the fresh tmpfs. */
export const SECRETS_SERVICE = `[Unit]
Description=dockerhost: containers' secrets from the cloud's store
Wants=network-online.target
After=network-online.target
Before=docker.service

[Service]
Type=oneshot
ExecStart=${CLOUD_SECRETS_FETCHER}

[Install]
WantedBy=multi-user.target
`;

export const SECRETS_TIMER = `[Unit]
Description=dockerhost: read containers' secrets again, for their next start

[Timer]
OnActiveSec=5min
OnUnitActiveSec=5min

[Install]
WantedBy=timers.target
`;

/** botocore, where a container reads SSM and the host lacks it: apt (updating lists a baked image may lack) or dnf. */
const ENSURE_BOTOCORE = [
  "if ! python3 -c 'import botocore' 2>/dev/null; then",
  "  if command -v apt-get >/dev/null; then",
  "    export DEBIAN_FRONTEND=noninteractive",
  "    apt-get -q -y --no-install-recommends install python3-botocore >/dev/null || { apt-get -q update >/dev/null && apt-get -q -y --no-install-recommends install python3-botocore >/dev/null; }",
  "  else dnf -y -q install python3-botocore >/dev/null; fi",
  "fi",
];

const write = (path: string, text: string, mode: string) =>
  `printf '%s' ${shellQuote(text)} > ${path} && chmod ${mode} ${path}`;

/** The container's step: the fetcher, its units, the manifest, and a first read now. */
export function secretsStepScript(component: string, spec: ContainerSpec): string {
  const manifest = `${CLOUD_SECRETS_MANIFESTS}/${component}-${spec.name}.json`;
  const root = [
    "set -eu",
    ...(spec.cloudSecrets?.some((s) => s.ssmParameter !== undefined) ? ENSURE_BOTOCORE : []),
    `install -d -m 0755 ${CLOUD_SECRETS_MANIFESTS.replace(/\/secrets$/, "")} && install -d -m 0700 ${CLOUD_SECRETS_MANIFESTS} /usr/local/libexec`,
    write(CLOUD_SECRETS_FETCHER, FETCHER_SCRIPT, "0755"),
    write(`/etc/systemd/system/${CLOUD_SECRETS_UNIT}.service`, SECRETS_SERVICE, "0644"),
    write(`/etc/systemd/system/${CLOUD_SECRETS_UNIT}.timer`, SECRETS_TIMER, "0644"),
    "systemctl daemon-reload",
    `systemctl enable -q ${CLOUD_SECRETS_UNIT}.service`,
    `systemctl enable -q --now ${CLOUD_SECRETS_UNIT}.timer`,
    write(manifest, secretsManifest(component, spec), "0600"),
    `${CLOUD_SECRETS_FETCHER} ${manifest}`,
  ].join("\n");
  return `sudo -n sh -c ${shellQuote(root)}`;
}

/** The step's delete: the manifest and the files go; the shared fetcher stays. */
export function secretsRemoveScript(component: string, spec: ContainerSpec): string {
  const manifest = `${CLOUD_SECRETS_MANIFESTS}/${component}-${spec.name}.json`;
  return `sudo -n rm -rf ${manifest} ${cloudSecretsDir(component, spec.name)}`;
}

/** A file name under /run/secrets, and an SSM parameter name (SSM's own rules, 1-2048 chars). */
const SECRET_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PARAMETER_NAME = /^\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const NUMERIC_USER = /^\d+(:\d+)?$/;

export function cloudSecretsProblems(c: ContainerSpec, field: string): string[] {
  const secrets: CloudSecretSpec[] = c.cloudSecrets ?? [];
  if (!secrets.length) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  secrets.forEach((s, i) => {
    if (!SECRET_FILE.test(s.name))
      problems.push(
        `${field}.cloudSecrets[${i}].name: ${JSON.stringify(s.name)} cannot name a file in /run/secrets. Use letters, digits, ".", "_" and "-".`,
      );
    else if (seen.has(s.name))
      problems.push(
        `${field}.cloudSecrets[${i}].name: ${JSON.stringify(s.name)} is already a secret of this container.`,
      );
    seen.add(s.name);
    if ((s.ssmParameter === undefined) === (s.keyVaultSecret === undefined))
      problems.push(
        `${field}.cloudSecrets[${i}]: give exactly one of ssmParameter (an AWS host's SSM Parameter Store) and keyVaultSecret (an Azure host's Key Vault).`,
      );
    else if (
      s.ssmParameter !== undefined &&
      (!PARAMETER_NAME.test(s.ssmParameter) || s.ssmParameter.length > 2048)
    )
      problems.push(
        `${field}.cloudSecrets[${i}].ssmParameter: ${JSON.stringify(s.ssmParameter)} is no SSM parameter name. Give its name, e.g. "/shop/prod/db-password".`,
      );
    else if (s.keyVaultSecret !== undefined && !parseKeyVaultSecretId(s.keyVaultSecret))
      problems.push(
        `${field}.cloudSecrets[${i}].keyVaultSecret: ${JSON.stringify(s.keyVaultSecret)} is no Key Vault secret's resource id. Give it as /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<vault>/secrets/<name>.`,
      );
  });
  if (c.user !== undefined && !NUMERIC_USER.test(c.user))
    problems.push(
      `${field}.user: ${JSON.stringify(c.user)} is a name the host cannot resolve, and the host writes the container's secret files for its user. Give it as numbers, e.g. "101" or "101:101".`,
    );
  for (const v of c.volumes ?? [])
    if (secrets.some((s) => v.containerPath === `/run/secrets/${s.name}`))
      problems.push(
        `${field}.volumes: ${v.containerPath} is also a cloud secret's file. Remove one of them.`,
      );
  return problems;
}

/** The store each target's hosts read with their identity; a local VM has none. */
export type SecretStore = "ssmParameter" | "keyVaultSecret";

export function secretStoreProblems(
  containers: ContainerSpec[] | undefined,
  store: SecretStore | undefined,
  /** The host as the message names it: "an AWS host", "an Azure host", "a local VM". */
  host: string,
): string[] {
  const problems: string[] = [];
  (containers ?? []).forEach((c, ci) =>
    (c.cloudSecrets ?? []).forEach((s, i) => {
      const field = `containers[${ci}].cloudSecrets[${i}]`;
      if (!store)
        problems.push(
          `${field}: ${host} has no cloud identity to read a cloud's store with. Ship the secret with the container's files instead (files with secret: true).`,
        );
      else
        for (const other of ["ssmParameter", "keyVaultSecret"] as const)
          if (other !== store && s[other] !== undefined)
            problems.push(
              `${field}.${other}: ${host} reads its secrets from ${store === "ssmParameter" ? "SSM Parameter Store" : "Key Vault"}. Use ${store}.`,
            );
    }),
  );
  return problems;
}
