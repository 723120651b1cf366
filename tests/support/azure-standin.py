"""Stand-ins for Azure's side of a host's managed identity on a test guest, stdlib only.

imds:  the managed identity endpoint of Azure's IMDS (GET /metadata/identity/oauth2/token
       ?api-version=...&resource=..., header "Metadata: true", else 400), answering a token
       named after its resource, as "How to use managed identities for Azure resources on an
       Azure VM to acquire an access token" describes the exchange.
azure: over TLS, by Host: a container registry (ACR's token exchange at /oauth2/exchange, its
       /oauth2/token for the null user's Basic auth, and the pull side of the registry API with
       Bearer auth, serving one image from a `docker save` tarball) and a Key Vault (GET
       /secrets/<name>, values read from a JSON file at each request, so a test can rotate one).
Each request is appended to a JSON-lines record.
Usage: azure-standin.py imds <address> <port> <record>
       azure-standin.py azure <address> <port> <record> <cert> <key> <image.tar> <repository>
                              <registry> <vault host> <values.json>
"""
import base64
import importlib.util
import json
import os
import ssl
import sys
import urllib.parse
from http.server import HTTPServer, ThreadingHTTPServer

# The registry and HTTP plumbing the AWS stand-ins already have (aws-standin.py, beside this).
_spec = importlib.util.spec_from_file_location(
    "aws_standin", os.path.join(os.path.dirname(os.path.abspath(__file__)), "aws-standin.py"))
aws = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(aws)

NULL_USER = "00000000-0000-0000-0000-000000000000"
REFRESH = "standin-acr-refresh-token"
ACCESS = "standin-acr-access-token"


def token_for(resource):
    return "standin-mi-token-for-" + resource


def imds_handler(record):
    class Imds(aws.Quiet):
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            aws.record_call(record, {"target": "imds " + url.path, "query": query,
                                     "metadata": self.headers.get("Metadata", "")})
            if self.headers.get("Metadata") != "true":
                return self.reply(400, json.dumps({"error": "invalid_request",
                                                   "error_description": "Required metadata header not specified"}),
                                  "application/json")
            if url.path != "/metadata/identity/oauth2/token" or "resource" not in query:
                return self.reply(404, "")
            self.reply(200, json.dumps({
                "access_token": token_for(query["resource"]),
                "expires_on": "4102444800",
                "resource": query["resource"],
                "token_type": "Bearer",
            }), "application/json")

    return Imds


def azure_handler(record, saved, repository, registry, vault, values):
    manifest, manifest_digest, blobs = aws.image_blobs(saved)
    basic = "Basic " + base64.b64encode(f"{NULL_USER}:{REFRESH}".encode()).decode()

    class Azure(aws.Quiet):
        protocol_version = "HTTP/1.1"

        def form(self):
            length = int(self.headers.get("Content-Length", "0"))
            return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))

        def note(self, **extra):
            aws.record_call(record, {"host": self.headers.get("Host", ""),
                                     "target": f"{self.command} {self.path}",
                                     "authorization": self.headers.get("Authorization", ""), **extra})

        def do_POST(self):
            body = self.form()
            self.note(body=body)
            path = urllib.parse.urlsplit(self.path).path
            if path == "/oauth2/exchange":
                good = (body.get("grant_type") == "access_token" and body.get("service") == registry
                        and body.get("access_token") == token_for("https://containerregistry.azure.net"))
                if not good:
                    return self.reply(401, json.dumps({"errors": [{"code": "UNAUTHORIZED"}]}),
                                      "application/json")
                return self.reply(200, json.dumps({"refresh_token": REFRESH}), "application/json")
            if path == "/oauth2/token" and body.get("refresh_token") == REFRESH:
                return self.reply(200, json.dumps({"access_token": ACCESS}), "application/json")
            self.reply(401, "{}", "application/json")

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            self.note()
            host = self.headers.get("Host", "").split(":")[0]
            auth = self.headers.get("Authorization", "")
            url = urllib.parse.urlsplit(self.path)
            if host == vault:
                if auth != "Bearer " + token_for("https://vault.azure.net"):
                    return self.reply(401, "{}", "application/json")
                name = url.path[len("/secrets/"):] if url.path.startswith("/secrets/") else ""
                known = json.load(open(values))
                if name not in known:
                    return self.reply(404, json.dumps({"error": {"code": "SecretNotFound"}}),
                                      "application/json")
                return self.reply(200, json.dumps({
                    "value": known[name], "id": f"https://{vault}/secrets/{name}/1",
                    "attributes": {"enabled": True},
                }), "application/json")
            if url.path == "/oauth2/token":
                if auth != basic:
                    return self.reply(401, "{}", "application/json")
                return self.reply(200, json.dumps({"access_token": ACCESS}), "application/json")
            version = [("Docker-Distribution-API-Version", "registry/2.0")]
            if auth != "Bearer " + ACCESS:
                challenge = f'Bearer realm="https://{registry}/oauth2/token",service="{registry}"'
                return self.reply(401, "{}", "application/json",
                                  version + [("WWW-Authenticate", challenge)])
            prefix = f"/v2/{repository}/"
            if url.path == "/v2/":
                return self.reply(200, "{}", "application/json", version)
            if url.path.startswith(prefix + "manifests/"):
                return self.reply(200, manifest, "application/vnd.docker.distribution.manifest.v2+json",
                                  version + [("Docker-Content-Digest", manifest_digest)])
            digest = url.path[len(prefix + "blobs/"):] if url.path.startswith(prefix + "blobs/") else ""
            if digest in blobs:
                return self.reply(200, blobs[digest], "application/octet-stream",
                                  version + [("Docker-Content-Digest", digest)])
            self.reply(404, "{}", "application/json", version)

    return Azure


if __name__ == "__main__":
    mode, address, port, record = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    if mode == "imds":
        HTTPServer((address, port), imds_handler(record)).serve_forever()
    cert, key = sys.argv[5:7]
    server = ThreadingHTTPServer((address, port), azure_handler(record, *sys.argv[7:12]))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()
