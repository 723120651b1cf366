import { METADATA_PROBE_BODY, probeMetadataReach } from "../support/metadata-standin";
import {
  STANDIN_CREDENTIALS,
  STANDIN_GROUP,
  proveShippedLogs,
} from "../support/cloudwatch-standin";
import { STANDIN_REGISTRY, STANDIN_REPOSITORY, proveEcrPull } from "../support/ecr-standin";
import { SECRET_PARAMETER, proveSecretFile } from "../support/ssm-standin";
import { proveSyslogShipping } from "../support/syslog-shipping";
import { ACR_REPOSITORY, ACR_SERVER, proveAzureIdentity } from "../support/azure-identity-standin";
import { azureBastionProxyCommand } from "../../components/remote/bastion-proxy";
import { about } from "../support/about";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it, jest } from "@jest/globals";
import { buildDaemonConfig } from "../../components/bootstrap/daemon-config";
import { DATA_DISK_SERIAL } from "../../components/local/vm-config";
import { DEBIAN_IMAGE_NAME, ensureBaseImage, markFile } from "../../components/local/base-image";
import {
  aliasKnownHostsLine,
  workstationFiles,
  workstationNames,
  type WorkstationEntry,
} from "../../components/remote/workstation";
import {
  WEB_BODY,
  WEB_IMAGE,
  WORKSTATION_CLI,
  buildWebImageTarball,
  deployWebContainer,
  runCli,
  teardownGuest,
  type BootedGuest,
} from "../support/guest-boot";
import {
  GuestSession,
  httpGet,
  makeKey,
  seconds,
  waitFor,
  type KeyPair,
} from "../support/guest-session";
import { describeVm } from "../support/describe-vm";
import { deployApp, redeployContainer, runAppContainer, type TestApp } from "../support/app-deploy";
import { appNetworks, dockerObjectName } from "../../components/services/app-topology";
import { builtImageRepository } from "../../components/services/build-context";
import { composeServices } from "../../components/services/compose-app";
import { appProblems } from "../../components/services/validate-app";
import type { ContainerSpec } from "../../components/core/container-spec";
import { DEBIAN_AUDIT_RULES, startHostGuest, type HostGuest } from "../support/host-guest";
import { ensureBakedGuestImage, type BakedGuest } from "../support/baked-guest";
import { itIsReplacedByABakedHost } from "../support/baked-replacement";
import { ensureGuestImage, publishImageSite } from "../support/guest-image";
import { serveDirectory, type FileSite } from "../support/file-site";
import { SESSION_TARGET, proveSessionTransport } from "../support/session-proof";

// The whole pattern on a real Debian 12 guest: the debian-12 user-data as LocalDockerHost renders
// it, booted by the command the local stack's resources run (vm-cli, which first fetches the
// base image from an image site on 127.0.0.1 standing in for Debian's and verifies it), containers
// deployed over ssh:// with the docker CLI (the transport @pulumi/docker uses), the workstation's
// Docker context, apps of several services, the engine's restart; then the host is replaced by one
// from the baked image on its data disk (baked beside the deploy checks), which reboots, and the
// destroy path.

const execFileAsync = promisify(execFile);

/** What a file is now: its hash, or "absent". */
function fileState(file: string): string {
  return fs.existsSync(file)
    ? createHash("sha256").update(fs.readFileSync(file)).digest("hex")
    : "absent";
}

const MINUTE = 60_000;

// Each wait inside is bounded and named (waitFor); this bounds every test and hook of the file.
// 30 minutes: the first hook boots the cold host; the replacement may wait for the bake.
jest.setTimeout(30 * MINUTE);

describeVm("a local Debian 12 guest with the debian-12 user-data", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-vm-"));
  let guest: BootedGuest | undefined;
  let session: GuestSession;
  let hostKey: KeyPair;
  let webPort = 0;
  const timings: Record<string, number> = {};
  let site: FileSite | undefined;
  let siteDir = "";
  const imageFile = path.join(work, "images", DEBIAN_IMAGE_NAME);
  // The workstation as the local stack leaves it, in this test's own directories: the state dir
  // (~/.dockerhost), a Docker config dir, and the user's ~/.ssh/config holding the one Include line.
  const sshDir = path.join(work, "state", "ssh");
  const { alias, context } = workstationNames("local", "vmtest");
  const userKnownHosts = path.join(os.homedir(), ".ssh", "known_hosts");
  const userKnownHostsBefore = fileState(userKnownHosts);
  const workstationEnv = (): NodeJS.ProcessEnv => {
    const bin = path.join(work, "workstation-bin");
    const userConfig = path.join(work, "workstation-ssh-config");
    if (!fs.existsSync(bin)) {
      fs.mkdirSync(bin);
      fs.writeFileSync(userConfig, `Include ${sshDir}/*.conf\n`);
      const realSsh = spawnSync("sh", ["-c", "command -v ssh"], { encoding: "utf8" }).stdout.trim();
      // OpenSSH reads ~/.ssh/config from the passwd home, not $HOME: -F stands in for it.
      fs.writeFileSync(
        path.join(bin, "ssh"),
        `#!/bin/sh\nexec ${realSsh} -F ${userConfig} "$@"\n`,
        {
          mode: 0o755,
        },
      );
      fs.mkdirSync(path.join(work, "workstation-docker"));
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      DOCKER_CONFIG: path.join(work, "workstation-docker"),
    };
    // Nothing but the context names the engine.
    delete env.DOCKER_HOST;
    delete env.DOCKER_CONTEXT;
    return env;
  };
  const dockerOnWorkstation = async (args: string[], timeoutMs = 120_000): Promise<string> =>
    (
      await execFileAsync("docker", args, {
        env: workstationEnv(),
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      })
    ).stdout;
  const removeWorkstation = () =>
    runCli(WORKSTATION_CLI, `remove ${sshDir} ${alias} ${context}`, { env: workstationEnv() });

  let cold: HostGuest | undefined;
  let bake: Promise<BakedGuest> = Promise.reject(new Error("the bake did not start"));
  bake.catch(() => undefined);

  beforeAll(async () => {
    siteDir = publishImageSite(ensureGuestImage(), (l) => console.log(l));
    site = await serveDirectory(siteDir);
    cold = await startHostGuest("vmtest", work, "baseline", "os-default", { imageSite: site.url });
    ({ guest, session, hostKey, webPort } = cold);
    Object.assign(timings, cold.timings);
    // The bake is asked for once the cold host is up, and runs beside this file's deploy checks.
    // In a full run strict-host's file has usually made it already (its strict bake is made on
    // this one, from the run's start), and this is a lookup or a wait on the bake's lock. Only
    // the replacement waits for it; a failed bake fails only the replacement's tests.
    const bakeStarted = Date.now();
    bake = ensureBakedGuestImage("baseline").then((b) => {
      timings.bake = b.baked.reused ? b.baked.bakeSeconds : seconds(bakeStarted);
      return b;
    });
    bake.catch(() => undefined);
  });

  afterAll(async () => {
    if (guest) await teardownGuest(guest);
    await removeWorkstation().catch(() => undefined);
    await site?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("fetched its base image from the image site, verified against SHA512SUMS, and reuses it", async () => {
    expect(site?.requests).toStrictEqual(["/SHA512SUMS", `/${DEBIAN_IMAGE_NAME}`]);
    const fetched = new RegExp(`local image ${imageFile}: downloaded in ([\\d.]+) s`).exec(
      guest?.viaCli?.startLog ?? "",
    );
    expect(fetched).not.toBe(null);
    timings.imageFetch = Number(fetched?.[1]);
    const published = fs.readFileSync(path.join(siteDir, "SHA512SUMS"), "utf8");
    expect(fs.readFileSync(markFile(imageFile), "utf8")).toBe(published);
    expect(await ensureBaseImage(imageFile, site?.url ?? "", () => undefined)).toBe("reused");
    expect(site?.requests).toHaveLength(2);
  });

  it("finishes cloud-init without errors, every step logged", async () => {
    const status = JSON.parse(await session.ssh("cloud-init status --format json")) as {
      status: string;
      errors: string[];
    };
    expect(status.status).toBe("done");
    expect(status.errors).toStrictEqual([]);
    const log = await session.ssh("sudo cat /var/log/cloud-init-output.log");
    for (const step of ["20-data-disk.sh", "30-await-packages.sh", "40-start-engine.sh"])
      expect(log).toMatch(new RegExp(`dockerhost: step ${step} done in \\d+ s`));
    expect(log).toMatch(/dockerhost: bootstrap finished after/);
    const warnings = await session.ssh(
      "sudo grep -c -E 'WARNING|ERROR' /var/log/cloud-init.log || true",
    );
    expect(about("cloud-init.log has warnings or errors", warnings.trim())).toStrictEqual(
      about("cloud-init.log has warnings or errors", "0"),
    );
  });

  it("prints the guest timings: boot to cloud-init, engine installed, engine running", async () => {
    const monotonic = async (unit: string, prop: string) =>
      Number((await session.ssh(`systemctl show -p ${prop} --value ${unit}`)).trim()) / 1e6;
    timings.cloudInitStart = await monotonic(
      "cloud-init-local.service",
      "InactiveExitTimestampMonotonic",
    );
    timings.engineInstalled = await monotonic(
      "dockerhost-packages.service",
      "ActiveEnterTimestampMonotonic",
    );
    timings.engineRunning = await monotonic("docker.service", "ActiveEnterTimestampMonotonic");
    expect(
      timings.cloudInitStart > 0 && timings.engineInstalled > timings.cloudInitStart,
    ).toBeTruthy();
    expect(timings.engineRunning >= timings.engineInstalled).toBeTruthy();
  });

  it("got the engine from Debian's mirror, and it runs", async () => {
    const policy = await session.ssh("apt-cache policy docker.io");
    const installed = /Installed: (\S+)/.exec(policy)?.[1];
    expect(about(policy, Boolean(installed && installed !== "(none)"))).toStrictEqual(
      about(policy, true),
    );
    const table = policy.split("Version table:")[1] ?? "";
    const ours = table.split(/\n(?= {5}\S| \*\*\* )/).find((b) => b.includes(`*** ${installed}`));
    expect(about(policy, ours ?? "")).toEqual(
      about(
        policy,
        expect.stringMatching(/http:\/\/deb\.debian\.org\/debian(-security)? bookworm/),
      ),
    );
    expect((await session.ssh("systemctl is-active docker.service")).trim()).toBe("active");
  });

  it("presents the host key that was generated and pinned", async () => {
    const presented = await session.presentedHostKey();
    expect(presented).toBe(hostKey.publicKey.split(/\s+/).slice(0, 2).join(" "));
    const onDisk = await session.ssh("ls /etc/ssh/ | grep '^ssh_host_.*_key$'");
    expect(onDisk.trim().split("\n")).toStrictEqual(["ssh_host_ed25519_key"]);
  });

  it("keeps the host key's carriers from everyone but root: metadata service and cloud-init's copies", async () => {
    const rules = await session.ssh("ip rule show; ip -6 rule show");
    expect(rules).toMatch(/to 169\.254\.169\.254 uidrange 1-4294967294 prohibit/);
    expect(rules).toMatch(/to fd00:ec2::254 uidrange 1-4294967294 prohibit/);
    // The kernel's own answer, without a packet: root's sockets get a route, the login user's
    // are prohibited. No request goes to the address: this guest has no metadata
    // service, and its user-mode network must not carry one anywhere else.
    expect(await session.ssh("ip route get 169.254.169.254 uid 0")).toMatch(/dev eth0/);
    expect(await session.ssh("ip route get 169.254.169.254 uid $(id -u) 2>&1 || true")).toMatch(
      /Permission denied/,
    );
    // And as the login user's own socket sees it: refused before anything is sent (EACCES).
    const connect = await session.ssh(
      `python3 -c "import socket; s = socket.socket(); s.settimeout(5); s.connect(('169.254.169.254', 80))" 2>&1 || true`,
    );
    expect(connect).toMatch(/PermissionError: \[Errno 13\]/);
    expect((await session.ssh("stat -c %a /var/lib/cloud/instances")).trim()).toBe("700");
    const readable = await session.ssh(
      "grep -rlsI 'OPENSSH PRIVATE KEY' /var/lib/cloud /run/cloud-init /var/log /etc /tmp /home || true",
    );
    expect(
      about("files the login user can read hold a private key", readable.trim()),
    ).toStrictEqual(about("files the login user can read hold a private key", ""));
  });

  it("runs the engine with the baseline daemon.json and no TCP socket", async () => {
    const daemon = JSON.parse(await session.ssh("cat /etc/docker/daemon.json")) as object;
    expect(daemon).toStrictEqual(
      buildDaemonConfig({ hardening: "baseline", selinuxEnabled: false }),
    );
    const info = JSON.parse(await session.docker(["info", "--format", "{{json .}}"])) as {
      LiveRestoreEnabled: boolean;
      SecurityOptions: string[];
      LoggingDriver: string;
      DockerRootDir: string;
    };
    expect(info.LiveRestoreEnabled).toBe(true);
    expect(info.DockerRootDir).toBe("/var/lib/docker");
    expect(
      about(
        `${info.SecurityOptions}`,
        Boolean(info.SecurityOptions.some((o) => o.includes("apparmor"))),
      ),
    ).toStrictEqual(about(`${info.SecurityOptions}`, true));
    expect(
      about(
        `${info.SecurityOptions}`,
        Boolean(info.SecurityOptions.some((o) => o.includes("seccomp"))),
      ),
    ).toStrictEqual(about(`${info.SecurityOptions}`, true));
    const icc = await session.docker([
      "network",
      "inspect",
      "bridge",
      "--format",
      '{{index .Options "com.docker.network.bridge.enable_icc"}}',
    ]);
    expect(icc.trim()).toBe("false");
    // Nothing but sshd listens on TCP: no engine socket, no containerd CRI stream port.
    const listeners = await session.ssh("sudo ss -Htlnp");
    const others = listeners.split("\n").filter((l) => l.trim() && !l.includes('"sshd"'));
    expect(about(listeners, others)).toStrictEqual(about(listeners, []));
  });

  it("applies the baseline table's host items, each checked with its verify command from docs/security.md", async () => {
    // sshd: `sudo sshd -T | grep -E 'passwordauth|permitroot|maxauthtries'`
    const sshd = await session.ssh("sudo sshd -T");
    for (const line of [
      "passwordauthentication no",
      "kbdinteractiveauthentication no",
      "permitrootlogin no",
      "maxauthtries 4",
      "x11forwarding no",
      "allowagentforwarding no",
    ])
      expect(about(line, sshd)).toEqual(
        about(line, expect.stringMatching(new RegExp(`^${line}$`, "m"))),
      );
    // auditd: `sudo auditctl -l | grep docker` — exactly the rules for what exists on Debian 12.
    const rules = (await session.ssh("sudo auditctl -l"))
      .trim()
      .split("\n")
      .filter((l) => l.includes("docker"));
    expect(rules).toStrictEqual(DEBIAN_AUDIT_RULES);
    // log rotation: `docker info --format '{{.LoggingDriver}}'`
    expect((await session.docker(["info", "--format", "{{.LoggingDriver}}"])).trim()).toBe(
      "json-file",
    );
    // containerd: no CRI plugin (the reason it opens no port)
    expect(await session.ssh("cat /etc/containerd/config.toml")).toMatch(
      /disabled_plugins = \["io\.containerd\.grpc\.v1\.cri"\]/,
    );
  });

  it("keeps /var/lib/docker on its own disk", async () => {
    const source = (await session.ssh("findmnt -n -o SOURCE /var/lib/docker")).trim();
    const dataDevice = (
      await session.ssh(`readlink -f /dev/disk/by-id/virtio-${DATA_DISK_SERIAL}`)
    ).trim();
    const root = (await session.ssh("findmnt -n -o SOURCE /")).trim();
    expect(source).toBe(dataDevice);
    expect(source).not.toBe(root);
    expect(await session.ssh("cat /etc/fstab")).toMatch(/^UUID=\S+ \/var\/lib\/docker ext4 /m);
  });

  it("deploys a container over ssh:// and answers HTTP on 127.0.0.1", async () => {
    const tarball = buildWebImageTarball(work);
    await deployWebContainer(session, tarball);
    const body = await waitFor("the container's port to answer", 2 * MINUTE, () =>
      httpGet(webPort),
    );
    timings.firstContainer = seconds(guest?.startedAt ?? 0);
    expect(body).toBe(WEB_BODY);
    const noNewPrivs = await session.docker([
      "exec",
      "web",
      "/bin/busybox",
      "grep",
      "NoNewPrivs",
      "/proc/self/status",
    ]);
    expect(noNewPrivs).toMatch(/NoNewPrivs:\s+1/);
    // The table's container row, with its verify command: caps, no-new-privileges, memory.
    const hostConfig = await session.docker([
      "inspect",
      "-f",
      "{{.HostConfig.CapDrop}} {{.HostConfig.SecurityOpt}} {{.HostConfig.Memory}}",
      "web",
    ]);
    expect(hostConfig.trim()).toBe(`[ALL] [no-new-privileges] ${64 * 1024 * 1024}`);
    const id = (await session.docker(["inspect", "-f", "{{.Id}}", "web"])).trim();
    const tasksMax = await session.ssh(`systemctl show -p TasksMax --value docker-${id}.scope`);
    // A reboot stops the scope within Docker's 10 s grace, not systemd's 90 s.
    expect((await session.ssh(`systemctl show -P TimeoutStopUSec docker-${id}.scope`)).trim()).toBe(
      "10s",
    );
    expect(about("the per-container pids limit (TasksMax drop-in)", tasksMax.trim())).toStrictEqual(
      about("the per-container pids limit (TasksMax drop-in)", "1024"),
    );
  });

  it("refuses a container's connection to the metadata address, while root on the host still reaches it", async () => {
    const reach = await probeMetadataReach(session, "web");
    expect(
      about("root on the host reaches the stand-in metadata service", reach.hostRoot),
    ).toStrictEqual(
      about("root on the host reaches the stand-in metadata service", METADATA_PROBE_BODY),
    );
    console.log(`metadata probe: container: ${reach.container}\n${reach.dockerUser}`);
    expect(reach.container).not.toContain(METADATA_PROBE_BODY);
    expect(reach.container).not.toMatch(/exit=0$/);
    // The refusal is the DOCKER-USER rule's: it is there, and its packet counter moved.
    const rule = reach.dockerUser.split("\n").find((l) => l.includes("169.254.169.254"));
    expect(rule).toMatch(/^\s*[1-9]\d*\s+\d+\s+REJECT\s/);
  });

  it("ships a container's logs with the awslogs options an AWS host's daemon.json gets, signed with the instance profile's credentials (stand-ins for IMDSv2 and CloudWatch Logs)", async () => {
    const started = Date.now();
    const proof = await proveShippedLogs(session, WEB_IMAGE, ["shipped-one", "shipped-two"]);
    console.log(
      `shipped logs: ${proof.calls.map((c) => c.target.split(".").pop()).join(", ")} in ${seconds(started)} s`,
    );
    const stream = `shipped/${proof.id.slice(0, 12)}`;
    // Observed: a second CreateLogStream once the container stopped, for the same stream (the
    // engine opens a stopped container's logger again, e.g. for `docker logs`); CloudWatch
    // answers ResourceAlreadyExists, which the driver takes as success.
    const created = proof.calls.filter((c) => c.target === "Logs_20140328.CreateLogStream");
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const call of created)
      expect(call.body).toStrictEqual({ logGroupName: STANDIN_GROUP, logStreamName: stream });
    const put = proof.calls.filter((c) => c.target === "Logs_20140328.PutLogEvents");
    expect(put.flatMap((c) => c.body.logEvents ?? []).map((e) => e.message)).toStrictEqual([
      "shipped-one",
      "shipped-two",
    ]);
    for (const call of [...created, ...put]) {
      expect(call.body.logGroupName).toBe(STANDIN_GROUP);
      expect(call.authorization).toContain(`Credential=${STANDIN_CREDENTIALS.accessKeyId}/`);
      expect(call.authorization).toMatch(/\/eu-west-1\/logs\/aws4_request, /);
      expect(call.securityToken).toBe(STANDIN_CREDENTIALS.sessionToken);
    }
    // No call makes a group: the deployer made it, and the role may not.
    expect(proof.calls.some((c) => c.target.endsWith(".CreateLogGroup"))).toBe(false);
    expect(proof.dockerLogs.trim().split("\n")).toStrictEqual(["shipped-one", "shipped-two"]);
  });

  it("ships a container's logs as an Azure host does: the payload's rsyslog step, the syslog driver's options, facility local6 forwarded to a stand-in for Azure Monitor's agent and kept out of /var/log", async () => {
    const proof = await proveSyslogShipping(
      session,
      WEB_IMAGE,
      ["syslog-one", "syslog-two"],
      ["syslog-err"],
    );
    const mine = proof.received.filter((l) => l.appName === "shipped-syslog");
    console.log(
      `syslog shipping: the rsyslog step took ${proof.stepSeconds.toFixed(1)} s; ${proof.received.length} lines forwarded, ${mine.length} of the container`,
    );
    // The agent keeps what the rule names: facility local6 (22); stdout at info (6), stderr at
    // err (3), as Docker's syslog driver sends them. Each stream keeps its order; the two
    // streams are copied apart, so their lines may interleave either way.
    const local6 = mine.filter((l) => l.facility === 22);
    expect(local6.length).toBe(mine.length);
    expect(local6.filter((l) => l.severity === 6).map((l) => l.message)).toStrictEqual([
      "syslog-one",
      "syslog-two",
    ]);
    expect(
      local6.filter((l) => l.severity !== 6).map((l) => [l.severity, l.message]),
    ).toStrictEqual([[3, "syslog-err"]]);
    // Nothing else of the host's reaches the rule's facility.
    expect(
      proof.received.filter((l) => l.facility === 22 && l.appName !== "shipped-syslog"),
    ).toStrictEqual([]);
    // The host's wait step, word for word, saw the forwarding where the agent writes it.
    expect(proof.forwardingStep).toBe("forwarding");
    // The payload's stop rule keeps them out of /var/log/syslog, which still gets the rest.
    expect(proof.controlInVarLogSyslog).toBeGreaterThan(0);
    expect(proof.inVarLogSyslog).toBe(0);
    // The engine's local cache still serves `docker logs` beside the remote driver (its
    // stdout here; the container's stderr goes to the command's stderr).
    expect(proof.dockerLogs.trim().split("\n")).toStrictEqual(["syslog-one", "syslog-two"]);
  });

  it("pulls from ECR by the instance profile: the payload's helper step, root's docker config and the host's pull step, against stand-ins for IMDSv2, ECR's API and the registry", async () => {
    const started = Date.now();
    const proof = await proveEcrPull(session, WEB_IMAGE);
    console.log(
      `ecr pull: ${proof.calls.length} calls to the stand-in in ${seconds(started)} s: ${proof.calls.map((c) => c.target.replace("AmazonEC2ContainerRegistry_V20150921.", "")).join(", ")}`,
    );
    // The same image, by its config's digest: the registry served the guest's own web image.
    const source = (await session.docker(["image", "inspect", "-f", "{{.Id}}", WEB_IMAGE])).trim();
    expect(proof.pulledId).toBe(source);
    const tokens = proof.calls.filter((c) => c.target.endsWith(".GetAuthorizationToken"));
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    for (const call of tokens) {
      expect(call.body?.registryIds).toStrictEqual(["123456789012"]);
      expect(call.authorization).toContain(`Credential=${STANDIN_CREDENTIALS.accessKeyId}/`);
      expect(call.authorization).toMatch(/\/eu-west-1\/ecr\/aws4_request, /);
      expect(call.securityToken).toBe(STANDIN_CREDENTIALS.sessionToken);
    }
    // The engine asked for the tag's manifest (HEAD) and fetched it by digest, each time with
    // the helper's token as Basic credentials (its first /v2/ probe goes without, to learn how).
    const reads = proof.calls.filter(
      (c) => c.target.startsWith(`registry `) && c.target.includes(`/v2/${STANDIN_REPOSITORY}/`),
    );
    expect(
      reads.map((c) => c.target.split(" ").slice(1, 2)[0] + " " + c.target.split("/").pop()),
    ).toStrictEqual(expect.arrayContaining(["HEAD 1.4"]));
    for (const read of reads)
      expect(read.authorization).toBe(
        `Basic ${Buffer.from("AWS:standin-registry-password").toString("base64")}`,
      );
    expect(proof.helperAnswer).toStrictEqual({
      ServerURL: STANDIN_REGISTRY,
      Username: "AWS",
      Secret: "standin-registry-password",
    });
  });

  it("gives a container its secret from SSM Parameter Store as a file, read with the instance profile, and a rotation at its next start (stand-ins for IMDSv2 and Parameter Store)", async () => {
    const started = Date.now();
    const proof = await proveSecretFile(session, WEB_IMAGE, ["s3cret-one", "s3cret-two"]);
    console.log(
      `secret file: ${proof.calls.length} GetParameter calls in ${seconds(started)} s; host file ${proof.hostFile}`,
    );
    // 0400, owned by the container's user (101:102), on tmpfs: never on a disk.
    expect(proof.hostFile).toBe("400 101:102 tmpfs");
    expect(proof.read).toStrictEqual({
      first: "s3cret-one",
      whileRunning: "s3cret-one",
      afterRestart: "s3cret-two",
    });
    // The deploy's read and the unit's: each signed with the instance profile's key and token.
    expect(proof.calls.length).toBe(2);
    for (const call of proof.calls) {
      expect(call.target).toBe("AmazonSSM.GetParameter");
      expect(call.body).toStrictEqual({ Name: SECRET_PARAMETER, WithDecryption: true });
      expect(call.authorization).toContain(`Credential=${STANDIN_CREDENTIALS.accessKeyId}/`);
      expect(call.authorization).toMatch(/\/eu-west-1\/ssm\/aws4_request, /);
      expect(call.securityToken).toBe(STANDIN_CREDENTIALS.sessionToken);
    }
  });

  it("pulls from ACR and reads a Key Vault secret by the VM's managed identity: the payload's helper, the host's pull step and a container's secrets step, against stand-ins for IMDS's identity endpoint, the registry and the vault", async () => {
    const started = Date.now();
    const proof = await proveAzureIdentity(session, WEB_IMAGE, ["v4ult-one", "v4ult-two"]);
    console.log(
      `azure identity: ${proof.imdsCalls.length} IMDS token calls, ${proof.calls.length} registry/vault calls in ${seconds(started)} s: ${proof.calls.map((c) => c.target.split("?")[0]).join(", ")}`,
    );
    const source = (await session.docker(["image", "inspect", "-f", "{{.Id}}", WEB_IMAGE])).trim();
    expect(proof.pulledId).toBe(source);
    // Every token came from the identity endpoint with the header IMDS requires, for the
    // registry's exchange (ACR's own audience) or for Key Vault.
    expect(new Set(proof.imdsCalls.map((c) => c.query?.resource))).toStrictEqual(
      new Set(["https://containerregistry.azure.net", "https://vault.azure.net"]),
    );
    for (const call of proof.imdsCalls) {
      expect(call.metadata).toBe("true");
      expect(call.query?.["api-version"]).toBe("2018-02-01");
    }
    const exchanges = proof.calls.filter((c) => c.target === "POST /oauth2/exchange");
    expect(exchanges.length).toBeGreaterThanOrEqual(1);
    for (const call of exchanges)
      expect(call.body).toStrictEqual({
        grant_type: "access_token",
        service: ACR_SERVER,
        access_token: "standin-mi-token-for-https://containerregistry.azure.net",
      });
    // The engine traded the null user's refresh token for a pull token, and read with it.
    const reads = proof.calls.filter((c) => c.target.includes(`/v2/${ACR_REPOSITORY}/`));
    expect(
      reads.map((c) => c.target.split(" ")[0] + " " + c.target.split("/").pop()),
    ).toStrictEqual(expect.arrayContaining(["HEAD 1.4"]));
    for (const read of reads) expect(read.authorization).toBe("Bearer standin-acr-access-token");
    expect(proof.helperAnswer).toStrictEqual({
      ServerURL: ACR_SERVER,
      Username: "00000000-0000-0000-0000-000000000000",
      Secret: "standin-acr-refresh-token",
    });
    // The secret: 0400, the container's user, tmpfs; a rotation reaches it at its next start.
    expect(proof.hostFile).toBe("400 101:102 tmpfs");
    expect(proof.read).toStrictEqual({
      first: "v4ult-one",
      whileRunning: "v4ult-one",
      afterRestart: "v4ult-two",
    });
    const vaultReads = proof.calls.filter((c) => c.host === "shop-vault.vault.azure.net");
    expect(vaultReads.map((c) => c.target)).toStrictEqual([
      "GET /secrets/db-password?api-version=7.4",
      "GET /secrets/db-password?api-version=7.4",
    ]);
    for (const read of vaultReads)
      expect(read.authorization).toBe("Bearer standin-mi-token-for-https://vault.azure.net");
  });

  it("reaches the host through a session transport (a stand-in ProxyCommand): the gate, a command step and docker over ssh://, the key pinned and a swapped one refused", async () => {
    const started = Date.now();
    const proof = await proveSessionTransport({
      work,
      sshPort: session.access.sshPort,
      user: "debian",
      hostPublicKey: hostKey.publicKey,
      privateKey: session.access.userKey.privateKey,
      strangerPublicKey: makeKey(path.join(work, "session-stranger")).publicKey,
    });
    console.log(
      `session transport: ${proof.sessions.length} sessions through the stand-in in ${seconds(started)} s; gate ${proof.gate}, docker ${proof.dockerVersion}`,
    );
    const engine = (await session.docker(["version", "--format", "{{.Server.Version}}"])).trim();
    expect(proof.gate).toBe(engine);
    expect(proof.dockerVersion).toBe(engine);
    expect(proof.shipped).toBe("through the session");
    // Every connection, the refused ones included, went through the stand-in, to the target
    // name that resolves nowhere.
    expect(proof.sessions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(proof.sessions)).toStrictEqual(
      new Set([`${SESSION_TARGET} ${session.access.sshPort}`]),
    );
    expect(proof.swappedGate.status).toBe(255);
    expect(proof.swappedGate.stderr).toContain(
      `dockerhost: debian@${SESSION_TARGET} presented a host key other than the pinned one; refusing it`,
    );
    expect(proof.swappedDocker).toContain("Host key verification failed");
  });

  it("reaches the host through Azure Bastion's tunnel (a stand-in az on PATH) with the bridge as ProxyCommand: the gate, a command step and docker over ssh://, the key pinned and a swapped one refused", async () => {
    const started = Date.now();
    const vmId =
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shop/providers/Microsoft.Compute/virtualMachines/web";
    const bin = path.join(work, "bastion-bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.copyFileSync(path.join(__dirname, "../support/bastion-standin.js"), path.join(bin, "az"));
    fs.chmodSync(path.join(bin, "az"), 0o755);
    let tunnelLog = "";
    const proof = await proveSessionTransport({
      work,
      sshPort: session.access.sshPort,
      user: "debian",
      hostPublicKey: hostKey.publicKey,
      privateKey: session.access.userKey.privateKey,
      strangerPublicKey: makeKey(path.join(work, "bastion-stranger")).publicKey,
      proxy: (log) => {
        tunnelLog = log;
        return {
          command: azureBastionProxyCommand("web-bastion", "shop", vmId),
          env: {
            PATH: `${bin}:${process.env.PATH ?? ""}`,
            DOCKERHOST_TEST_BASTION_LOG: log,
            DOCKERHOST_TEST_BASTION_TO: String(session.access.sshPort),
          },
        };
      },
    });
    console.log(
      `bastion: ${proof.sessions.length} tunnels through the stand-in in ${seconds(started)} s; gate ${proof.gate}, docker ${proof.dockerVersion}`,
    );
    const engine = (await session.docker(["version", "--format", "{{.Server.Version}}"])).trim();
    expect(proof.gate).toBe(engine);
    expect(proof.dockerVersion).toBe(engine);
    expect(proof.shipped).toBe("through the session");
    // Every connection, the refused ones included, was a tunnel to the VM's port 22.
    expect(proof.sessions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(proof.sessions)).toStrictEqual(new Set([`web-bastion shop ${vmId} 22`]));
    // Each tunnel was stopped when its ssh was done: none runs on (a zombie is not running).
    const running = fs
      .readFileSync(`${tunnelLog}.pids`, "utf8")
      .trim()
      .split("\n")
      .filter((pid) => fs.existsSync(`/proc/${pid}/stat`))
      .filter((pid) => fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1][0] !== "Z");
    expect(running).toStrictEqual([]);
    expect(proof.swappedGate.status).toBe(255);
    expect(proof.swappedGate.stderr).toContain(
      `dockerhost: debian@${SESSION_TARGET} presented a host key other than the pinned one; refusing it`,
    );
    expect(proof.swappedDocker).toContain("Host key verification failed");
  });

  it("gives the workstation a Docker context that reaches the host with its key pinned, and writes nothing to ~/.ssh", async () => {
    // What the host's `<name>-workstation` command gets on stdin, run by the same command.
    const entry: WorkstationEntry = {
      alias,
      context,
      stack: "local",
      hostName: "vmtest",
      sshDir,
      address: "127.0.0.1",
      port: session.access.sshPort,
      user: "debian",
      hostPublicKey: hostKey.publicKey,
      privateKey: session.access.userKey.privateKey,
      dockerContext: true,
    };
    const added = await runCli(WORKSTATION_CLI, "add", {
      stdin: JSON.stringify(entry),
      env: workstationEnv(),
    });
    expect(added.stdout).toContain(`docker context ${context}: created`);
    const files = workstationFiles(sshDir, alias);
    expect(fs.readdirSync(sshDir).sort()).toStrictEqual(
      [files.config, files.identity, files.knownHosts].map((f) => path.basename(f)).sort(),
    );

    const hello = await dockerOnWorkstation([
      "--context",
      context,
      "run",
      "--rm",
      WEB_IMAGE,
      "/bin/busybox",
      "echo",
      "hello through the context",
    ]);
    expect(hello.trim()).toBe("hello through the context");
    await dockerOnWorkstation(["--context", context, "run", "-d", "--name", "probe", WEB_IMAGE]);
    const names = await dockerOnWorkstation(["--context", context, "ps", "--format", "{{.Names}}"]);
    expect(names.trim().split("\n").sort()).toStrictEqual(["probe", "web"]);
    await dockerOnWorkstation(["--context", context, "rm", "-f", "probe"]);

    // Strict host key checking: another key under the alias, and the context is refused.
    const pinned = fs.readFileSync(files.knownHosts, "utf8");
    const stranger = makeKey(path.join(work, "stranger"));
    fs.writeFileSync(files.knownHosts, aliasKnownHostsLine(alias, stranger.publicKey));
    await expect(dockerOnWorkstation(["--context", context, "ps"], 60_000)).rejects.toThrow(
      /Host key verification failed/,
    );
    fs.writeFileSync(files.knownHosts, pinned);
    expect(fileState(userKnownHosts)).toBe(userKnownHostsBefore);
  });

  /** A page the guest serves on its own 127.0.0.1 (a published port bound there). */
  const guestPage = (port: number) =>
    session.ssh(
      `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3`,
    );
  const busybox = (container: string, ...args: string[]) =>
    session.docker(["exec", container, "/bin/busybox", ...args]);
  /** What should fail, bounded: a dropped packet would otherwise hold wget for its own timeout. */
  const refused = (container: string, url: string) =>
    expect(
      busybox(container, "timeout", "4", "wget", "-q", "-T", "3", "-O-", url),
    ).rejects.toThrow();
  const BUILT_PAGE = fs.readFileSync(
    path.join(__dirname, "..", "fixtures", "web-build", "index.html"),
    "utf8",
  );

  /**
   * The checks the issue names, on a deployed app (front -> api -> db): front's built page on
   * the guest's 127.0.0.1, api by name from front, db neither by name nor address from front,
   * db only on its internal network and cut off from the outside, its volume's data kept
   * through its replacement, and front rebuilt and replaced only when its context changes.
   */
  async function checkApp(
    app: TestApp,
    frontPort: number,
    contextDir: string,
    /** Also replace db (its volume's data kept) and redeploy front unchanged, then rebuilt. */
    lifecycle = true,
  ): Promise<void> {
    const net = (name: string) => dockerObjectName(app.component, name);
    expect(await guestPage(frontPort)).toContain(BUILT_PAGE);
    expect(await busybox("front", "wget", "-q", "-O-", "http://api:8080/")).toBe(WEB_BODY);
    expect(await busybox("api", "wget", "-q", "-O-", "http://db:8080/")).toBe(WEB_BODY);
    await refused("front", "http://db:8080/");
    const dbAddress = (
      await session.docker([
        "inspect",
        "-f",
        `{{(index .NetworkSettings.Networks "${net("backend")}").IPAddress}}`,
        "db",
      ])
    ).trim();
    expect(dbAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await busybox("api", "wget", "-q", "-O-", `http://${dbAddress}:8080/`)).toBe(WEB_BODY);
    await refused("front", `http://${dbAddress}:8080/`);
    const dbNetworks = await session.docker([
      "inspect",
      "-f",
      "{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}",
      "db",
    ]);
    expect(dbNetworks.trim()).toBe(net("backend"));
    expect(
      (await session.docker(["network", "inspect", "-f", "{{.Internal}}", net("backend")])).trim(),
    ).toBe("true");
    // Out of the host: the image site on this machine's 127.0.0.1 is 10.0.2.2 to the guest.
    // api (also on the project network) reaches it; db's packets are dropped by the engine
    // (Docker still gives it a default route on the internal network).
    const outside = `http://10.0.2.2:${new URL(site?.url ?? "").port}/SHA512SUMS`;
    expect(await busybox("api", "wget", "-q", "-O-", outside)).toContain(DEBIAN_IMAGE_NAME);
    await refused("db", outside);
    if (!lifecycle) return;

    // The volume outlives its container: replaced, the new db reads what the old one wrote.
    const db = app.containers.find((c) => c.name === "db")!;
    await busybox("db", "sh", "-c", "echo kept > /data/proof");
    await session.docker(["rm", "-f", "db"]);
    await runAppContainer(session, app, db);
    expect(await busybox("db", "cat", "/data/proof")).toBe("kept\n");

    // front again with nothing changed: no build, the same container. Then its page changed:
    // a new image (a new tag, built), and front replaced by a container serving it.
    const front = app.containers.find((c) => c.name === "front")!;
    const id = async () => (await session.docker(["inspect", "-f", "{{.Id}}", "front"])).trim();
    const images = async () =>
      (await session.docker(["images", "-q", builtImageRepository(app.component, "front")]))
        .trim()
        .split("\n");
    const [idBefore, imagesBefore] = [await id(), await images()];
    expect(await redeployContainer(session, app, front)).toBe(false);
    expect(about("front after an unchanged redeploy", [await id(), await images()])).toStrictEqual(
      about("front after an unchanged redeploy", [idBefore, imagesBefore]),
    );
    fs.writeFileSync(path.join(contextDir, "index.html"), "rebuilt from a changed context\n");
    expect(await redeployContainer(session, app, front)).toBe(true);
    expect(await id()).not.toBe(idBefore);
    expect((await images()).length).toBe(imagesBefore.length + 1);
    expect(await guestPage(frontPort)).toContain("rebuilt from a changed context");
  }

  /**
   * In each app test's `finally`, so a failed test leaves no `db` for the next one to meet. Each
   * removal on its own: what a failure never created is no reason to keep the rest.
   */
  const removeApp = async (app: TestApp, extra: string[] = []) => {
    const removals = [
      ["rm", "-f", ...app.containers.map((c) => c.name), ...extra],
      [
        "network",
        "rm",
        ...appNetworks(app.networks, app.containers).map((n) =>
          dockerObjectName(app.component, n.name),
        ),
      ],
      ["volume", "rm", ...app.volumes.map((v) => dockerObjectName(app.component, v.name))],
    ];
    for (const args of removals) await session.docker(args).catch(() => undefined);
  };

  /** The fixture context, copied: the checks change it. */
  const contextCopy = (name: string): string => {
    const dir = path.join(work, name);
    fs.cpSync(path.join(__dirname, "..", "fixtures", "web-build"), dir, { recursive: true });
    return dir;
  };

  it("runs an app of three services: front built on the host, api by name, db on an internal network with its volume", async () => {
    const HTTP_UP = "/bin/busybox wget -q -O /dev/null http://127.0.0.1:8080/";
    const health = (cmd: string) => ({ test: ["CMD-SHELL", cmd], interval: "2s", retries: 3 });
    const contextDir = contextCopy("app-front");
    const app: TestApp = {
      component: "app",
      networks: [{ name: "backend", internal: true }],
      volumes: [{ name: "db-data" }],
      containers: [
        {
          name: "front",
          build: { context: contextDir },
          ports: [{ internal: 8080, external: 8081, hostIp: "127.0.0.1" }],
          dependsOn: ["api"],
        },
        {
          name: "api",
          image: WEB_IMAGE,
          networks: [{ name: "default" }, { name: "backend" }],
          healthcheck: health(HTTP_UP),
          dependsOn: ["db"],
        },
        {
          name: "db",
          image: WEB_IMAGE,
          networks: [{ name: "backend" }],
          volumes: [{ containerPath: "/data", volumeName: "db-data" }],
          healthcheck: health(HTTP_UP),
        },
      ],
    };
    expect(appProblems(app)).toStrictEqual([]);
    try {
      await deployAndCheckApp(app, contextDir);
    } finally {
      await removeApp(app, ["sick"]);
    }
  });

  const deployAndCheckApp = async (app: TestApp, contextDir: string) => {
    const started = Date.now();
    await deployApp(session, app);
    timings.appDeploy = seconds(started);
    await checkApp(app, 8081, contextDir);
    timings.appChecks = seconds(started) - timings.appDeploy;

    // A container that never turns healthy: the gate fails, saying the check's last words.
    const sick: ContainerSpec = {
      name: "sick",
      image: WEB_IMAGE,
      healthcheck: {
        test: ["CMD-SHELL", "echo no database yet; exit 1"],
        interval: "1s",
        retries: 1,
      },
    };
    const failure = await runAppContainer(session, app, sick).then(
      () => "the gate passed",
      (e: unknown) => String((e as { stderr?: string }).stderr ?? e),
    );
    expect(failure).toContain(
      "dockerhost: container sick is not healthy (unhealthy); its last health check said:",
    );
    expect(failure).toContain("no database yet");
  };

  it("runs the same app from the compose file in tests/fixtures, with the same topology checks", async () => {
    // The fixture names ../web-build as front's context: a copy of both, so the checks may
    // change the context.
    const root = path.join(work, "compose-fixture");
    fs.cpSync(
      path.join(__dirname, "..", "fixtures", "compose-app"),
      path.join(root, "compose-app"),
      {
        recursive: true,
      },
    );
    const contextDir = path.join(root, "web-build");
    fs.cpSync(path.join(__dirname, "..", "fixtures", "web-build"), contextDir, { recursive: true });
    const composed = composeServices(
      path.relative(process.cwd(), path.join(root, "compose-app", "compose.yaml")),
      {
        secretEnv: { db: { DB_PASSWORD: pulumi.secret("not-in-the-file") } },
      },
    );
    // The CLI stands in for the provider, which receives the secret decrypted.
    expect(
      pulumi.isSecret(composed.containers[2].secretEnv?.DB_PASSWORD as pulumi.Output<string>),
    ).resolves.toBe(true);
    const app: TestApp = {
      component: "shop",
      ...composed,
      containers: composed.containers.map((c) =>
        c.secretEnv ? { ...c, secretEnv: { DB_PASSWORD: "not-in-the-file" } } : c,
      ),
    };
    // The compose file's healthchecks are shell text, as the CLI's --health-cmd takes them.
    expect(app.containers.map((c) => c.healthcheck?.test[0])).toStrictEqual([
      undefined,
      "CMD-SHELL",
      "CMD-SHELL",
    ]);
    try {
      await deployAndCheckCompose(app, contextDir);
    } finally {
      await removeApp(app);
    }
  });

  const deployAndCheckCompose = async (app: TestApp, contextDir: string) => {
    const started = Date.now();
    await deployApp(session, app);
    timings.composeDeploy = seconds(started);
    // Debian's busybox-static has no printenv applet; its sh reads the environment.
    expect(await busybox("db", "sh", "-c", 'echo "$DB_NAME $DB_PASSWORD"')).toBe(
      "shop not-in-the-file\n",
    );
    expect(await busybox("api", "wget", "-q", "-O-", "http://database:8080/")).toBe(WEB_BODY);
    // The topology's checks; replacements and rebuilds do not depend on where the specs came
    // from, and the first app proved them (minutes of emulated builds saved).
    await checkApp(app, 8081, contextDir, false);
    timings.composeChecks = seconds(started) - timings.composeDeploy;
  };

  it("keeps the container running through `systemctl restart docker` (live-restore)", async () => {
    const pidBefore = (await session.docker(["inspect", "-f", "{{.State.Pid}}", "web"])).trim();
    await session.ssh("sudo systemctl restart docker.service", 3 * MINUTE);
    const pidAfter = (await session.docker(["inspect", "-f", "{{.State.Pid}}", "web"])).trim();
    expect(about("the container's process survived the engine restart", pidAfter)).toStrictEqual(
      about("the container's process survived the engine restart", pidBefore),
    );
    expect(await waitFor("HTTP after the restart", MINUTE, () => httpGet(webPort))).toBe(WEB_BODY);
  });

  itIsReplacedByABakedHost({
    work,
    cold: () => {
      if (!cold) throw new Error("no cold host: its boot in beforeAll failed");
      return cold;
    },
    bake: () => bake,
    replaced: (host) => {
      // From here the scenario's host is the new one: the destroy path removes it and the disk.
      ({ guest, session, hostKey, webPort } = host);
    },
    timings,
  });

  it("tears down as pulumi destroy does: no qemu process, no VM file, no context, no SSH entry", async () => {
    if (!guest) throw new Error("no guest to tear down: the boot in beforeAll failed");
    const { dir, dataDisk, vm } = guest;
    // The delete commands of the host's resources, each run as the resource runs it.
    expect((await removeWorkstation()).stdout).toContain(`docker context ${context}: removed`);
    await teardownGuest(guest);
    guest = undefined;
    await expect(dockerOnWorkstation(["context", "inspect", context])).rejects.toThrow();
    expect(fs.existsSync(sshDir)).toBe(false);
    expect(fileState(userKnownHosts)).toBe(userKnownHostsBefore);
    // Signal 0 to a pid that is gone throws ESRCH: qemu no longer runs.
    const signal = (() => {
      try {
        process.kill(vm.pid, 0);
        return "delivered";
      } catch (e) {
        return (e as NodeJS.ErrnoException).code;
      }
    })();
    expect(signal).toBe("ESRCH");
    // pgrep never lists itself (a shell around it would match its own command line).
    const left = spawnSync("pgrep", ["-f", dir], { encoding: "utf8" });
    expect(about("a process still names the VM's directory", left.stdout.trim())).toStrictEqual(
      about("a process still names the VM's directory", ""),
    );
    expect(fs.existsSync(dir)).toBe(false);
    expect(dataDisk && fs.existsSync(dataDisk)).toBe(false);
    console.log(
      [
        "guest timings (s):",
        `  kernel start -> cloud-init start (guest clock): ${timings.cloudInitStart.toFixed(1)}`,
        `  kernel start -> engine installed (guest clock): ${timings.engineInstalled.toFixed(1)}`,
        `  kernel start -> engine running   (guest clock): ${timings.engineRunning.toFixed(1)}`,
        `  image fetched and verified (site on 127.0.0.1): ${timings.imageFetch}`,
        `  vm-cli start (image fetch included) -> SSH answers (host clock): ${timings.sshUp}`,
        `  vm-cli start -> cloud-init done (host clock): ${timings.cloudInitDone}`,
        `  vm-cli start -> first container answering (host clock): ${timings.firstContainer}`,
        `  app of three services deployed (a build, networks, volume, two health gates): ${timings.appDeploy}`,
        `  its checks (incl. db replaced, front redeployed unchanged, then rebuilt): ${timings.appChecks}`,
        `  the same app from the compose file, deployed: ${timings.composeDeploy}; checked: ${timings.composeChecks}`,
        `  bake (after the cold boot, beside the deploy checks; cached by its inputs): ${timings.bake}`,
        `  baked host on the old data disk, vm-cli start -> cloud-init done: ${timings.bakedCloudInitDone}`,
        `  baked host reboot -> container answering again: ${timings.reboot}`,
      ].join("\n"),
    );
  });
});
