import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it, jest } from "@jest/globals";
import { CIS_CONTROLS, verifyFor } from "../../components/bootstrap/cis-controls";
import { CONTAINER_POLICY_MODULE } from "../../components/bootstrap/selinux-container-policy";
import {
  BLOCKED_MODULES,
  LEGAL_BANNER,
  STRICT_PACKAGES,
} from "../../components/bootstrap/strict-os";
import {
  WEB_BODY,
  WEB_IMAGE,
  buildWebImageTarball,
  deployStrictWebContainer,
  teardownGuest,
} from "../support/guest-boot";
import { httpGet, waitFor } from "../support/guest-session";
import { describeVm } from "../support/describe-vm";
import { ensureBakedGuestImage } from "../support/baked-guest";
import { startHostGuest, type HostGuest } from "../support/host-guest";

// The `strict` profile with `selinux: enforcing` on the same guest, one scenario: SELinux comes
// up through the project's own container policy (a policy install, labels and one reboot in
// cloud-init), then each item of the table in docs/security.md that strict adds is checked with its verify
// command, every row of its CIS table is verified by its own command, and containers
// are shown confined: container_t with MCS categories, no access to host files that were not
// relabeled for them, access to `:Z` volumes.
//
// The host boots from a strict bake (`bakedImage: true`), as a team's strict hosts do once they
// bake: the packages and the SELinux policy are in the image, and the first boot labels every
// file and reboots (what depends on the host: its data disk, keys, config). The bake is made on
// the baseline bake, so the run pays the packages' install once (one scenario per cold path: the
// baseline bake and local-host's cold host prove the install from the plain image).
// The cold strict path (the policy and the packages installed at first boot, the packages under
// enforcing) is the same file under `npm run prove:strict-cold`.
const COLD = process.env.DOCKERHOST_STRICT_COLD === "1";

const MINUTE = 60_000;

// Each wait inside is bounded and named (waitFor); this bounds every test and hook of the file.
jest.setTimeout(45 * MINUTE);

describeVm("a local Debian 12 guest with the strict profile and SELinux enforcing", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-vm-strict-"));
  let host: HostGuest | undefined;

  // Above the boot's own bounds (40 min for SSH through the SELinux reboot, then 30 for
  // cloud-init), so that a slow boot fails with their message and the serial log's tail rather
  // than Jest's bare timeout.
  // The bakes first when they are not cached: each is bounded by its own 40 minutes.
  beforeAll(
    async () => {
      if (COLD) {
        host = await startHostGuest("vmstrict", work, "strict", "enforcing");
        return;
      }
      const baseline = await ensureBakedGuestImage("baseline");
      const strict = await ensureBakedGuestImage("strict", console.log, {
        selinux: "enforcing",
        on: baseline,
      });
      host = await startHostGuest("vmstrict", work, "strict", "enforcing", {
        baked: strict.image,
      });
    },
    (COLD ? 75 : 155) * MINUTE,
  );

  afterAll(async () => {
    if (host) await teardownGuest(host.guest);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("finishes cloud-init without errors", async () => {
    const status = JSON.parse(await host!.session.ssh("cloud-init status --format json")) as {
      status: string;
      errors: string[];
    };
    expect([status.status, status.errors]).toStrictEqual(["done", []]);
    console.log(`strict: cloud-init done ${host!.timings.cloudInitDone} s after qemu started`);
  });

  it("turned SELinux on in cloud-init: enforcing, with the project's container policy", async () => {
    const ssh = (command: string) => host!.session.ssh(command);
    expect((await ssh("/usr/sbin/getenforce")).trim()).toBe("Enforcing");
    expect(await ssh("cat /proc/cmdline")).toMatch(/(^| )security=selinux(\s|$)/);
    expect(await ssh("sudo semodule -l")).toMatch(new RegExp(`^${CONTAINER_POLICY_MODULE}$`, "m"));
    // The first boot labeled every file (cold: after installing the policy), and rebooted.
    expect(await ssh("sudo cat /var/log/cloud-init-output.log")).toMatch(
      /dockerhost: files labeled; rebooting into SELinux enforcing/,
    );
    const serial = fs.readFileSync(host!.guest.vm.serialLog, "utf8");
    const at = (mark: string) => Number(new RegExp(`\\[ *([0-9.]+)\\].*${mark}`).exec(serial)?.[1]);
    console.log(
      `selinux: activation in the first boot from ${at("bringing SELinux to enforcing")} s to ${at("files labeled; rebooting")} s of guest uptime (policy, module, labels), then one reboot`,
    );
    // Under enforcing, cloud-init still found its seed: a fallback would mean a new instance.
    expect(await ssh("cloud-init status --long")).toMatch(/DataSourceNoCloud/);
    expect(await ssh("ls -Z /home/debian/.ssh/authorized_keys")).toMatch(/:ssh_home_t:/);
    expect(await ssh("sudo ls -Zd /var/lib/docker")).toMatch(/:container_var_lib_t:/);
    const daemon = JSON.parse(await ssh("cat /etc/docker/daemon.json")) as Record<string, unknown>;
    expect(daemon["selinux-enabled"]).toBe(true);
    const options = await host!.session.docker(["info", "--format", "{{json .SecurityOptions}}"]);
    expect(options).toMatch(/name=selinux/);
  });

  it("remaps container users (userns-remap)", async () => {
    const options = await host!.session.docker(["info", "--format", "{{json .SecurityOptions}}"]);
    expect(options).toMatch(/name=userns/);
  });

  it("hardens sysctls (the default. variants too) and keeps ip_forward for Docker", async () => {
    const values = await host!.session.ssh(
      "sudo sysctl -n net.ipv4.conf.all.accept_redirects net.ipv4.conf.default.accept_redirects net.ipv4.conf.all.accept_source_route net.ipv4.ip_forward kernel.kptr_restrict kernel.yama.ptrace_scope",
    );
    expect(values.trim().split("\n")).toStrictEqual(["0", "0", "0", "1", "2", "1"]);
  });

  it("hardens sshd, and ssh:// still reaches the engine for a container deployed the strict way", async () => {
    const sshd = await host!.session.ssh("sudo sshd -T");
    for (const line of [
      "allowtcpforwarding no",
      "maxauthtries 3",
      "maxsessions 2",
      "loglevel VERBOSE",
      "compression no",
      "tcpkeepalive no",
      "clientalivecountmax 2",
    ])
      expect(sshd).toMatch(new RegExp(`^${line}$`, "m"));
    await deployStrictWebContainer(host!.session, buildWebImageTarball(work));
    const body = await waitFor("the container's port to answer", 2 * MINUTE, () =>
      httpGet(host!.webPort),
    );
    expect(body).toBe(WEB_BODY);
  });

  it("meets every row of the CIS Docker Benchmark table in docs/security.md (its verify commands)", async () => {
    await waitFor("the container's healthcheck to pass", 2 * MINUTE, async () =>
      (await host!.session.docker(["inspect", "-f", "{{.State.Health.Status}}", "web"])).trim() ===
      "healthy"
        ? true
        : undefined,
    );
    const failing: string[] = [];
    for (const control of CIS_CONTROLS) {
      const status = await host!.session.sshStatus(verifyFor(control, "web"), 60_000);
      if (status !== 0)
        failing.push(`${control.id} (exit ${status}): ${verifyFor(control, "web")}`);
    }
    console.log(
      `strict: ${CIS_CONTROLS.length - failing.length} of ${CIS_CONTROLS.length} CIS rows hold`,
    );
    expect(failing).toStrictEqual([]);
    // The container's log lines are in the journal (2.13).
    expect(
      await host!.session.ssh("sudo journalctl -q CONTAINER_NAME=web -n 1 -o cat; echo ok"),
    ).toMatch(/ok/);
  });

  it("owns the OS items of a Lynis audit: modules, core dumps, banners, login.defs, packages", async () => {
    const ssh = (command: string) => host!.session.ssh(command);
    const modprobe = await ssh(
      "sudo modprobe -n -v sctp 2>&1; sudo modprobe -n -v usb-storage 2>&1",
    );
    expect(modprobe).toMatch(/install \/bin\/false/);
    expect(await ssh("cat /etc/modprobe.d/dockerhost-strict.conf")).toMatch(
      new RegExp(`^blacklist ${BLOCKED_MODULES[0]}$`, "m"),
    );
    expect((await ssh("sudo su -s /bin/sh -c 'ulimit -H -c' nobody")).trim()).toBe("0");
    expect(await ssh("cat /etc/issue.net")).toBe(LEGAL_BANNER);
    expect(await ssh("grep -E '^(UMASK|PASS_MAX_DAYS)' /etc/login.defs")).toMatch(
      /UMASK\s+027\nPASS_MAX_DAYS\s+365|PASS_MAX_DAYS\s+365[\s\S]*UMASK\s+027/,
    );
    const installed = await ssh(
      `dpkg-query -W -f='\${Package} \${db:Status-Abbrev}\\n' ${STRICT_PACKAGES.apt.join(" ")}`,
    );
    for (const pkg of STRICT_PACKAGES.apt) expect(installed).toMatch(new RegExp(`^${pkg} ii`, "m"));
    // Enabled, so accounting runs from every boot on. Under enforcing, Debian's policy keeps
    // step 75's start of it from succeeding in the first boot (seen in CI; not yet diagnosed).
    expect((await ssh("systemctl is-enabled acct.service")).trim()).toBe("enabled");
    expect((await ssh("systemctl is-active acct.service")).trim()).toBe("active");
  });

  it("confines containers only: the engine runs unconfined, as docs/security.md says", async () => {
    const engine = await host!.session.ssh("ps -eZ | grep -E ' (dockerd|containerd)$'");
    expect(engine.trim().split("\n")).toHaveLength(2);
    for (const line of engine.trim().split("\n"))
      expect(line).toMatch(/^system_u:system_r:initrc_t:/);
  });

  it("runs containers in container_t with MCS categories", async () => {
    const label = (
      await host!.session.docker(["inspect", "-f", "{{.ProcessLabel}}", "web"])
    ).trim();
    expect(label).toMatch(/^system_u:system_r:container_t:s0:c\d+,c\d+$/);
    const pid = (await host!.session.docker(["inspect", "-f", "{{.State.Pid}}", "web"])).trim();
    expect((await host!.session.ssh(`ps -o label= -p ${pid}`)).trim()).toBe(label);
  });

  it("keeps containers from host files not relabeled for them, and lets them read :Z volumes", async () => {
    const dir = "/srv/dockerhost-selinux";
    await host!.session.ssh(
      `sudo install -d ${dir}/plain ${dir}/private && echo secret | sudo tee ${dir}/plain/f ${dir}/private/f >/dev/null`,
    );
    const read = (volume: string, opts: string[] = []) =>
      host!.session
        .docker(["run", "--rm", ...opts, "-v", volume, WEB_IMAGE, "/bin/busybox", "cat", "/v/f"])
        .then(
          (out) => out.trim(),
          (e: Error) => `refused: ${e.message}`,
        );
    expect(await read(`${dir}/plain:/v:ro`)).toMatch(/refused: [\s\S]*Permission denied/);
    expect(await read(`${dir}/private:/v:Z`)).toBe("secret");
    expect(await host!.session.ssh(`ls -Zd ${dir}/private`)).toMatch(
      /:container_file_t:s0:c\d+,c\d+ /,
    );
    // MCS: the same type at other categories stays out of reach.
    await host!.session.ssh(`sudo chcon -R -t container_file_t -l s0:c1,c2 ${dir}/plain`);
    expect(await read(`${dir}/plain:/v:ro`, ["--security-opt", "label=level:s0:c1,c2"])).toBe(
      "secret",
    );
    expect(await read(`${dir}/plain:/v:ro`, ["--security-opt", "label=level:s0:c3,c4"])).toMatch(
      /refused: [\s\S]*Permission denied/,
    );
  });

  it("installs security updates unattended", async () => {
    expect((await host!.session.ssh("systemctl is-enabled apt-daily-upgrade.timer")).trim()).toBe(
      "enabled",
    );
    expect(await host!.session.ssh("cat /etc/apt/apt.conf.d/20auto-upgrades")).toMatch(
      /APT::Periodic::Unattended-Upgrade "1";/,
    );
  });
});
