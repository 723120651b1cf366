import { describe, expect, it } from "@jest/globals";
import { buildCloudConfig } from "../../components/bootstrap/cloud-init";
import {
  METADATA_FORWARD_DROP_IN,
  metadataForwardRules,
  metadataForwardScript,
} from "../../components/bootstrap/metadata-forward";
import type { Cloud, HardeningProfile, HostSpec } from "../../components/bootstrap/types";
import { hostSpecFromArgs } from "../../components/host/host-args";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000";

describe("containers' traffic to the metadata service (DOCKER-USER)", () => {
  it("refuses the metadata addresses everywhere, and the WireServer's agent ports on Azure", () => {
    expect(metadataForwardRules("aws")).toStrictEqual({
      v4: ["-d 169.254.169.254/32 -j REJECT"],
      v6: ["-d fd00:ec2::254/128 -j REJECT"],
    });
    expect(metadataForwardRules("azure").v4).toStrictEqual([
      "-d 169.254.169.254/32 -j REJECT",
      "-d 168.63.129.16/32 -p tcp --dport 80 -j REJECT",
      "-d 168.63.129.16/32 -p tcp --dport 32526 -j REJECT",
    ]);
  });

  it("inserts each rule once, with the chain and FORWARD's jump, and fails the engine's start otherwise", () => {
    expect(metadataForwardScript("local")).toBe(
      [
        "#!/bin/sh",
        "# dockerhost: refuse containers' traffic to the cloud's metadata service",
        "set -eu",
        "command -v iptables >/dev/null 2>&1 || { echo 'dockerhost: iptables is missing: containers'\"'\"' traffic to the metadata service cannot be refused, so the engine does not start' >&2; exit 1; }",
        "{",
        "  iptables -w -N DOCKER-USER 2>/dev/null || true",
        "  iptables -w -C FORWARD -j DOCKER-USER 2>/dev/null || iptables -w -I FORWARD 1 -j DOCKER-USER",
        "  iptables -w -C DOCKER-USER -d 169.254.169.254/32 -j REJECT 2>/dev/null || iptables -w -I DOCKER-USER 1 -d 169.254.169.254/32 -j REJECT",
        "} || { echo 'dockerhost: could not refuse containers'\"'\"' traffic to the metadata service (iptables)' >&2; exit 1; }",
        "if [ -e /proc/net/if_inet6 ] && command -v ip6tables >/dev/null 2>&1; then",
        "  {",
        "    ip6tables -w -N DOCKER-USER 2>/dev/null || true",
        "    ip6tables -w -C FORWARD -j DOCKER-USER 2>/dev/null || ip6tables -w -I FORWARD 1 -j DOCKER-USER",
        "    ip6tables -w -C DOCKER-USER -d fd00:ec2::254/128 -j REJECT 2>/dev/null || ip6tables -w -I DOCKER-USER 1 -d fd00:ec2::254/128 -j REJECT",
        "  } || { echo 'dockerhost: could not refuse containers'\"'\"' traffic to the metadata service (ip6tables)' >&2; exit 1; }",
        "fi",
        "",
      ].join("\n"),
    );
    expect(METADATA_FORWARD_DROP_IN).toBe(
      "# dockerhost: containers cannot reach the cloud's metadata service (the rules go in first)\n[Service]\nExecStartPre=/usr/local/sbin/dockerhost-metadata-forward\n",
    );
  });

  const files = (spec: Partial<HostSpec>, cloud: Cloud = "aws") =>
    (
      buildCloudConfig({
        os: "debian-12",
        arch: "x86_64",
        cloud,
        sshAuthorizedKeys: [KEY],
        ...spec,
      }).write_files as { path: string; permissions?: string }[]
    )
      .filter((f) => f.path.includes("metadata"))
      .map((f) => `${f.path} ${f.permissions ?? ""}`.trim());

  it.each<[HardeningProfile, boolean | undefined, string[]]>([
    [
      "baseline",
      undefined,
      [
        "/usr/local/sbin/dockerhost-metadata-forward 0755",
        "/etc/systemd/system/docker.service.d/20-dockerhost-metadata.conf 0644",
      ],
    ],
    [
      "strict",
      undefined,
      [
        "/usr/local/sbin/dockerhost-metadata-forward 0755",
        "/etc/systemd/system/docker.service.d/20-dockerhost-metadata.conf 0644",
      ],
    ],
    ["baseline", true, []],
    ["off", undefined, []],
  ])("%s, containersReachMetadata %s: %j", (hardening, reach, expected) => {
    expect(files({ hardening, containersReachMetadata: reach })).toStrictEqual(expected);
  });

  it("lets containers through only with AWS's containersNeedImds, and never under strict", () => {
    const spec = (args: Record<string, unknown>) =>
      hostSpecFromArgs({ sshPublicKey: KEY, ...args }, "aws", "debian-12", "x86_64");
    expect(spec({ containersNeedImds: true }).containersReachMetadata).toBe(true);
    expect(spec({ containersNeedImds: true, hardening: "strict" })).not.toHaveProperty(
      "containersReachMetadata",
    );
    expect(spec({})).not.toHaveProperty("containersReachMetadata");
  });
});
