import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { edgeFilesBody, edgeFilesScript, edgePayload } from "../../components/services/edge-files";

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
  it("runs the body as root", () => {
    expect(edgeFilesScript("/x")).toMatch(/^sudo -n sh -c '#!\/bin\/sh\n# dockerhost: the edge/);
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
        '  info) echo "$FAKE_SECURITY" ;;',
        '  inspect) echo "$FAKE_STATUS" ;;',
        '  exec) [ "$FAKE_RELOAD" = ok ] || { echo "Error: adapting config: unrecognized directive: bogus"; exit 1; } ;;',
        "esac",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    // The drain after a reload, logged instead of waited for.
    fs.writeFileSync(
      path.join(work, "bin", "sleep"),
      '#!/bin/sh\necho "sleep $*" >> "$FAKE_LOG"\n',
      {
        mode: 0o755,
      },
    );
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const run = (files: Record<string, string>, running: boolean, reload: "ok" | "fails") =>
    spawnSync("sh", ["-c", edgeFilesBody(dir)], {
      // A file named key-* is a private key, as edge.ts names them.
      input: edgePayload(
        Object.entries(files).map(([name, content]) => ({
          name,
          content,
          privateKey: name.startsWith("key-"),
        })),
      ),
      encoding: "utf8",
      env: {
        PATH: `${path.join(work, "bin")}:${process.env.PATH ?? ""}`,
        FAKE_LOG: path.join(work, "docker.log"),
        FAKE_STATUS: running ? "running" : "exited",
        // No userns-remap (baseline): the files are root's, as the edge's root is.
        FAKE_SECURITY: '["name=apparmor","name=seccomp,profile=builtin"]',
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

  it("the first deploy: writes the files read-only, a key 0400, root's without userns-remap; no edge runs, so nothing reloads", () => {
    const r = run({ Caddyfile: "v1", "key-0.pem": "K" }, false, "ok");
    expect([r.status, r.stderr]).toStrictEqual([0, ""]);
    expect(contents()).toStrictEqual({ Caddyfile: "v1", "key-0.pem": "K" });
    const stat = (n: string) => fs.statSync(path.join(dir, n));
    expect([stat("Caddyfile").mode & 0o777, stat("key-0.pem").mode & 0o777]).toStrictEqual([
      0o444, 0o400,
    ]);
    expect([stat("key-0.pem").uid, stat(".").mode & 0o777]).toStrictEqual([0, 0o755]);
    expect(dockerCalls()).toStrictEqual([
      "info --format {{json .SecurityOptions}}",
      "inspect --format {{.State.Status}} dockerhost-edge",
      "",
    ]);
  });

  it("an update: reloads the running edge, and a file no longer sent goes", () => {
    run({ Caddyfile: "v1", "certificate-0.pem": "C" }, false, "ok");
    const r = run({ Caddyfile: "v2" }, true, "ok");
    expect([r.status, r.stderr]).toStrictEqual([0, ""]);
    expect(contents()).toStrictEqual({ Caddyfile: "v2" });
    expect(dockerCalls().slice(2)).toStrictEqual([
      "info --format {{json .SecurityOptions}}",
      "inspect --format {{.State.Status}} dockerhost-edge",
      "exec dockerhost-edge caddy reload --config /etc/dockerhost-edge/Caddyfile --adapter caddyfile --force",
      // The old routes' requests in flight finish before the old container can go.
      "sleep 10",
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
