import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CIS_CONTROLS, verifyFor } from "../components/bootstrap/cis-controls";
import type { HardeningProfile } from "../components/bootstrap/types";
import {
  buildWebImageTarball,
  deployStrictWebContainer,
  deployWebContainer,
  teardownGuest,
} from "../tests/support/guest-boot";
import { waitFor } from "../tests/support/guest-session";
import { startHostGuest, stopGuestsOnInterrupt, type HostGuest } from "../tests/support/host-guest";

// `npm run audit:guest`: what an auditor would measure, per profile, on a Debian 12 guest
// provisioned by the project's own payload with one web container deployed the way the VM tests
// deploy it (strict: the way DockerServices deploys under strict). Each guest gets Debian's lynis
// from the mirror and runs `lynis audit system --cronjob`; then every row of docs/security.md's CIS
// table is verified by its own command. The two guests boot side by side, as in CI. A script, not
// a test: Lynis alone runs ~10 minutes under emulation.

const MINUTE = 60_000;
type AuditedProfile = Exclude<HardeningProfile, "off">;
const PROFILES: AuditedProfile[] = ["baseline", "strict"];

/** `--profiles strict` audits one; both by default, side by side. */
function profiles(): AuditedProfile[] {
  const at = process.argv.indexOf("--profiles");
  if (at < 0) return PROFILES;
  const asked = (process.argv[at + 1] ?? "").split(",");
  const unknown = asked.filter((p) => !PROFILES.includes(p as AuditedProfile));
  if (unknown.length)
    throw new Error(`--profiles: ${unknown.join(", ")} is not one of ${PROFILES.join(", ")}`);
  return asked as AuditedProfile[];
}

interface AuditResult {
  profile: string;
  cloudInitDone: number;
  lynisIndex: string;
  lynisSeconds: number;
  cisPassing: string[];
  cisFailing: string[];
  suggestions: string[];
}

async function audit(
  profile: Exclude<HardeningProfile, "off">,
  work: string,
): Promise<AuditResult> {
  const dir = path.join(work, profile);
  fs.mkdirSync(dir);
  let host: HostGuest | undefined;
  try {
    host = await startHostGuest(`audit-${profile}`, dir, profile);
    const session = host.session;
    const tarball = buildWebImageTarball(dir);
    if (profile === "strict") await deployStrictWebContainer(session, tarball);
    else await deployWebContainer(session, tarball);
    if (profile === "strict")
      await waitFor("the container's healthcheck", 3 * MINUTE, async () =>
        (await session.docker(["inspect", "-f", "{{.State.Health.Status}}", "web"])).trim() ===
        "healthy"
          ? true
          : undefined,
      );
    const cisPassing: string[] = [];
    const cisFailing: string[] = [];
    for (const control of CIS_CONTROLS) {
      const status = await session.sshStatus(verifyFor(control, "web"), MINUTE);
      (status === 0 ? cisPassing : cisFailing).push(control.id);
    }
    console.log(
      `${profile}: CIS rows ${cisPassing.length}/${CIS_CONTROLS.length}; installing lynis`,
    );
    await session.ssh(
      "sudo DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get -q -y --no-install-recommends install lynis >/dev/null",
      10 * MINUTE,
    );
    const started = Date.now();
    // ~31 min beside one other guest under emulation; a third guest made it pass 40.
    await session.ssh("sudo lynis audit system --cronjob >/dev/null 2>&1", 60 * MINUTE);
    const lynisSeconds = Math.round((Date.now() - started) / 1000);
    const report = await session.ssh("sudo cat /var/log/lynis-report.dat");
    const lynisIndex = /^hardening_index=(\d+)$/m.exec(report)?.[1] ?? "?";
    const suggestions = [...report.matchAll(/^suggestion\[\]=([^|]+)\|([^|]*)/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    fs.writeFileSync(path.join(work, `lynis-report-${profile}.dat`), report);
    return {
      profile,
      cloudInitDone: host.timings.cloudInitDone,
      lynisIndex,
      lynisSeconds,
      cisPassing,
      cisFailing,
      suggestions,
    };
  } finally {
    if (host) await teardownGuest(host.guest);
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-audit-"));
  stopGuestsOnInterrupt(work);
  const keep = path.join(process.cwd(), ".cache", "audit");
  fs.mkdirSync(keep, { recursive: true });
  try {
    // allSettled: a failed guest must not end the run while the other is still up (each stops
    // its own guest in audit's finally).
    const settled = await Promise.allSettled(profiles().map((p) => audit(p, work)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    const results = settled.map((r) => (r as PromiseFulfilledResult<AuditResult>).value);
    for (const r of results) {
      fs.copyFileSync(
        path.join(work, `lynis-report-${r.profile}.dat`),
        path.join(keep, `lynis-report-${r.profile}.dat`),
      );
      console.log(`\n${r.profile}: Lynis suggestions (${r.suggestions.length}):`);
      for (const s of r.suggestions) console.log(`  ${s}`);
      if (r.cisFailing.length)
        console.log(`${r.profile}: CIS rows failing: ${r.cisFailing.join(" ")}`);
    }
    console.log(
      "\nprofile    Lynis index  CIS rows passing / total  cloud-init done (s)  lynis run (s)",
    );
    for (const r of results)
      console.log(
        `${r.profile.padEnd(10)} ${r.lynisIndex.padStart(11)}  ${`${r.cisPassing.length} / ${CIS_CONTROLS.length}`.padStart(24)}  ${String(r.cloudInitDone).padStart(19)}  ${String(r.lynisSeconds).padStart(13)}`,
      );
    console.log(`(Lynis reports kept in ${keep})`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
