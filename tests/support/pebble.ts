import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { freePort } from "./guest-boot";
import { waitFor } from "./guest-session";

// Let's Encrypt's test ACME server, Pebble (Debian's `pebble`), on 127.0.0.1 for one test, with
// its own mock DNS (pebble-challtestsrv, in the same package) answering every name with
// 127.0.0.1: Pebble validates a challenge for "app.test" at 127.0.0.1 on its httpPort or
// tlsPort, which the test forwards to the guest's 80 and 443. The guest reaches Pebble at
// 10.0.2.2 (QEMU's user-mode network maps it to this machine's loopback), so Pebble's own HTTPS
// certificate is made here for that address, by a CA of the test's, which the edge is told to
// trust (edge.acmeCaRootPem). Both processes are started bounded and stopped by PID.

/** Where the guest finds this machine's loopback (QEMU user-mode networking). */
export const HOST_FROM_GUEST = "10.0.2.2";

export interface Pebble {
  /** The ACME directory as the guest reaches it. */
  directory: string;
  /** The CA that signed Pebble's listener: what the edge must trust to talk to it. */
  listenerCaPem: string;
  /** The root Pebble issues certificates under (new at each start). */
  issuingRoot(): Promise<string>;
  /** Certificates Pebble has issued so far (from its log). */
  issued(): number;
  log(): string;
  stop(): void;
}

// A new P-256 key, unencrypted: what both of the listener's `openssl req` calls make.
const NEW_P256_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

function listenerCertificate(dir: string): { caPem: string; cert: string; key: string } {
  const f = (n: string) => path.join(dir, n);
  const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  openssl([
    "req",
    "-x509",
    ...NEW_P256_KEY,
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=dockerhost test ACME listener CA",
  ]);
  openssl([
    "req",
    ...NEW_P256_KEY,
    "-keyout",
    f("listener.key"),
    "-out",
    f("listener.csr"),
    "-subj",
    "/CN=pebble",
  ]);
  fs.writeFileSync(
    f("san.ext"),
    `subjectAltName=IP:${HOST_FROM_GUEST},IP:127.0.0.1,DNS:localhost\n`,
  );
  openssl([
    "x509",
    "-req",
    "-in",
    f("listener.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-out",
    f("listener.pem"),
    "-days",
    "2",
    "-extfile",
    f("san.ext"),
  ]);
  return {
    caPem: fs.readFileSync(f("ca.pem"), "utf8"),
    cert: f("listener.pem"),
    key: f("listener.key"),
  };
}

/** Starts Pebble whose validations go to 127.0.0.1:httpPort (HTTP-01) and :tlsPort (TLS-ALPN-01). */
export async function startPebble(
  workDir: string,
  httpPort: number,
  tlsPort: number,
): Promise<Pebble> {
  const dir = path.join(workDir, "pebble");
  fs.mkdirSync(dir, { recursive: true });
  const listener = listenerCertificate(dir);
  const [acmePort, managementPort, dnsPort, challManagement] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  fs.writeFileSync(
    path.join(dir, "pebble.json"),
    JSON.stringify({
      pebble: {
        listenAddress: `0.0.0.0:${acmePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: listener.cert,
        privateKey: listener.key,
        httpPort,
        tlsPort,
        ocspResponderURL: "",
        externalAccountBindingRequired: false,
      },
    }),
  );
  const logs: string[] = [];
  const started: ChildProcess[] = [];
  const keep = (child: ChildProcess) => {
    started.push(child);
    child.stdout?.on("data", (d: Buffer) => logs.push(d.toString()));
    child.stderr?.on("data", (d: Buffer) => logs.push(d.toString()));
  };
  // Only its DNS: Pebble does the validations itself.
  keep(
    spawn("pebble-challtestsrv", [
      "-dns01",
      `127.0.0.1:${dnsPort}`,
      "-http01",
      "",
      "-https01",
      "",
      "-tlsalpn01",
      "",
      "-management",
      `127.0.0.1:${challManagement}`,
      "-defaultIPv4",
      "127.0.0.1",
      "-defaultIPv6",
      "",
    ]),
  );
  keep(
    spawn(
      "pebble",
      ["-config", path.join(dir, "pebble.json"), "-dnsserver", `127.0.0.1:${dnsPort}`],
      {
        // No random nonce rejections and no sleep before validating: a test, not a conformance run.
        env: { ...process.env, PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_VA_NOSLEEP: "1" },
      },
    ),
  );
  const stop = () => {
    for (const child of started) if (child.pid && child.exitCode === null) child.kill("SIGTERM");
  };
  const get = (url: string) =>
    new Promise<string>((resolve, reject) => {
      const req = https.get(url, { ca: listener.caPem, timeout: 5000 }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", reject);
    });
  try {
    await waitFor("Pebble's directory", 30_000, () =>
      get(`https://127.0.0.1:${acmePort}/dir`).then(
        () => true,
        () => undefined,
      ),
    );
  } catch (e) {
    stop();
    throw new Error(`${(e as Error).message}\n${logs.join("")}`);
  }
  return {
    directory: `https://${HOST_FROM_GUEST}:${acmePort}/dir`,
    listenerCaPem: listener.caPem,
    issuingRoot: () => get(`https://127.0.0.1:${managementPort}/roots/0`),
    issued: () => (logs.join("").match(/Issued certificate serial/g) ?? []).length,
    log: () => logs.join(""),
    stop,
  };
}
