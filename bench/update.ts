import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { swarmInitScript } from "../components/swarm/swarm-commands";
import type { SwarmServiceSpec } from "../components/core/swarm-service-spec";
import { ensureBakedGuestImage } from "../tests/support/baked-guest";
import {
  GUEST_ADDRESS,
  SERVICE_DEFAULTS,
  WEB_BODY,
  WEB_IMAGE_CMD,
  WEB_PORT,
  buildWebImageTarball,
  freePort,
  teardownGuest,
} from "../tests/support/guest-boot";
import { httpGet, waitFor } from "../tests/support/guest-session";
import { startHostGuest, stopGuestsOnInterrupt, type HostGuest } from "../tests/support/host-guest";
import {
  EMULATION_HEALTHCHECK,
  requestLoop,
  serviceCreateArgs,
} from "../tests/support/swarm-deploy";
import { summarize } from "./stats";
import { countFlag, rowsFlag } from "./flags";
import { startEdgeBench, type EdgeBench } from "./update-edge";

// `npm run bench:update [-- --rounds N --requests R --rows replace,start-first,edge]`: downtime during an image update of one
// published web service, on one baked guest (a one-node swarm), three rows interleaved
// (replace, start-first, edge, replace, ...), each repeated N times (default 3):
//   replace     - what DockerServices does on an image change (deleteBeforeReplace): the old
//                 container removed, then the new one created with the same published port;
//   start-first - a swarm service updated with SwarmServices' defaults: the new task started and
//                 healthy before the old one stops, through the routing mesh;
//   edge        - a proxied container behind the host's edge, over HTTPS (update-edge.ts): the
//                 new container and its gate, the edge's reload, the old one drained and removed.
// During each update a fixed loop of R GETs (default 1500, one per 100 ms, 2 s timeout each) runs
// against the forwarded port on 127.0.0.1 (the edge row: HTTPS to the forwarded 443); it stops
// by itself. Printed per row: failed requests
// of R and the longest gap between two answered requests, medians with min-max.

const MINUTE = 60_000;
const V1 = "dockerhost-test/web:1";
const V2 = "dockerhost-test/web:2";
const V2_BODY = "hello from version 2\n";
const SERVICE: SwarmServiceSpec = {
  name: "web",
  image: V1,
  replicas: 1,
  ports: [{ internal: WEB_PORT, mode: "ingress" }],
  healthcheck: EMULATION_HEALTHCHECK,
  update: { monitor: "10s" },
};
const ROWS = ["replace", "start-first", "edge"] as const;
type Row = (typeof ROWS)[number];

interface Measured {
  failed: number;
  longestGapMs: number;
  /** What failed, by its error: a bench that fails a request says why. */
  failures?: Record<string, number>;
}

/** One update of one row: set up v1, start the loop, update to v2, wait for the loop, clean up. */
async function measure(
  host: HostGuest,
  row: Exclude<Row, "edge">,
  requests: number,
): Promise<Measured> {
  const s = host.session;
  // A container as DockerServices runs it, on the port the service publishes.
  const runWeb = (image: string) =>
    s.docker([
      "run",
      "-d",
      "--name",
      "web",
      "-p",
      `${WEB_PORT}:${WEB_PORT}`,
      ...SERVICE_DEFAULTS,
      image,
    ]);
  if (row === "replace") await runWeb(V1);
  else await s.docker(serviceCreateArgs("web", SERVICE));
  await waitFor(`${row}: v1 answering`, 5 * MINUTE, async () =>
    (await httpGet(host.webPort)) === WEB_BODY ? true : undefined,
  );
  const loop = requestLoop(`http://127.0.0.1:${host.webPort}/`, requests, 100, 2000);
  // The update starts once the loop has run a little: it measures before, during and after.
  await new Promise((r) => setTimeout(r, 3000));
  if (row === "replace") {
    await s.docker(["rm", "-f", "web"]);
    await runWeb(V2);
  } else {
    await s.docker(["service", "update", "--detach=false", "--image", V2, "web"], 10 * MINUTE);
  }
  const { failed, longestGapMs, bodies, failures } = await loop;
  if (!bodies.has(V2_BODY))
    throw new Error(`${row}: the loop ended before version 2 answered; raise --requests`);
  if (row === "replace") await s.docker(["rm", "-f", "web"]);
  else await s.docker(["service", "rm", "web"]);
  // The routing mesh lets go of a removed service's port a while after the tasks stopped (the
  // next container's bind failed: "address already in use"): wait until nothing listens there.
  await s.ssh(
    `for _ in $(seq 120); do ss -Hltn 'sport = :${WEB_PORT}' | grep -q . || exit 0; sleep 1; done; echo "port ${WEB_PORT} still bound" >&2; exit 1`,
    3 * MINUTE,
  );
  return { failed, longestGapMs, failures };
}

async function main(): Promise<void> {
  const rounds = countFlag("--rounds", 3);
  const requests = countFlag("--requests", 1500);
  const rows = rowsFlag(ROWS);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-bench-update-"));
  stopGuestsOnInterrupt(work);
  let host: HostGuest | undefined;
  let edge: EdgeBench | undefined;
  try {
    const baked = await ensureBakedGuestImage("baseline");
    const ports = { http: await freePort(), https: await freePort() };
    host = await startHostGuest("bench-update", work, "baseline", "os-default", {
      baked: baked.image,
      swarm: true,
      extraForwards: [
        { hostPort: ports.http, guestPort: 80 },
        { hostPort: ports.https, guestPort: 443 },
      ],
    });
    const s = host.session;
    for (const [tag, body] of [
      [V1, WEB_BODY],
      [V2, V2_BODY],
    ]) {
      const dir = fs.mkdtempSync(path.join(work, "image-"));
      await s.docker(["import", "--change", WEB_IMAGE_CMD, buildWebImageTarball(dir, body), tag]);
    }
    // A one-node swarm, made by DockerSwarm's own first step, on the guest's own address.
    await s.ssh(
      swarmInitScript("bench", { address: GUEST_ADDRESS, availability: "active" }, false),
      3 * MINUTE,
    );
    if (rows.includes("edge")) edge = await startEdgeBench(host, work, ports);
    const results: Record<Row, Measured[]> = { replace: [], "start-first": [], edge: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const row of rows) {
        const m =
          row === "edge"
            ? await edge!.measure(V1, V2, V2_BODY, requests, round)
            : await measure(host, row, requests);
        results[row].push(m);
        console.log(
          `round ${round} ${row}: ${m.failed} of ${requests} failed${m.failed ? ` ${JSON.stringify(m.failures)}` : ""}, longest gap ${m.longestGapMs} ms`,
        );
      }
    }
    const cell = (values: number[]) => {
      const { median, min, max } = summarize(values);
      return `${median} (${min}-${max})`;
    };
    console.log(`\nimage update of one web service, ${requests} requests each, ${rounds} rounds`);
    console.log(
      `${"row".padEnd(12)} ${"failed, median (min-max)".padEnd(26)} longest gap ms, median (min-max)`,
    );
    for (const row of rows)
      console.log(
        `${row.padEnd(12)} ${cell(results[row].map((m) => m.failed)).padEnd(26)} ${cell(results[row].map((m) => m.longestGapMs))}`,
      );
  } finally {
    edge?.stop();
    if (host) await teardownGuest(host.guest);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
