import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import {
  edgeFilesBody,
  edgeFilesRemoveScript,
  edgeFilesScript,
  edgePayload,
} from "../../components/services/edge-files";

describe("edgePayload", () => {
  it("one line per file: name, mode (a private key 400), base64", () => {
    expect(
      edgePayload([
        { name: "Caddyfile", content: "a {\n}\n" },
        { name: "key-0.pem", content: "KEY", privateKey: true },
      ]),
    ).toBe("Caddyfile\t444\tYSB7Cn0K\nkey-0.pem\t400\tS0VZ\n");
  });
});

describe("edgeFilesScript", () => {
  it("runs the body as root, and the removal removes the directory", () => {
    expect(edgeFilesScript("/x")).toMatch(/^sudo -n sh -c '#!\/bin\/sh\n# dockerhost: the edge/);
    expect(edgeFilesRemoveScript("/var/lib/x y")).toBe("sudo -n rm -rf '/var/lib/x y'");
  });
});

// The body run for real in a temporary directory, with a `docker` on PATH that plays the edge:
// running or not, and a reload that succeeds or fails with Caddy's words.
describe("edgeFilesBody, run", () => {
  let work = "";
  let dir = "";
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-edge-files-"));
    dir = path.join(work, "edge");
    fs.mkdirSync(path.join(work, "bin"));
    fs.writeFileSync(
      path.join(work, "bin", "docker"),
      [
        "#!/bin/sh",
        'echo "$*" >> "$FAKE_LOG"',
        'case "$1" in',
        '  inspect) echo "$FAKE_STATUS" ;;',
        '  exec) [ "$FAKE_RELOAD" = ok ] || { echo "Error: adapting config: unrecognized directive: bogus"; exit 1; } ;;',
        "esac",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const run = (files: Record<string, string>, running: boolean, reload: "ok" | "fails") =>
    spawnSync("sh", ["-c", edgeFilesBody(dir)], {
      input: edgePayload(Object.entries(files).map(([name, content]) => ({ name, content }))),
      encoding: "utf8",
      env: {
        PATH: `${path.join(work, "bin")}:${process.env.PATH ?? ""}`,
        FAKE_LOG: path.join(work, "docker.log"),
        FAKE_STATUS: running ? "running" : "exited",
        FAKE_RELOAD: reload,
      },
    });
  const contents = () =>
    Object.fromEntries(
      fs
        .readdirSync(dir)
        .sort()
        .map((n) => [n, fs.readFileSync(path.join(dir, n), "utf8")]),
    );
  const dockerCalls = () => fs.readFileSync(path.join(work, "docker.log"), "utf8").split("\n");

  it("the first deploy: writes the files read-only; no edge runs, so nothing reloads", () => {
    const r = run({ Caddyfile: "v1", "acme-ca-root.pem": "ROOT" }, false, "ok");
    expect([r.status, r.stderr]).toStrictEqual([0, ""]);
    expect(contents()).toStrictEqual({ Caddyfile: "v1", "acme-ca-root.pem": "ROOT" });
    expect(fs.statSync(path.join(dir, "Caddyfile")).mode & 0o777).toBe(0o444);
    expect(dockerCalls()).toStrictEqual(["inspect --format {{.State.Status}} dockerhost-edge", ""]);
  });

  it("an update: reloads the running edge, and a file no longer sent goes", () => {
    run({ Caddyfile: "v1", "certificate-0.pem": "C" }, false, "ok");
    const r = run({ Caddyfile: "v2" }, true, "ok");
    expect([r.status, r.stderr]).toStrictEqual([0, ""]);
    expect(contents()).toStrictEqual({ Caddyfile: "v2" });
    expect(dockerCalls().slice(1)).toStrictEqual([
      "inspect --format {{.State.Status}} dockerhost-edge",
      "exec dockerhost-edge caddy reload --config /etc/dockerhost-edge/Caddyfile --adapter caddyfile --force",
      "",
    ]);
  });

  it("a reload Caddy refuses: the old files back, a file new in this deploy gone, Caddy's words in the error", () => {
    run({ Caddyfile: "v1" }, false, "ok");
    const r = run({ Caddyfile: "bogus", "certificate-0.pem": "C" }, true, "fails");
    expect([r.status, r.stderr]).toStrictEqual([
      1,
      "dockerhost: the edge refused its new routes and keeps serving the old ones. Caddy said:\nError: adapting config: unrecognized directive: bogus\n",
    ]);
    expect(contents()).toStrictEqual({ Caddyfile: "v1" });
  });

  it("refuses a file name that would leave the directory", () => {
    const r = spawnSync("sh", ["-c", edgeFilesBody(dir)], {
      input: "../evil\t444\tWA==\n",
      encoding: "utf8",
    });
    expect([r.status, r.stderr]).toStrictEqual([
      1,
      "dockerhost: an edge file name is not a plain name\n",
    ]);
  });
});
