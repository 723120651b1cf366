// Pulls from Azure Container Registry by the VM's managed identity: a Docker credential helper of
// the project's own, as no distribution packages one. It speaks Docker's credential helper
// protocol (docker/docker-credential-helpers: `get` reads the registry on stdin and prints
// {ServerURL, Username, Secret}; an unknown registry prints "credentials not found in native
// keychain" and exits 1), for root's docker CLI, the only user the metadata lockdown lets reach
// Azure's IMDS (metadata-lockdown.ts). Python 3 with its standard library: on every catalog OS.
//
// What it does is ACR's own token exchange, which `az acr login` performs (Azure/acr
// docs/AAD-OAuth.md): an Entra ID access token for ACR's own audience,
// https://containerregistry.azure.net, from the managed identity endpoint of IMDS (a registry
// accepts it always; the ARM audience only while its azureADAuthenticationAsArmPolicy is on, "Disable
// authentication as ARM token"), exchanged at `https://<registry>/oauth2/exchange`
// (grant_type=access_token, service=<registry>, access_token=<token>) for an ACR refresh token,
// which is the password of the null user 00000000-0000-0000-0000-000000000000. The engine then
// trades it for a pull token at the registry's /oauth2/token on each pull. Nothing is stored.

/**
 * A token for `resource` from the managed identity endpoint of Azure's IMDS (header `Metadata:
 * true`; "How to use managed identities for Azure resources on an Azure VM to acquire an access
 * token"), as Python; the Key Vault reader (services/secrets-fetcher.ts) uses it too.
 */
export const MANAGED_IDENTITY_TOKEN_PY = `def managed_identity_token(resource):
    query = urllib.parse.urlencode({"api-version": "2018-02-01", "resource": resource})
    request = urllib.request.Request(
        "http://169.254.169.254/metadata/identity/oauth2/token?" + query, headers={"Metadata": "true"})
    return json.load(urllib.request.urlopen(request, timeout=10))["access_token"]
`;

/**
 * Where the helper lives: on root's PATH under sudo's secure_path on every catalog OS (the pull
 * runs as `sudo docker pull`, and RHEL 9's sudoers, as Fedora's sudo package ships them, set
 * `secure_path = /sbin:/bin:/usr/sbin:/usr/bin`: no /usr/local/bin).
 */
export const ACR_HELPER_PATH = "/usr/bin/docker-credential-dockerhost-acr";

export const ACR_HELPER_SCRIPT = `#!/usr/bin/python3
# dockerhost: Docker credential helper for Azure Container Registry, by the VM's managed identity.
import json, sys, time, urllib.error, urllib.parse, urllib.request

NULL_USER = "00000000-0000-0000-0000-000000000000"

${MANAGED_IDENTITY_TOKEN_PY}
def refresh_token(registry):
    body = urllib.parse.urlencode({
        "grant_type": "access_token",
        "service": registry,
        "access_token": managed_identity_token("https://containerregistry.azure.net"),
    }).encode()
    request = urllib.request.Request("https://%s/oauth2/exchange" % registry, data=body,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    return json.load(urllib.request.urlopen(request, timeout=15))["refresh_token"]

def main():
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action == "list":
        print("{}")
        return
    if action != "get":
        # Nothing is stored: store and erase have nothing to do.
        return
    server = sys.stdin.read().strip()
    registry = server.split("://")[-1].split("/")[0].lower()
    if not registry.endswith(".azurecr.io"):
        print("credentials not found in native keychain")
        sys.exit(1)
    for attempt in range(6):
        try:
            secret = refresh_token(registry)
            break
        except urllib.error.HTTPError as error:
            # A refusal is the grant's to fix (or a new one's to arrive): the host's pull step
            # waits for it, so say "unauthorized" (what it looks for) and stop.
            sys.stderr.write("dockerhost-acr: %s: unauthorized: HTTP %d from %s: %s\\n"
                             % (registry, error.code, error.url.split("?")[0],
                                error.read().decode(errors="replace")[:300]))
            sys.exit(1)
        except Exception as error:
            # At boot IMDS or the network may not answer yet.
            if attempt == 5:
                sys.stderr.write("dockerhost-acr: %s: %s\\n" % (registry, error))
                sys.exit(1)
            time.sleep(5)
    print(json.dumps({"ServerURL": server, "Username": NULL_USER, "Secret": secret}))

main()
`;
