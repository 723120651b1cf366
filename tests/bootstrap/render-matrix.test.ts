import { about } from "../support/about";
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { renderCloudInit } from "../../components/bootstrap/cloud-init";
import { localBakeUserData, resolveBakeSpec } from "../../components/bootstrap/baked-image";
import { CLOUD_DATA_DISK_DEVICES, OS_CATALOG } from "../../components/bootstrap/os-catalog";
import {
  ARCHES,
  HARDENING_PROFILES,
  OS_NAMES,
  type Arch,
  type Cloud,
  type HardeningProfile,
  type HostSpec,
  type OsName,
  type SelinuxMode,
} from "../../components/bootstrap/types";
import { EC2_USER_DATA_LIMIT, ec2UserData } from "../../components/aws/ec2-user-data";
import {
  nodeAdmitScript,
  nodeRetireScript,
  rejoinTokenScript,
  swarmInitScript,
  swarmJoinScript,
} from "../../components/swarm/swarm-commands";
import { globalConvergedScript } from "../../components/swarm/global-converge";
import { readinessScript } from "../../components/remote/readiness";
import { findOnPath } from "../../components/remote/find-on-path";

// Every OS x arch x profile x cloud (and each SELinux mode), rendered and checked by the real tools: cloud-init's own
// schema validator and shellcheck for every script the document carries.

const CLOUDS: Cloud[] = ["aws", "azure"];
const DISK_ID: Record<Cloud, string> = {
  aws: "vol-0123456789abcdef0",
  azure: "0",
  local: "dockerhost-data",
};

function requireTool(tool: string, args: string[]): void {
  const probe = spawnSync(tool, args, { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${tool} is needed for the bootstrap tests: apt-get install cloud-init shellcheck (or run .ci/run)`,
    );
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-bootstrap-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Rendered {
  label: string;
  text: string;
}

/** Every profile with the mode it implies (unset); each explicit valid mode once (baseline, x86_64). */
function profileAndSelinux(osName: OsName, arch: Arch): [HardeningProfile, SelinuxMode?][] {
  const combos: [HardeningProfile, SelinuxMode?][] = HARDENING_PROFILES.map((h) => [h]);
  if (arch !== "x86_64") return combos;
  const modes: SelinuxMode[] = OS_CATALOG[osName].selinux.available
    ? ["enforcing", "permissive", "disabled", "os-default"]
    : ["disabled", "os-default"];
  return [...combos, ...modes.map((m): [HardeningProfile, SelinuxMode] => ["baseline", m])];
}

function renderAll(): Rendered[] {
  const out: Rendered[] = [];
  for (const cloud of CLOUDS) {
    for (const osName of OS_NAMES) {
      for (const arch of ARCHES) {
        for (const [hardening, selinux] of profileAndSelinux(osName, arch)) {
          const spec: HostSpec = {
            os: osName,
            arch,
            cloud,
            hardening,
            ...(selinux ? { selinux } : {}),
            sshAuthorizedKeys: [
              "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com",
            ],
            hostKey: {
              ed25519Private:
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
              ed25519Public:
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfTheMockHost0000000000000000000",
            },
            dataDisk: { devices: CLOUD_DATA_DISK_DEVICES[cloud](DISK_ID[cloud]) },
          };
          const label = `${cloud}/${osName}/${arch}/${hardening}${selinux ? `/${selinux}` : ""}`;
          out.push({ label, text: renderCloudInit(spec) });
          // The same host from a baked image, and the bake itself (as the local bake boots it):
          // each profile, and enforcing (Debian's policy is baked, its relabel is not).
          if (selinux !== undefined && selinux !== "enforcing") continue;
          out.push({
            label: `${label}/baked`,
            text: renderCloudInit({ ...spec, bakedImage: true }),
          });
          if (cloud === "aws")
            out.push({
              label: `bake/${osName}/${arch}/${hardening}${selinux ? `/${selinux}` : ""}`,
              text: localBakeUserData(
                resolveBakeSpec({ os: osName, arch, cloud, hardening, selinux }),
              ),
            });
          // A swarm member (step 25 forgets an earlier machine's swarm), installed and baked.
          if (osName === "debian-12" && arch === "x86_64" && selinux === undefined) {
            out.push({ label: `${label}/swarm`, text: renderCloudInit({ ...spec, swarm: true }) });
            out.push({
              label: `${label}/swarm/baked`,
              text: renderCloudInit({ ...spec, swarm: true, bakedImage: true }),
            });
          }
        }
      }
    }
  }
  return out;
}

describe("rendered user-data", () => {
  const rendered = renderAll();

  it("passes cloud-init's schema validation, for every OS x arch x profile", async () => {
    requireTool("cloud-init", ["--version"]);
    const files = rendered.map((r) => {
      const file = path.join(work, `${r.label.replace(/\//g, "_")}.yaml`);
      fs.writeFileSync(file, r.text);
      return file;
    });
    // cloud-init's own `schema` handler over every file in a few processes (one per core),
    // by cloud-init's interpreter: a process per file spent most of its time starting up.
    const python = /^#!\s*(\S+)/.exec(fs.readFileSync(findOnPath("cloud-init") ?? "", "utf8"))?.[1];
    const validator = path.join(__dirname, "..", "support", "cloud-init-schema.py");
    const cores = os.availableParallelism();
    const batches = Array.from({ length: cores }, (_, i) =>
      files.filter((_, j) => j % cores === i),
    );
    const outputs = await Promise.all(
      batches.map(
        (batch) =>
          new Promise<string>((resolve) =>
            execFile(
              python ?? "python3",
              [validator, ...batch],
              { maxBuffer: 64 << 20 },
              (_e, out) => resolve(out),
            ),
          ),
      ),
    );
    const verdicts = new Map<string, { status: number; output: string }>();
    for (const out of outputs) {
      let lines: string[] = [];
      for (const line of out.split("\n")) {
        const done = /^@@ (\d+) (.*)$/.exec(line);
        if (!done) lines.push(line);
        else {
          verdicts.set(done[2], { status: Number(done[1]), output: lines.join("\n") });
          lines = [];
        }
      }
    }
    const results = rendered.map((r, i) => ({
      r,
      ...(verdicts.get(files[i]) ?? { status: -1, output: "no verdict from the validator" }),
    }));
    for (const { r, status, output } of results) {
      expect(about(`${r.label}: ${output}`, status)).toStrictEqual(
        about(`${r.label}: ${output}`, 0),
      );
      expect(about(r.label, output)).toEqual(
        about(r.label, expect.stringMatching(/Valid cloud-config/)),
      );
    }
  });

  it("carries only shell scripts that shellcheck passes", () => {
    requireTool("shellcheck", ["--version"]);
    const scripts = new Map<string, string>();
    for (const r of rendered) {
      const doc = parse(r.text) as {
        write_files: { path: string; content: string }[];
        bootcmd?: string[];
      };
      for (const f of doc.write_files.filter((w) => w.path.endsWith(".sh")))
        scripts.set(f.content, `${r.label}:${f.path}`);
      for (const command of doc.bootcmd ?? [])
        scripts.set(`#!/bin/sh\n${command}\n`, `${r.label}:bootcmd`);
    }
    scripts.set(`#!/bin/sh\n${readinessScript()}\n`, "readiness gate");
    // What DockerSwarm runs on its members over SSH, each variant.
    const member = { address: "10.0.1.5", availability: "drain" } as const;
    for (const [label, script] of [
      ["swarm init", swarmInitScript("m1", member, true)],
      ["swarm init with a relay", swarmInitScript("m1", member, false, true)],
      ["swarm join", swarmJoinScript("w1", member, "10.0.1.5")],
      ["swarm rejoin token", rejoinTokenScript("m2")],
      ["swarm admit", nodeAdmitScript("w1", "abc123", member)],
      ["swarm retire", nodeRetireScript("w1", "abc123")],
    ])
      scripts.set(`#!/bin/sh\n${script}\n`, label);
    // SwarmServices' wait for a global service, a whole script of its own.
    scripts.set(globalConvergedScript("app_agent"), "global service converge wait");
    let i = 0;
    for (const [content, label] of scripts) {
      const file = path.join(work, `script-${i++}.sh`);
      fs.writeFileSync(file, content);
      const result = spawnSync("shellcheck", ["--shell=sh", "--severity=style", file], {
        encoding: "utf8",
      });
      expect(about(`${label}\n${result.stdout}`, result.status)).toStrictEqual(
        about(`${label}\n${result.stdout}`, 0),
      );
    }
    expect(
      about(
        `expected the matrix to hold many distinct scripts, got ${scripts.size}`,
        Boolean(scripts.size >= 20),
      ),
    ).toStrictEqual(
      about(`expected the matrix to hold many distinct scripts, got ${scripts.size}`, true),
    );
  });

  it("runs the steps each profile calls for, in order", () => {
    const steps = (label: string) => {
      const doc = parse(rendered.find((r) => r.label === label)?.text ?? "") as {
        write_files: { path: string }[];
      };
      return doc.write_files
        .filter((f) => f.path.startsWith("/usr/local/lib/dockerhost/"))
        .map((f) => path.basename(f.path));
    };
    // packages.sh starts from bootcmd; files-written (last) tells it every file is in place.
    const tail = ["run-steps.sh", "packages.sh", "files-written"];
    expect(steps("aws/debian-12/x86_64/off")).toStrictEqual([
      "20-data-disk.sh",
      "30-await-packages.sh",
      "40-start-engine.sh",
      "90-await-engine.sh",
      ...tail,
    ]);
    expect(steps("aws/debian-12/x86_64/baseline")).toStrictEqual([
      "20-data-disk.sh",
      "30-await-packages.sh",
      "40-start-engine.sh",
      "50-audit-rules.sh",
      "60-reload-sshd.sh",
      "90-await-engine.sh",
      ...tail,
    ]);
    // strict implies enforcing on rhel-9: step 35 sets and checks it.
    expect(steps("aws/rhel-9/arm64/strict")).toStrictEqual([
      "20-data-disk.sh",
      "30-await-packages.sh",
      "35-selinux.sh",
      "40-start-engine.sh",
      "50-audit-rules.sh",
      "60-reload-sshd.sh",
      "70-sysctl.sh",
      "75-strict-os.sh",
      "80-unattended-updates.sh",
      "90-await-engine.sh",
      ...tail,
    ]);
    // AL2023 is locked to its AMI's release: no unattended updater to enable (fixes come with a
    // new image), and no dnf-automatic installed.
    expect(steps("aws/amazon-linux-2023/x86_64/strict")).toStrictEqual([
      "20-data-disk.sh",
      "30-await-packages.sh",
      "35-selinux.sh",
      "40-start-engine.sh",
      "50-audit-rules.sh",
      "60-reload-sshd.sh",
      "70-sysctl.sh",
      "75-strict-os.sh",
      "90-await-engine.sh",
      ...tail,
    ]);
    expect(
      rendered
        .find((r) => r.label === "aws/amazon-linux-2023/x86_64/strict")
        ?.text.includes("dnf-automatic"),
    ).toBe(false);
    // From a baked image: step 30 checks the image, and nothing installs (no packages.sh).
    expect(steps("aws/debian-12/x86_64/baseline/baked")).toStrictEqual([
      "20-data-disk.sh",
      "30-check-image.sh",
      "40-start-engine.sh",
      "50-audit-rules.sh",
      "60-reload-sshd.sh",
      "90-await-engine.sh",
      "run-steps.sh",
      "await-steps.sh",
    ]);
    // A swarm member forgets the swarm state on its data disk before the engine first starts.
    expect(steps("azure/debian-12/x86_64/strict/swarm/baked")).toStrictEqual([
      "20-data-disk.sh",
      "25-swarm-state.sh",
      "30-check-image.sh",
      "40-start-engine.sh",
      "50-audit-rules.sh",
      "60-reload-sshd.sh",
      "70-sysctl.sh",
      "75-strict-os.sh",
      "80-unattended-updates.sh",
      "90-await-engine.sh",
      "run-steps.sh",
      "await-steps.sh",
    ]);
    expect(steps("aws/debian-12/x86_64/off/swarm")).toStrictEqual([
      "20-data-disk.sh",
      "25-swarm-state.sh",
      "30-await-packages.sh",
      "40-start-engine.sh",
      "90-await-engine.sh",
      ...tail,
    ]);
    for (const r of rendered.filter((x) => x.label.endsWith("/baked"))) {
      expect(about(r.label, r.text)).toEqual(
        about(r.label, expect.not.stringMatching(/apt-get -q|dnf -y|dockerhost-packages/)),
      );
    }
  });

  it("fits the clouds' user-data limits (EC2: 16 KiB, gzip'd when larger; Azure: 64 KiB base64)", () => {
    const sent = (r: Rendered): number => {
      if (r.label.startsWith("aws/")) {
        const fields = ec2UserData(r.text);
        return fields.userData !== undefined
          ? Buffer.byteLength(fields.userData)
          : Buffer.from(fields.userDataBase64 ?? "", "base64").length;
      }
      return r.label.startsWith("azure/")
        ? Buffer.from(r.text).toString("base64").length
        : Buffer.byteLength(r.text);
    };
    const limit = (r: Rendered): number =>
      r.label.startsWith("aws/")
        ? EC2_USER_DATA_LIMIT
        : r.label.startsWith("azure/")
          ? 65535
          : Infinity;
    const sizes = new Map<string, number>();
    for (const r of rendered) {
      expect(
        about(`${r.label} sends ${sent(r)} bytes`, Boolean(sent(r) <= limit(r))),
      ).toStrictEqual(about(`${r.label} sends ${sent(r)} bytes`, true));
      sizes.set(r.label, Buffer.byteLength(r.text));
    }
    // Only what needs it is packed: every payload released before SELinux on Debian goes as text.
    for (const r of rendered)
      if (r.label.startsWith("aws/") && Buffer.byteLength(r.text) <= EC2_USER_DATA_LIMIT)
        expect(about(r.label, ec2UserData(r.text).userData)).toStrictEqual(about(r.label, r.text));
    const packed = rendered.filter(
      (r) => r.label.startsWith("aws/") && !ec2UserData(r.text).userData,
    );
    const table = OS_NAMES.map(
      (o) =>
        `${o}: ${HARDENING_PROFILES.map((h) => `${h} ${sizes.get(`aws/${o}/x86_64/${h}`)} B`).join(", ")}`,
    );
    console.log(
      `user-data sizes (aws, x86_64):\n  ${table.join("\n  ")}\n  gzip'd for EC2: ${packed.map((r) => `${r.label} ${r.text.length} -> ${sent(r)} B`).join(", ")}`,
    );
  });

  it("never pipes a download into a shell and never opens a TCP socket", () => {
    for (const r of rendered) {
      expect(about(r.label, r.text)).toEqual(
        about(r.label, expect.not.stringMatching(/curl [^\n|]*\|\s*(sudo )?(ba)?sh/)),
      );
      expect(about(r.label, r.text)).toEqual(about(r.label, expect.not.stringMatching(/tcp:\/\//)));
    }
  });
});
