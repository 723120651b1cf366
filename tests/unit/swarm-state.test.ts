import { describe, expect, it } from "@jest/globals";
import { bootSteps } from "../../components/bootstrap/cloud-init";
import { forgetOldSwarmScript } from "../../components/bootstrap/swarm-state";
import { resolveHostSpec } from "../../components/bootstrap/validate-host";
import type { HostSpec } from "../../components/bootstrap/types";

const host = (extra: Partial<HostSpec>) =>
  resolveHostSpec({
    os: "debian-12",
    arch: "x86_64",
    cloud: "aws",
    sshAuthorizedKeys: [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 t",
    ],
    ...extra,
  });
const names = (spec: Partial<HostSpec>) => bootSteps(host(spec)).map((s) => s.name);
const disk = { devices: ["/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"] };

describe("a swarm member's first boot on a data disk that outlived its machine", () => {
  it("removes the earlier machine's swarm state, and nothing else", () => {
    expect(forgetOldSwarmScript().split("\n")).toStrictEqual([
      "#!/bin/sh",
      "# dockerhost: forget the swarm state an earlier machine left on the data disk",
      "set -eu",
      "if [ -d /var/lib/docker/swarm ]; then",
      '  echo "dockerhost: the data disk holds the swarm state of the machine it came from; removing /var/lib/docker/swarm so that this machine joins as a new node"',
      "  rm -rf /var/lib/docker/swarm",
      "fi",
      "",
    ]);
  });

  it.each([
    ["a swarm member with a data disk", { swarm: true, dataDisk: disk }, true],
    ["a swarm member on its root disk", { swarm: true }, false],
    ["a host that is not a swarm member", { dataDisk: disk }, false],
  ])("runs after the mount and before the engine starts: %s", (_, spec, runs) => {
    const steps = names(spec);
    expect(steps.includes("25-swarm-state.sh")).toBe(runs);
    if (runs)
      expect(steps.slice(0, 3)).toStrictEqual([
        "20-data-disk.sh",
        "25-swarm-state.sh",
        "30-await-packages.sh",
      ]);
  });
});
