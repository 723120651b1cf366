import { MANAGED_IDENTITY_TOKEN_PY } from "../bootstrap/acr-credential-helper";

// The host's fetcher of containers' secrets (cloud-secrets.ts), Python 3: every catalog OS has
// it (cloud-init is Python). Each store is read with the host's own identity, as root, the only
// user the metadata lockdown lets reach the metadata service (bootstrap/metadata-lockdown.ts):
//
// - SSM Parameter Store (AWS) through botocore (the AWS SDK's core, a distribution package:
//   Debian's and Ubuntu's python3-botocore, Amazon Linux's), whose credential chain finds the
//   instance profile through IMDSv2; the region comes from IMDS. Imported only when a manifest
//   names a parameter, so an Azure host needs no AWS package.
// - Key Vault (Azure) with the standard library: a token for https://vault.azure.net from the
//   managed identity endpoint of Azure's IMDS (header `Metadata: true`; "How to use managed
//   identities for Azure resources on an Azure VM to acquire an access token"), then Key Vault's
//   Get Secret (`GET <vault>/secrets/<name>?api-version=7.4`, the answer's `value`). A new role
//   assignment may take up to 10 minutes to be honoured (Azure RBAC troubleshooting, "Role
//   assignment changes are not being detected"): a refusal (401/403) is tried again for that
//   long, and the last answer's body (Key Vault's reason, e.g. ForbiddenByRbac) is printed.
//
// Under userns-remap the container's uid 0 is the remap range's first id on the host
// (/etc/subuid's dockremap line), so the owner is shifted by it. Each file is written beside its
// final name, then renamed over it.

/** Where the manifests are, one per container (cloud-secrets.ts secretsManifest). */
export const CLOUD_SECRETS_MANIFESTS = "/etc/dockerhost/secrets";

/** How long a refused Key Vault read is tried again: Azure's bound for a new role assignment. */
export const KEY_VAULT_GRANT_WAIT_SECONDS = 600;

export const FETCHER_SCRIPT = `#!/usr/bin/python3
# dockerhost: containers' secrets from the cloud's store, read with the host's own identity.
import glob, json, os, sys, time, urllib.error, urllib.parse, urllib.request

def retried(call, attempts=12, pause=5):
    # At boot the metadata service or the network may not answer yet: a minute of tries.
    for attempt in range(attempts):
        try:
            return call()
        except Exception:
            if attempt == attempts - 1:
                raise
            time.sleep(pause)

def imds(path):
    put = urllib.request.Request("http://169.254.169.254/latest/api/token", method="PUT",
                                 headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    token = urllib.request.urlopen(put, timeout=5).read().decode()
    get = urllib.request.Request("http://169.254.169.254" + path,
                                 headers={"X-aws-ec2-metadata-token": token})
    return urllib.request.urlopen(get, timeout=5).read().decode()

class ParameterStore:
    def __init__(self):
        import botocore.session
        self.client = botocore.session.get_session().create_client(
            "ssm", region_name=retried(lambda: imds("/latest/meta-data/placement/region")))

    def read(self, name):
        return retried(lambda: self.client.get_parameter(
            Name=name, WithDecryption=True))["Parameter"]["Value"]

${MANAGED_IDENTITY_TOKEN_PY}
def key_vault(url):
    # A refusal (401/403) may be a new grant not yet honoured: ten minutes of tries. Throttling
    # (429) and Key Vault's own errors (5xx) are tried as long; a network error (a mistyped or
    # deleted vault's name resolves nowhere) a minute. The last answer's body says why.
    refusals = others = 0
    while True:
        try:
            token = retried(lambda: managed_identity_token("https://vault.azure.net"))
            request = urllib.request.Request(url + "?api-version=7.4",
                                             headers={"Authorization": "Bearer " + token})
            return json.load(urllib.request.urlopen(request, timeout=15))["value"]
        except urllib.error.HTTPError as error:
            refusals += 1
            if error.code not in (401, 403, 429) and error.code < 500 or refusals >= ${KEY_VAULT_GRANT_WAIT_SECONDS / 10}:
                sys.exit("dockerhost: %s: HTTP %d: %s" % (url, error.code, error.read().decode(errors="replace")[:500]))
        except urllib.error.URLError as error:
            others += 1
            if others >= 6:
                sys.exit("dockerhost: %s: %s" % (url, error.reason))
        time.sleep(10)

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
parameters = None
uid_base, gid_base = remap_base("uid"), remap_base("gid")
for path in manifests:
    manifest = json.load(open(path))
    os.makedirs(manifest["dir"], mode=0o700, exist_ok=True)
    for secret in manifest["secrets"]:
        if "keyVaultSecret" in secret:
            value = key_vault(secret["keyVaultSecret"])
        else:
            parameters = parameters or ParameterStore()
            value = parameters.read(secret["parameter"])
        final = os.path.join(manifest["dir"], secret["name"])
        fresh = final + ".new"
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o400)
        os.write(fd, value.encode())
        os.close(fd)
        os.chown(fresh, uid_base + manifest["uid"], gid_base + manifest["gid"])
        os.chmod(fresh, 0o400)
        os.rename(fresh, final)
`;
