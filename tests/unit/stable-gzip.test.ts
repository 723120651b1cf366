import { about } from "../support/about";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "@jest/globals";
import { EC2_USER_DATA_LIMIT, ec2UserData } from "../../components/aws/ec2-user-data";
import { renderCloudInit } from "../../components/bootstrap/cloud-init";
import { stableGzip } from "../../components/bootstrap/stable-gzip";
import { shippedPolicy } from "../../components/bootstrap/selinux-activation";
import { createHash } from "node:crypto";

const POLICY_GZIP_SHA256 = "f69a64b15ff68a44cbb638dcaa1e62c8a34e7ee3ce281e2627ceed4155e903bc";

// The payload's compression: the same bytes on every machine, and real gzip.

describe("stableGzip", () => {
  it("encodes a known input to known bytes", () => {
    expect(stableGzip(Buffer.from("hello hello hello\n")).toString("hex")).toBe(
      "1f8b0800000000000203cb48cdc9c9574022b9003b7c8adf12000000",
    );
  });

  it("gives a whole payload the same bytes on every run and machine (pinned by digest)", () => {
    // The policy module of the SELinux payload is the largest thing the hosts ship gzip'd; if a
    // fflate upgrade changed these bytes, every such host would be replaced on the next up.
    const packed = stableGzip(Buffer.from(shippedPolicy()));
    expect(createHash("sha256").update(packed).digest("hex")).toBe(POLICY_GZIP_SHA256);
    expect(stableGzip(Buffer.from(shippedPolicy())).equals(packed)).toBe(true);
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
      expect(
        about(`${input.length} bytes`, Boolean(gunzipSync(stableGzip(input)).equals(input))),
      ).toStrictEqual(about(`${input.length} bytes`, true));
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
    expect(ec2UserData(text)).toStrictEqual({ userData: text });
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
    expect(
      about(
        `${Buffer.byteLength(bigger)} bytes`,
        Boolean(Buffer.byteLength(bigger) > EC2_USER_DATA_LIMIT),
      ),
    ).toStrictEqual(about(`${Buffer.byteLength(bigger)} bytes`, true));
    for (const t of [text, bigger]) {
      const fields = ec2UserData(t);
      if (fields.userData !== undefined) continue;
      const packed = Buffer.from(fields.userDataBase64 ?? "", "base64");
      expect(
        about(`${packed.length} bytes`, Boolean(packed.length < EC2_USER_DATA_LIMIT / 2)),
      ).toStrictEqual(about(`${packed.length} bytes`, true));
      expect(gunzipSync(packed).toString()).toBe(t);
    }
  });
});
