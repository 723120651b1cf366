import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  joinTokenScript,
  nodeAdmitScript,
  rejoinTokenScript,
  swarmInitScript,
  swarmJoinScript,
} from "../components/swarm/swarm-commands";
import type { SwarmServiceSpec } from "../components/core/swarm-service-spec";
import { ensureBakedGuestImage } from "../tests/support/baked-guest";
import {
  WEB_BODY,
  WEB_IMAGE_CMD,
  WEB_PORT,
  buildWebImageTarball,
  privateBus,
  teardownGuest,
} from "../tests/support/guest-boot";
import { httpGet, waitFor } from "../tests/support/guest-session";
import { startHostGuest, stopGuestsOnInterrupt, type HostGuest } from "../tests/support/host-guest";
import {
  EMULATION_HEALTHCHECK,
  desiredTasks,
  requestLoop,
  serviceCreateArgs,
} from "../tests/support/swarm-deploy";
import { countFlag } from "./flags";

// `npm run prove:handover [-- --requests R]`: the first manager of a three-manager swarm replaced
// by a new host, as `pulumi up` does it when m1's host is replaced (a new instance, so a new host
// key), with DockerSwarm's own steps in DockerSwarm's order:
//   1. the relay (m2) gives a manager token, because the swarm exists;
//   2. m1's new host runs m1's step (swarmInitScript with the relay): it joins, it does not make
//      a second swarm;
//   3. m1's admit step, now on the new host, admits it and retires the old m1 node (drained,
//      demoted, removed);
//   4. the old host goes.
// Four baked guests on one private bus (UDP multicast on 127.0.0.1). A web service of 3 replicas
// (the managers run tasks: no workers) answers a fixed loop of R GETs (default 1500, one per
// 100 ms, 2 s timeout) through m2's published port for the whole hand-over; printed: failed
// requests, the longest gap, each step's seconds. Exits non-zero when the swarm is not the three
// managers m1 (new), m2, m3 at the end.

const MINUTE = 60_000;
const MEMBERS = {
  m1: { address: "10.10.0.11", mac: "52:54:00:0a:00:0b" },
  m2: { address: "10.10.0.12", mac: "52:54:00:0a:00:0c" },
  m3: { address: "10.10.0.13", mac: "52:54:00:0a:00:0d" },
  // The new host in m1's place: a cloud gives it a new private address too.
  m1new: { address: "10.10.0.14", mac: "52:54:00:0a:00:0e" },
};
type Member = keyof typeof MEMBERS;
const WEB_IMAGE = "dockerhost-test/web:1";
const WEB: SwarmServiceSpec = {
  name: "web",
  image: WEB_IMAGE,
  replicas: 3,
  ports: [{ internal: WEB_PORT, mode: "ingress" }],
  healthcheck: EMULATION_HEALTHCHECK,
};

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

function check(what: string, ok: boolean, detail: string): void {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}: ${detail}`);
  if (!ok) process.exitCode = 1;
}

async function main(): Promise<void> {
  const requests = countFlag("--requests", 1500);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-prove-handover-"));
  stopGuestsOnInterrupt(work);
  const guests: Partial<Record<Member, HostGuest>> = {};
  try {
    const baked = await ensureBakedGuestImage("baseline");
    const bus = await privateBus();
    const tarball = buildWebImageTarball(fs.mkdtempSync(path.join(work, "image-")), WEB_BODY);
    const boot = async (who: Member) => {
      const dir = path.join(work, who);
      fs.mkdirSync(dir);
      const host = await startHostGuest(`handover-${who}`, dir, "baseline", "os-default", {
        baked: baked.image,
        swarm: true,
        privateNetwork: { ...bus, ...MEMBERS[who] },
      });
      guests[who] = host;
      await host.session.docker(["import", "--change", WEB_IMAGE_CMD, tarball, WEB_IMAGE]);
      return host;
    };
    const on = (who: Member) => guests[who]!.session;
    const member = (who: Member) => ({
      address: MEMBERS[who].address,
      availability: "active" as const,
    });
    // m1's step on its new host, with m2's token on stdin as DockerSwarm hands it over.
    const m1StepOnNewHost = async (token: string) =>
      (
        await on("m1new").sshWithInput(
          swarmInitScript("m1", member("m1new"), false, true),
          `${MEMBERS.m2.address} ${token.trim()}\n`,
          3 * MINUTE,
        )
      ).trim();

    let t = Date.now();
    const booted = await Promise.allSettled((["m1", "m2", "m3"] as const).map(boot));
    for (const b of booted) if (b.status === "rejected") throw b.reason;
    console.log(`three managers booted: ${seconds(t)} s`);

    // The first deploy: the relay is in no swarm, so m1 makes it.
    t = Date.now();
    const noToken = await on("m2").ssh(rejoinTokenScript("m2"));
    check(
      "the relay gives no token before the swarm exists",
      noToken.trim() === "",
      JSON.stringify(noToken),
    );
    const oldId = (
      await on("m1").sshWithInput(
        swarmInitScript("m1", member("m1"), false, true),
        `${noToken.trim()}\n`,
        3 * MINUTE,
      )
    ).trim();
    const managerToken = await on("m1").ssh(joinTokenScript("manager"));
    const ids: Record<string, string> = { m1: oldId };
    for (const who of ["m2", "m3"] as const)
      ids[who] = (
        await on(who).sshWithInput(
          swarmJoinScript(who, member(who), MEMBERS.m1.address),
          managerToken,
          3 * MINUTE,
        )
      ).trim();
    for (const who of ["m1", "m2", "m3"] as const)
      await on("m1").ssh(nodeAdmitScript(who, ids[who], member(who)), 3 * MINUTE);
    console.log(`swarm of three managers formed: ${seconds(t)} s`);

    await on("m1").docker(serviceCreateArgs("web", WEB));
    await waitFor("three tasks running on three nodes", 8 * MINUTE, async () => {
      const running = (await desiredTasks(on("m1"), "web")).filter((l) =>
        / Running /.test(`${l} `),
      );
      return new Set(running.map((l) => l.split(" ")[0])).size === 3 ? true : undefined;
    });
    await waitFor("web through m2", 3 * MINUTE, async () =>
      (await httpGet(guests.m2!.webPort)) === WEB_BODY ? true : undefined,
    );

    t = Date.now();
    await boot("m1new");
    console.log(`m1's new host booted: ${seconds(t)} s`);

    const loop = requestLoop(`http://127.0.0.1:${guests.m2!.webPort}/`, requests, 100, 2000);
    await new Promise((r) => setTimeout(r, 3000));
    // 1. m1's machine is new (its machineId, the relays' trigger): the relay's step runs again and now finds the swarm.
    t = Date.now();
    const token = await on("m2").ssh(rejoinTokenScript("m2"));
    check(
      "the relay gives a manager token once the swarm exists",
      /^SWMTKN-1-/.test(token.trim()),
      "SWMTKN-1-...",
    );
    // 2. m1's step on the new host: it joins through the relay.
    const newId = await m1StepOnNewHost(token);
    const joinSeconds = seconds(t);
    // 3. m1's admit step, on the first manager, which is now the new host.
    t = Date.now();
    await on("m1new").ssh(nodeAdmitScript("m1", newId, member("m1new")), 8 * MINUTE);
    const admitSeconds = seconds(t);
    // 4. The old host goes.
    await teardownGuest(guests.m1!.guest);
    delete guests.m1;
    const { failed, longestGapMs } = await loop;

    // The step again, as a later `pulumi up` would run it: the node is active, nothing changes.
    const again = await m1StepOnNewHost(token);
    check(
      "m1's step again on the new host changes nothing",
      again === newId,
      `${again} = ${newId}`,
    );
    check("the new host is a new node", newId !== oldId, `${oldId} -> ${newId}`);
    const nodes = (
      await on("m1new").docker(["node", "ls", "--format", "{{.ID}} {{.Status}} {{.ManagerStatus}}"])
    )
      .trim()
      .split("\n")
      .sort();
    const expected = [newId, ids.m2, ids.m3].sort();
    check(
      "three managers, the old m1 gone",
      nodes.length === 3 &&
        nodes.every((l) => / Ready (Leader|Reachable)$/.test(l)) &&
        JSON.stringify(nodes.map((l) => l.split(" ")[0])) === JSON.stringify(expected),
      nodes.join("; "),
    );
    const label = (
      await on("m1new").docker([
        "node",
        "inspect",
        "-f",
        '{{index .Spec.Labels "dockerhost.node"}}',
        newId,
      ])
    ).trim();
    check("the new node carries m1's label", label === "m1", label);
    const running = await waitFor("three web tasks running again", 5 * MINUTE, async () => {
      const r = (
        await on("m2").docker([
          "service",
          "ls",
          "--filter",
          "name=web",
          "--format",
          "{{.Replicas}}",
        ])
      ).trim();
      return r === "3/3" ? r : undefined;
    });
    check("web runs its three replicas", running === "3/3", running);
    console.log(
      `\nfirst manager replaced: relay token + join ${joinSeconds} s; admit + retire of the old node ${admitSeconds} s`,
    );
    console.log(
      `requests through m2 during the hand-over: ${failed} of ${requests} failed, longest gap ${longestGapMs} ms`,
    );
  } finally {
    await Promise.allSettled(Object.values(guests).map((g) => teardownGuest(g.guest)));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
