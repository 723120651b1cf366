import { shellQuote } from "../bootstrap/shell";
import type { CloudSecretSpec, ContainerSpec } from "./container-spec";

// A container's secrets from the cloud's store, as files (`cloudSecrets`): the host reads each
// SSM Parameter Store parameter with its own identity (the instance profile) and writes it to a
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

export const CLOUD_SECRETS_MANIFESTS = "/etc/dockerhost/secrets";
export const CLOUD_SECRETS_FETCHER = "/usr/local/libexec/dockerhost-fetch-secrets";
export const CLOUD_SECRETS_UNIT = "dockerhost-secrets";

/** What the fetcher reads for one container: its files and who owns them. */
export function secretsManifest(component: string, spec: ContainerSpec): string {
  const [uid, gid] = ownerOf(spec.user);
  return `${JSON.stringify({
    dir: cloudSecretsDir(component, spec.name),
    uid,
    gid,
    secrets: (spec.cloudSecrets ?? []).map((s) => ({ name: s.name, parameter: s.ssmParameter })),
  })}\n`;
}

/** The container's user as numbers (validated: "uid" or "uid:gid"); unset is root. */
export function ownerOf(user: string | undefined): [number, number] {
  if (!user) return [0, 0];
  const [uid, gid] = user.split(":");
  return [Number(uid), Number(gid ?? uid)];
}

/**
 * The fetcher, Python 3 with botocore (the AWS SDK's core, a distribution package: Debian's and
 * Ubuntu's python3-botocore, Amazon Linux's). Credentials come from botocore's own chain, here
 * the instance profile through IMDSv2; the region from IMDS. Under userns-remap the container's
 * uid 0 is the remap range's first id on the host (/etc/subuid's dockremap line), so the owner is
 * shifted by it. Each file is written beside its final name, then renamed over it.
 */
export const FETCHER_SCRIPT = `#!/usr/bin/python3
# dockerhost: containers' secrets from SSM Parameter Store, read with the instance profile.
import glob, json, os, sys, time, urllib.request
import botocore.session

def retried(call):
    # At boot the metadata service or the network may not answer yet: a minute of tries.
    for attempt in range(12):
        try:
            return call()
        except Exception:
            if attempt == 11:
                raise
            time.sleep(5)

def imds(path):
    put = urllib.request.Request("http://169.254.169.254/latest/api/token", method="PUT",
                                 headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    token = urllib.request.urlopen(put, timeout=5).read().decode()
    get = urllib.request.Request("http://169.254.169.254" + path,
                                 headers={"X-aws-ec2-metadata-token": token})
    return urllib.request.urlopen(get, timeout=5).read().decode()

def remap_base(kind):
    try:
        remap = json.load(open("/etc/docker/daemon.json")).get("userns-remap")
    except (OSError, ValueError):
        return 0
    if not remap:
        return 0
    user = "dockremap" if remap == "default" else remap.split(":")[0]
    for line in open("/etc/sub" + kind):
        name, start, _ = line.strip().split(":")
        if name == user:
            return int(start)
    sys.exit("dockerhost: userns-remap user %s has no /etc/sub%s range" % (user, kind))

manifests = sys.argv[1:] or sorted(glob.glob("${CLOUD_SECRETS_MANIFESTS}/*.json"))
client = botocore.session.get_session().create_client(
    "ssm", region_name=retried(lambda: imds("/latest/meta-data/placement/region")))
uid_base, gid_base = remap_base("uid"), remap_base("gid")
for path in manifests:
    manifest = json.load(open(path))
    os.makedirs(manifest["dir"], mode=0o700, exist_ok=True)
    for secret in manifest["secrets"]:
        value = retried(lambda: client.get_parameter(
            Name=secret["parameter"], WithDecryption=True))["Parameter"]["Value"]
        final = os.path.join(manifest["dir"], secret["name"])
        fresh = final + ".new"
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o400)
        os.write(fd, value.encode())
        os.close(fd)
        os.chown(fresh, uid_base + manifest["uid"], gid_base + manifest["gid"])
        os.chmod(fresh, 0o400)
        os.rename(fresh, final)
`;

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

/** botocore, where the host lacks it: apt (updating lists a baked image may lack) or dnf. */
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
    ...ENSURE_BOTOCORE,
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
    if (!PARAMETER_NAME.test(s.ssmParameter) || s.ssmParameter.length > 2048)
      problems.push(
        `${field}.cloudSecrets[${i}].ssmParameter: ${JSON.stringify(s.ssmParameter)} is no SSM parameter name. Give its name, e.g. "/shop/prod/db-password".`,
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
