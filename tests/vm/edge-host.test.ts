import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it, jest } from "@jest/globals";
import type { ContainerSpec } from "../../components/core/container-spec";
import type { EdgeSpec } from "../../components/core/edge-spec";
import { EDGE_CONTAINER, STRICT_HSTS, type EdgeRoute } from "../../components/services/edge-config";
import { ensureBakedGuestImage } from "../support/baked-guest";
import { describeVm } from "../support/describe-vm";
import { WEB_PORT, buildWebImageTarball, freePort, teardownGuest } from "../support/guest-boot";
import { waitFor } from "../support/guest-session";
import { startHostGuest, type HostGuest } from "../support/host-guest";
import { startPebble, type Pebble } from "../support/pebble";
import { requestLoopWith } from "../support/swarm-deploy";
import {
  createEdgeObjects,
  httpGetWithHost,
  httpsGet,
  retire,
  runEdge,
  runProxied,
  writeRoutes,
} from "../support/edge-deploy";
import { EDGE_IMAGE } from "../../components/services/edge-config";
import { buildCaddy, importEdgeImage } from "../support/edge-image";

// One baked guest with the edge: Caddy built from Go modules at EDGE_IMAGE's release (imported as
// an image into the guest's engine; tests/support/edge-image.ts),
// certificates from Pebble on this machine (the guest reaches it at 10.0.2.2; Pebble validates at
// 127.0.0.1, forwarded to the guest's 80 and 443), two hostnames routed to two containers, and a
// proxied container's replacement under a request loop over HTTPS, in the engine's order.

const MINUTE = 60_000;
jest.setTimeout(30 * MINUTE);
const COMPONENT = "edge-services";
const HEALTHCHECK = {
  test: ["CMD-SHELL", `/bin/busybox wget -q -O /dev/null http://127.0.0.1:${WEB_PORT}/`],
  interval: "5s",
  retries: 3,
  startPeriod: "10s",
};
const proxied = (name: string, host: string, image: string): ContainerSpec => ({
  name,
  image,
  proxy: { host, port: WEB_PORT },
  healthcheck: HEALTHCHECK,
});
const route = (spec: ContainerSpec, dockerName: string): EdgeRoute => ({
  host: spec.proxy!.host,
  upstream: `${dockerName}:${spec.proxy!.port}`,
});

describeVm("the edge on a local guest: HTTPS by ACME from Pebble, gap-free switches", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-vm-edge-"));
  let host: HostGuest | undefined;
  let pebble: Pebble | undefined;
  let root = "";
  let httpPort = 0;
  let httpsPort = 0;
  let edge: EdgeSpec = {};
  const s = () => host!.session;
  const images: Record<string, string> = {};
  // What the routes are now: the Docker name each proxied container runs under.
  const running = { a: "web-a-1", b: "web-b-1" };
  const a = () => proxied("web-a", "a.test", images.v1!);
  const b = () => proxied("web-b", "b.test", images.b!);

  beforeAll(async () => {
    // Caddy builds on this machine while the guest boots (scripts/caddy.sh, under nice); a
    // failed build surfaces when awaited below, not as an unhandled rejection.
    const caddyBuild = buildCaddy().then(
      (bin) => ({ bin }),
      (error: Error) => ({ error }),
    );
    const baked = await ensureBakedGuestImage("baseline");
    [httpPort, httpsPort] = [await freePort(), await freePort()];
    pebble = await startPebble(work, httpPort, httpsPort);
    host = await startHostGuest("edge", work, "baseline", "os-default", {
      baked: baked.image,
      extraForwards: [
        { hostPort: httpPort, guestPort: 80 },
        { hostPort: httpsPort, guestPort: 443 },
      ],
    });
    console.log(`edge: cloud-init done at ${host.timings.cloudInitDone} s`);
    const built = await caddyBuild;
    if ("error" in built) throw built.error;
    const caddy = await importEdgeImage(s(), work, built.bin);
    console.log(`edge: image ${caddy.image} with Caddy ${caddy.version} built from Go modules`);
    // The release real hosts run: EDGE_IMAGE's tag.
    expect(EDGE_IMAGE.startsWith(`caddy:${caddy.version.replace(/^v/, "")}@`)).toBe(true);
    edge = {
      image: caddy.image,
      acmeDirectory: pebble.directory,
      acmeCaRootPem: pebble.listenerCaPem,
    };
    for (const [tag, body, cmdPort] of [
      ["v1", "a, version 1\n", WEB_PORT],
      ["v2", "a, version 2\n", WEB_PORT],
      ["b", "b\n", WEB_PORT],
      // Serves on another port: its healthcheck never passes.
      ["broken", "never\n", 9999],
    ] as const) {
      const dir = path.join(work, `image-${tag}`);
      fs.mkdirSync(dir);
      const tarball = buildWebImageTarball(dir, body);
      images[tag] = `dockerhost-test/web:${tag}`;
      await s().docker([
        "import",
        "--change",
        `CMD ["/bin/busybox","httpd","-f","-p","${cmdPort}","-h","/www"]`,
        tarball,
        images[tag]!,
      ]);
    }
    // The first deploy, in the order of the registered resources: network and volume, the
    // proxied containers and their gates, the routes, the edge.
    await createEdgeObjects(s(), COMPONENT);
    await runProxied(s(), COMPONENT, a(), running.a);
    await runProxied(s(), COMPONENT, b(), running.b);
    await writeRoutes(s(), COMPONENT, [route(a(), running.a), route(b(), running.b)], edge, false);
    await runEdge(s(), COMPONENT, edge);
    root = await pebble.issuingRoot();
  });

  afterAll(async () => {
    pebble?.stop();
    if (host) await teardownGuest(host.guest);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("serves two hostnames over HTTPS with certificates from Pebble that chain to its root", async () => {
    // The first answers wait for the orders: the account, one order per name (Caddy runs them
    // side by side, so either name may be served first), their challenges.
    const served = (name: string) =>
      waitFor(`${name} over HTTPS`, 5 * MINUTE, () =>
        httpsGet(httpsPort, name, root).then(
          (r) => (r.status === 200 ? r : undefined),
          () => undefined,
        ),
      );
    const first = await served("a.test");
    const second = await served("b.test");
    console.log(
      `edge: a.test ${first.altNames} serial ${first.serial}; b.test ${second.altNames}; Pebble issued ${pebble!.issued()}`,
    );
    expect([first.authorized, first.altNames, first.body]).toStrictEqual([
      true,
      "DNS:a.test",
      "a, version 1\n",
    ]);
    expect([second.authorized, second.altNames, second.body]).toStrictEqual([
      true,
      "DNS:b.test",
      "b\n",
    ]);
    expect(pebble!.issued()).toBe(2);
  });

  it("redirects port 80 to HTTPS", async () => {
    const res = await httpGetWithHost(httpPort, "a.test", "/some/path?q=1");
    expect([res.status, res.location]).toStrictEqual([308, "https://a.test/some/path?q=1"]);
  });

  it("publishes no port of a proxied container: only the edge's 80 and 443", async () => {
    const ports = (name: string) =>
      s().docker(["inspect", "-f", "{{json .HostConfig.PortBindings}}", name]);
    expect((await ports(running.a)).trim()).toBe("{}");
    expect(Object.keys(JSON.parse(await ports(EDGE_CONTAINER)) as object).sort()).toStrictEqual([
      "443/tcp",
      "80/tcp",
    ]);
  });

  it("replaces a proxied container's image under a request loop over HTTPS: no failed request", async () => {
    // 700 requests, at least 100 ms apart: longer than the steps (31-65 s here), so the loop
    // spans the old container's stop; the test checks that it did.
    const requests = 700;
    const loop = requestLoopWith(
      () =>
        httpsGet(httpsPort, "a.test", root, 3000).then((r) => {
          if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
          return r.body;
        }),
      requests,
      100,
    ).then((r) => ({ ...r, endedAt: Date.now() }));
    await new Promise((r) => setTimeout(r, 3000));
    // The engine's create-before-delete (edge.ts): the new container and its gate, the routes
    // command's update (its input, the upstream's name, changed; it reloads, then waits for the
    // old routes' requests in flight), the old container last.
    const next = { ...a(), image: images.v2! };
    const started = Date.now();
    await runProxied(s(), COMPONENT, next, "web-a-2");
    const gated = Date.now();
    await writeRoutes(s(), COMPONENT, [route(next, "web-a-2"), route(b(), running.b)], edge, false);
    const switched = Date.now();
    await retire(s(), running.a);
    const retired = Date.now();
    running.a = "web-a-2";
    const result = await loop;
    const at = (t: number) => ((t - started) / 1000).toFixed(1);
    console.log(
      `edge: steps (s from the first): new container gated ${at(gated)}, routes switched and drained ${at(switched)}, old container stopped ${at(retired)}, loop ended ${at(result.endedAt)}; ${result.failed} of ${requests} requests failed ${JSON.stringify(result.failures)} at ${JSON.stringify(result.failedAt.map(at))}, longest gap ${result.longestGapMs} ms, bodies ${JSON.stringify([...result.bodies])}`,
    );
    expect(result.endedAt).toBeGreaterThan(retired);
    // Caddy keeps its certificate cache through a reload since v2.7.0 (caddyserver/caddy#5623;
    // 2.6's new cache per config load could fail a handshake in that moment, #5589), and the
    // routes step waits for the old routes' requests before the old container can stop
    // (EDGE_SWITCH_DRAIN_SECONDS): no request fails.
    expect(result.failures).toStrictEqual({});
    expect(result.failed).toBe(0);
    expect([...result.bodies].sort()).toStrictEqual(["a, version 1\n", "a, version 2\n"]);
  });

  it("leaves the old container serving when the new one never turns healthy, and fails with its health log", async () => {
    const broken = { ...a(), image: images.broken! };
    const failure = await runProxied(s(), COMPONENT, broken, "web-a-3").then(
      () => "deployed",
      (e: Error) => e.message,
    );
    expect(failure).toMatch(
      /dockerhost: container web-a-3 is not healthy \(unhealthy\); its last health check said:/,
    );
    // The routes command depends on the gate: it never ran, so the edge still routes to web-a-2.
    expect((await httpsGet(httpsPort, "a.test", root)).body).toBe("a, version 2\n");
    await s().docker(["rm", "-f", "web-a-3"]);
  });

  it("keeps its certificates on the data volume: a new edge container orders none", async () => {
    const before = await httpsGet(httpsPort, "a.test", root);
    const issued = pebble!.issued();
    await s().docker(["rm", "-f", EDGE_CONTAINER]);
    await runEdge(s(), COMPONENT, edge);
    const after = await waitFor("a.test from the new edge", 2 * MINUTE, () =>
      httpsGet(httpsPort, "a.test", root).then(
        (r) => (r.status === 200 ? r : undefined),
        () => undefined,
      ),
    );
    expect([after.serial, pebble!.issued()]).toStrictEqual([before.serial, issued]);
  });

  it("under strict, sends HSTS and refuses TLS 1.1", async () => {
    await writeRoutes(s(), COMPONENT, [route(a(), running.a), route(b(), running.b)], edge, true);
    const res = await httpsGet(httpsPort, "a.test", root);
    expect(res.headers["strict-transport-security"]).toBe(STRICT_HSTS);
    // openssl's own floor is lowered (SECLEVEL=0) so that the refusal, if any, is the edge's.
    const handshake = (version: string) => {
      const r = spawnSync(
        "openssl",
        [
          "s_client",
          "-connect",
          `127.0.0.1:${httpsPort}`,
          "-servername",
          "a.test",
          version,
          "-cipher",
          "DEFAULT@SECLEVEL=0",
        ],
        { input: "", encoding: "utf8", timeout: 20_000 },
      );
      return r.status === 0 ? "connected" : `${r.stderr}${r.stdout}`;
    };
    const tls11 = handshake("-tls1_1");
    console.log(
      `edge: TLS 1.1 handshake: ${tls11.split("\n").find((l) => /alert|error/i.test(l)) ?? tls11}`,
    );
    expect(tls11).toMatch(/alert protocol version/);
    expect(handshake("-tls1_2")).toBe("connected");
  });
});
