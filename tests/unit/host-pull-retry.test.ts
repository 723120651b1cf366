import { describe, expect, it } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hostPullScript } from "../../components/services/host-pull";

// The host's pull step under /bin/sh, against stand-ins for sudo, docker and sleep on PATH: a
// registry that refuses the first pulls (a grant not yet honoured) is tried again, and any other
// failure ends the step at once with docker's words.

function run(failures: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
  log: string[];
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-pull-"));
  const script = (name: string, body: string) =>
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "failures"), failures.map((f) => `${f}\n`).join(""));
  script("sudo", 'while [ "${1#-}" != "$1" ]; do shift; done; exec "$@"');
  script("sleep", `echo "sleep $1" >> ${dir}/log`);
  script(
    "docker",
    [
      `echo "docker $*" >> ${dir}/log`,
      'if [ "$1" = image ]; then echo sha256:0123; exit 0; fi',
      `first=$(head -n 1 ${dir}/failures)`,
      `[ -z "$first" ] && exit 0`,
      `sed -i 1d ${dir}/failures`,
      'echo "$first" >&2; exit 1',
    ].join("\n"),
  );
  const result = spawnSync("/bin/sh", ["-c", hostPullScript("shop.azurecr.io/app:1")], {
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    encoding: "utf8",
  });
  const log = fs.existsSync(path.join(dir, "log"))
    ? fs.readFileSync(path.join(dir, "log"), "utf8").trim().split("\n")
    : [];
  fs.rmSync(dir, { recursive: true });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, log };
}

const PULL = "docker pull -q shop.azurecr.io/app:1";
const INSPECT = "docker image inspect -f {{.Id}} shop.azurecr.io/app:1";

describe("the host's pull step", () => {
  it("tries again while the registry refuses, then prints the image's id", () => {
    const result = run([
      "Error response from daemon: Head ...: unauthorized: authentication required",
      // The docker CLI's words around the ACR helper's own, as it passes the helper's on.
      "error getting credentials - err: exit status 1, out: `` dockerhost-acr: shop.azurecr.io: unauthorized: HTTP 401 from https://shop.azurecr.io/oauth2/exchange: {}",
      "Error response from daemon: denied: User: arn:aws:sts::123456789012:assumed-role/r/i is not authorized to perform: ecr:BatchGetImage",
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("sha256:0123\n");
    expect(result.log).toStrictEqual([
      PULL,
      "sleep 10",
      PULL,
      "sleep 10",
      PULL,
      "sleep 10",
      PULL,
      INSPECT,
    ]);
  });

  it.each([
    "Error response from daemon: manifest for shop.azurecr.io/app:1 not found",
    "Error response from daemon: pull access denied for app, repository does not exist or may require 'docker login'",
  ])("ends at once on any other failure, with docker's words: %s", (failure) => {
    const result = run([failure]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${failure}\n`);
    expect(result.log).toStrictEqual([PULL]);
  });

  it("gives up after 60 refusals, with the last one", () => {
    const result = run(Array.from({ length: 60 }, (_, i) => `unauthorized: try ${i + 1}`));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("unauthorized: try 60\n");
    expect(result.log.filter((l) => l === PULL).length).toBe(60);
    expect(result.log.filter((l) => l === "sleep 10").length).toBe(59);
  });

  it("is clean sh by shellcheck", () => {
    expect(
      execFileSync("shellcheck", ["-s", "sh", "-"], {
        input: hostPullScript("shop.azurecr.io/app:1"),
        encoding: "utf8",
      }),
    ).toBe("");
  });
});
