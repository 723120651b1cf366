import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ShippedFilesSpec } from "../../components/core/container-spec";
import {
  shipBody,
  shipSecretBody,
  shipmentClashes,
  shippedDir,
  shippedHostPath,
  shippedPayload,
  shippedProblems,
} from "../../components/services/shipped-files";

// Files shipped to the host for a bind mount: where they land, what travels, and the script
// that writes them, run here with sh on a scratch directory (on the host it runs as root).

const b64 = (text: string) => Buffer.from(text).toString("base64");
const CONF: ShippedFilesSpec = {
  name: "files-conf.d",
  entries: [
    { path: "default.conf", contentBase64: b64("server { listen 8080; }\n") },
    { path: "snippets/gzip.conf", contentBase64: b64("gzip on;\n") },
    { path: "start.sh", contentBase64: b64("#!/bin/sh\necho hi\n"), executable: true },
  ],
};
const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-ship-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function ship(dir: string, payload: string) {
  return spawnSync("sh", ["-c", shipBody(dir)], { input: payload, encoding: "utf8" });
}

describe("shipped files", () => {
  it("land on the Docker data disk in a directory named by their content", () => {
    expect(shippedDir("shop", CONF)).toMatch(
      /^\/var\/lib\/docker\/dockerhost-files\/shop\/files-conf\.d-[0-9a-f]{16}$/,
    );
    const changed = { ...CONF, entries: [{ path: "default.conf", contentBase64: b64("x") }] };
    expect(shippedDir("shop", changed)).not.toBe(shippedDir("shop", CONF));
    // The same files in another order are the same shipment.
    expect(shippedDir("shop", { ...CONF, entries: [...CONF.entries].reverse() })).toBe(
      shippedDir("shop", CONF),
    );
    expect(shippedHostPath("shop", { ...CONF, file: "default.conf" })).toBe(
      `${shippedDir("shop", CONF)}/default.conf`,
    );
  });

  it("are written by the script, each file with its mode, readable by all, and replace the old directory whole", () => {
    const dir = path.join(work, "shop", "conf");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "stale"), "old");
    const r = ship(dir, shippedPayload(CONF));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
    expect(files).toStrictEqual(["default.conf", "snippets", "snippets/gzip.conf", "start.sh"]);
    expect(fs.readFileSync(path.join(dir, "snippets/gzip.conf"), "utf8")).toBe("gzip on;\n");
    const mode = (f: string) => (fs.statSync(path.join(dir, f)).mode & 0o777).toString(8);
    expect([mode("default.conf"), mode("start.sh"), mode("snippets")]).toStrictEqual([
      "644",
      "755",
      "755",
    ]);
    expect(fs.existsSync(`${dir}.new`)).toBe(false);
  });

  it("refuses a path that leaves the directory, and writes nothing in place", () => {
    const dir = path.join(work, "evil");
    const r = ship(dir, `../escape\t644\t${b64("x")}\n`);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("dockerhost: a shipped path leaves its directory\n");
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.existsSync(path.join(work, "escape"))).toBe(false);
  });

  it("a secret lands in a directory named without its digest, read-only, rewritten in place so a bound file sees the change", () => {
    const secret: ShippedFilesSpec = {
      name: "secret-db",
      entries: [{ path: "db", contentBase64: b64("one") }],
      file: "db",
      secret: true,
    };
    expect(shippedDir("shop", secret)).toBe("/var/lib/docker/dockerhost-files/shop/secret-db");
    expect(shippedPayload(secret)).toBe(`db\t444\t${b64("one")}\n`);
    const dir = path.join(work, "secret");
    const run = (spec: ShippedFilesSpec) =>
      spawnSync("sh", ["-c", shipSecretBody(dir)], {
        input: shippedPayload(spec),
        encoding: "utf8",
      });
    expect(run(secret).status).toBe(0);
    const inode = fs.statSync(path.join(dir, "db")).ino;
    const changed = { ...secret, entries: [{ path: "db", contentBase64: b64("two") }] };
    expect(run(changed).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "db"), "utf8")).toBe("two");
    expect(fs.statSync(path.join(dir, "db")).ino).toBe(inode);
    expect((fs.statSync(path.join(dir, "db")).mode & 0o777).toString(8)).toBe("444");
  });

  it.each<[string, ShippedFilesSpec, string[]]>([
    ["a fine shipment", CONF, []],
    [
      "a bad name, a path out, no base64, a missing file",
      {
        name: "-x",
        entries: [
          { path: "../x", contentBase64: "b64" },
          { path: "a", contentBase64: "not base64!" },
        ],
        file: "nope",
      },
      [
        'v.files.name: "-x" cannot name a directory. Use letters, digits, "_", "." and "-", starting with a letter or digit.',
        'v.files.entries[0].path: "../x" must be a relative path inside the shipment, without "..", tabs or line breaks.',
        "v.files.entries[1].contentBase64: must be base64.",
        'v.files.file: "nope" is not one of the entries.',
      ],
    ],
    ["nothing", { name: "x", entries: [] }, ["v.files.entries: ship at least one file."]],
    [
      "too much",
      { name: "x", entries: [{ path: "big", contentBase64: "A".repeat(1_500_000) }] },
      [
        "v.files: 1125000 bytes is more than 1048576 to ship through Pulumi's state. Build the files into the image (COPY), or put them on the host and give hostPath.",
      ],
    ],
  ])("%s", (_what, spec, problems) => {
    expect(shippedProblems(spec, "v.files")).toStrictEqual(problems);
  });

  it("refuses one name for two different sets of files", () => {
    const other = { ...CONF, entries: [CONF.entries[0]] };
    expect(
      shipmentClashes([
        { name: "a", volumes: [{ containerPath: "/a", files: CONF }] },
        { name: "b", volumes: [{ containerPath: "/b", files: CONF }] },
        { name: "c", volumes: [{ containerPath: "/c", files: other }] },
      ]),
    ).toStrictEqual([
      'containers[2].volumes[0].files.name: "files-conf.d" also names other files at containers[0].volumes[0].files. Give each set of files its own name.',
    ]);
  });
});
