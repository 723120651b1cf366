"""Stand-ins for two AWS services on a test guest, stdlib only (the guest's python3).

imds: the instance metadata service's IMDSv2 token and the instance profile's credentials, as
      EC2 serves them ("Retrieve security credentials from instance metadata", EC2 User Guide).
logs: CloudWatch Logs' JSON protocol (X-Amz-Target: Logs_20140328.<Action>); each request is
      appended to a JSON-lines record with the headers that show who signed it.
ecr:  over TLS, ECR's GetAuthorizationToken (X-Amz-Target:
      AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken) and, for the same name's
      registry, the pull side of the registry API with Basic auth, serving one image made from a
      `docker save` tarball (its layers gzip'd, as a registry stores them).
Usage: aws-standin.py imds <address> <port>
       aws-standin.py logs <address> <port> <record>
       aws-standin.py ecr <address> <port> <record> <cert> <key> <image.tar> <repository>
       aws-standin.py ssm <address> <port> <record> <cert> <key> <values.json>
ssm:  over TLS, Parameter Store's GetParameter (X-Amz-Target: AmazonSSM.GetParameter), each
      value read from a JSON file at each request, so that a test can rotate it.
"""
import base64
import gzip
import hashlib
import json
import ssl
import sys
import tarfile
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

TOKEN = "standin-imds-token"
ROLE = "dockerhost-standin-role"
CREDENTIALS = {
    "Code": "Success",
    "LastUpdated": "2026-01-01T00:00:00Z",
    "Type": "AWS-HMAC",
    "AccessKeyId": "ASIASTANDIN000000001",
    "SecretAccessKey": "standin-secret-access-key",
    "Token": "standin-session-token",
    "Expiration": "2099-01-01T00:00:00Z",
}


REGISTRY_PASSWORD = "standin-registry-password"


class Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain", headers=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class Imds(Quiet):
    def do_PUT(self):
        if self.path != "/latest/api/token":
            return self.reply(404, "")
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "21600")
        self.reply(200, TOKEN, headers=[("X-aws-ec2-metadata-token-ttl-seconds", ttl)])

    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
            return self.reply(401, "")
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == "/latest/meta-data/placement/region":
            return self.reply(200, "eu-west-1")
        if self.path == base:
            return self.reply(200, ROLE)
        if self.path == base + ROLE:
            return self.reply(200, json.dumps(CREDENTIALS), "application/json")
        self.reply(404, "")


def logs_handler(record):
    class Logs(Quiet):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            target = self.headers.get("X-Amz-Target", "")
            with open(record, "a") as out:
                out.write(json.dumps({
                    "target": target,
                    "authorization": self.headers.get("Authorization", ""),
                    "securityToken": self.headers.get("X-Amz-Security-Token", ""),
                    "body": body,
                }) + "\n")
            reply = {"nextSequenceToken": "1"} if target.endswith(".PutLogEvents") else {}
            self.reply(200, json.dumps(reply), "application/x-amz-json-1.1")

    return Logs


def record_call(record, entry):
    with open(record, "a") as out:
        out.write(json.dumps(entry) + "\n")


def image_blobs(saved):
    """The manifest and blobs of the first image in a `docker save` tarball (legacy layout)."""
    sha = lambda data: "sha256:" + hashlib.sha256(data).hexdigest()
    with tarfile.open(saved) as tar:
        entry = json.load(tar.extractfile("manifest.json"))[0]
        config = tar.extractfile(entry["Config"]).read()
        layers = [gzip.compress(tar.extractfile(l).read(), mtime=0) for l in entry["Layers"]]
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": len(config),
            "digest": sha(config),
        },
        "layers": [{
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": len(layer),
            "digest": sha(layer),
        } for layer in layers],
    }).encode()
    blobs = {sha(b): b for b in [config, *layers]}
    return manifest, sha(manifest), blobs


def ssm_handler(record, values):
    class Ssm(Quiet):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            record_call(record, {
                "target": self.headers.get("X-Amz-Target", ""),
                "authorization": self.headers.get("Authorization", ""),
                "securityToken": self.headers.get("X-Amz-Security-Token", ""),
                "body": body,
            })
            name = body.get("Name", "")
            known = json.load(open(values))
            if name not in known:
                return self.reply(400, json.dumps({"__type": "ParameterNotFound", "message": name}),
                                  "application/x-amz-json-1.1")
            self.reply(200, json.dumps({"Parameter": {
                "Name": name, "Type": "SecureString", "Value": known[name], "Version": 1,
                "ARN": "arn:aws:ssm:eu-west-1:123456789012:parameter/" + name.lstrip("/"),
                "DataType": "text",
            }}), "application/x-amz-json-1.1")

    return Ssm


def ecr_handler(record, saved, repository):
    manifest, manifest_digest, blobs = image_blobs(saved)
    basic = "Basic " + base64.b64encode(f"AWS:{REGISTRY_PASSWORD}".encode()).decode()

    class Ecr(Quiet):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            target = self.headers.get("X-Amz-Target", "")
            record_call(record, {
                "target": target,
                "authorization": self.headers.get("Authorization", ""),
                "securityToken": self.headers.get("X-Amz-Security-Token", ""),
                "body": body,
            })
            registry = (body.get("registryIds") or ["123456789012"])[0]
            token = base64.b64encode(f"AWS:{REGISTRY_PASSWORD}".encode()).decode()
            self.reply(200, json.dumps({"authorizationData": [{
                "authorizationToken": token,
                "expiresAt": 4102444800,
                "proxyEndpoint": f"https://{registry}.dkr.ecr.eu-west-1.amazonaws.com",
            }]}), "application/x-amz-json-1.1")

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            auth = self.headers.get("Authorization", "")
            record_call(record, {"target": f"registry {self.command} {self.path}", "authorization": auth})
            version = [("Docker-Distribution-API-Version", "registry/2.0")]
            if auth != basic:
                return self.reply(401, "{}", "application/json",
                                  version + [("WWW-Authenticate", 'Basic realm="stand-in ECR"')])
            prefix = f"/v2/{repository}/"
            if self.path == "/v2/":
                return self.reply(200, "{}", "application/json", version)
            if self.path.startswith(prefix + "manifests/"):
                return self.reply(200, manifest, "application/vnd.docker.distribution.manifest.v2+json",
                                  version + [("Docker-Content-Digest", manifest_digest)])
            digest = self.path[len(prefix + "blobs/"):] if self.path.startswith(prefix + "blobs/") else ""
            if digest in blobs:
                return self.reply(200, blobs[digest], "application/octet-stream",
                                  version + [("Docker-Content-Digest", digest)])
            self.reply(404, "{}", "application/json", version)

    return Ecr


if __name__ == "__main__":
    mode, address, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode in ("ecr", "ssm"):
        record, cert, key = sys.argv[4:7]
        handler = ecr_handler(record, *sys.argv[7:9]) if mode == "ecr" else ssm_handler(record, sys.argv[7])
        server = ThreadingHTTPServer((address, port), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.serve_forever()
    handler = Imds if mode == "imds" else logs_handler(sys.argv[4])
    HTTPServer((address, port), handler).serve_forever()
