import * as path from "node:path";
import type { ContainerSpec } from "../components/core/container-spec";
import type { EdgeSpec } from "../components/core/edge-spec";
import type { HostGuest } from "../tests/support/host-guest";
import {
  createEdgeObjects,
  httpsGet,
  retire,
  runEdge,
  runProxied,
  writeRoutes,
} from "../tests/support/edge-deploy";
import { buildCaddy, importEdgeImage } from "../tests/support/edge-image";
import { WEB_PORT } from "../tests/support/guest-boot";
import { waitFor } from "../tests/support/guest-session";
import { startPebble, type Pebble } from "../tests/support/pebble";
import {
  EMULATION_HEALTHCHECK,
  requestLoopWith,
  type LoopResult,
} from "../tests/support/swarm-deploy";

// bench:update's `edge` row: the web container behind the host's edge (Caddy at EDGE_IMAGE's
// release, built from Go modules: tests/support/edge-image.ts; its certificate from Pebble on this
// machine), updated as DockerServices updates a proxied container: the new container beside the
// old, its health gate, the routes command's reload, then the old one stopped with its drain
// (docs/lifecycle.md, "A proxied container's image"). The loop runs over HTTPS through the edge.

const COMPONENT = "bench";
const HOST = "web.test";

export interface EdgeBench {
  /** One update from `v1` to `v2` under a loop of `requests` GETs; the containers go after. */
  measure(
    v1: string,
    v2: string,
    v2Body: string,
    requests: number,
    round: number,
  ): Promise<LoopResult>;
  stop(): void;
}

export async function startEdgeBench(
  host: HostGuest,
  work: string,
  ports: { http: number; https: number },
): Promise<EdgeBench> {
  const s = host.session;
  const pebble: Pebble = await startPebble(path.join(work, "pebble"), ports.http, ports.https);
  const caddy = await importEdgeImage(s, work, await buildCaddy());
  const edge: EdgeSpec = {
    image: caddy.image,
    acmeDirectory: pebble.directory,
    acmeCaRootPem: pebble.listenerCaPem,
  };
  await createEdgeObjects(s, COMPONENT);
  const spec = (image: string): ContainerSpec => ({
    name: "web",
    image,
    proxy: { host: HOST, port: WEB_PORT },
    healthcheck: EMULATION_HEALTHCHECK,
  });
  const route = (dockerName: string) => [{ host: HOST, upstream: `${dockerName}:${WEB_PORT}` }];
  let edgeRunning = false;
  let root = "";
  return {
    async measure(v1, v2, v2Body, requests, round) {
      const [old, next] = [`web-${round}-1`, `web-${round}-2`];
      await runProxied(s, COMPONENT, spec(v1), old);
      await writeRoutes(s, COMPONENT, route(old), edge, false);
      if (!edgeRunning) {
        await runEdge(s, COMPONENT, edge);
        root = await pebble.issuingRoot();
        edgeRunning = true;
      }
      await waitFor("edge: v1 answering over HTTPS", 5 * 60_000, () =>
        httpsGet(ports.https, HOST, root).then(
          (r) => (r.status === 200 ? true : undefined),
          () => undefined,
        ),
      );
      const loop = requestLoopWith(
        () =>
          httpsGet(ports.https, HOST, root, 2000).then((r) => {
            if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
            return r.body;
          }),
        requests,
        100,
      );
      await new Promise((r) => setTimeout(r, 3000));
      await runProxied(s, COMPONENT, spec(v2), next);
      await writeRoutes(s, COMPONENT, route(next), edge, false);
      await retire(s, old);
      const result = await loop;
      if (!result.bodies.has(v2Body))
        throw new Error("edge: the loop ended before version 2 answered; raise --requests");
      await s.docker(["rm", "-f", next]);
      return result;
    },
    stop: () => pebble.stop(),
  };
}
