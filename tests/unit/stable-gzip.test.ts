import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { describe, it } from "node:test";
import { EC2_USER_DATA_LIMIT, ec2UserData } from "../../components/aws/ec2-user-data";
import { renderCloudInit } from "../../components/bootstrap/cloud-init";
import { stableGzip } from "../../components/bootstrap/stable-gzip";

// The payload's compression: the same bytes on every machine, and real gzip.

describe("stableGzip", () => {
  it("encodes a known input to known bytes", () => {
    assert.equal(
      stableGzip(Buffer.from("hello hello hello\n")).toString("hex"),
      "1f8b0800000000000003cb48cdc9c9574022b9003b7c8adf12000000",
    );
  });

  it("round-trips through zlib's gunzip: empty, short, repetitive, binary, long-range", () => {
    const cases = [
      Buffer.alloc(0),
      Buffer.from("a"),
      Buffer.from("abcabcabcabcabcabcabcabc".repeat(50)),
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)),
      Buffer.concat([
        Buffer.from("x".repeat(40000)),
        Buffer.from("tail"),
        Buffer.from("x".repeat(300)),
      ]),
    ];
    for (const input of cases)
      assert.ok(gunzipSync(stableGzip(input)).equals(input), `${input.length} bytes`);
  });
});

describe("EC2 user-data", () => {
  const spec = {
    os: "debian-12" as const,
    arch: "x86_64" as const,
    cloud: "aws" as const,
    sshAuthorizedKeys: [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000",
    ],
    hostKey: {
      ed25519Private: `-----BEGIN OPENSSH PRIVATE KEY-----\n${"b".repeat(400)}\n-----END OPENSSH PRIVATE KEY-----\n`,
      ed25519Public: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfTheMockHost0000000000000000000",
    },
  };

  it("sends text that fits as it is", () => {
    const text = renderCloudInit({ ...spec, hardening: "baseline" });
    assert.deepEqual(ec2UserData(text), { userData: text });
  });

  it("gzips a payload over 16 KiB (strict + SELinux on Debian), which cloud-init unpacks", () => {
    const text = renderCloudInit({ ...spec, hardening: "strict", selinux: "enforcing" });
    const sshKeys = Array.from(
      { length: 30 },
      (_, i) => `${spec.sshAuthorizedKeys[0]} ops-${i}@example.com`,
    );
    const bigger = renderCloudInit({
      ...spec,
      sshAuthorizedKeys: sshKeys,
      hardening: "strict",
      selinux: "enforcing",
    });
    assert.ok(
      Buffer.byteLength(bigger) > EC2_USER_DATA_LIMIT,
      `${Buffer.byteLength(bigger)} bytes`,
    );
    for (const t of [text, bigger]) {
      const fields = ec2UserData(t);
      if (fields.userData !== undefined) continue;
      const packed = Buffer.from(fields.userDataBase64 ?? "", "base64");
      assert.ok(packed.length < EC2_USER_DATA_LIMIT / 2, `${packed.length} bytes`);
      assert.equal(gunzipSync(packed).toString(), t);
    }
  });
});
