import { afterAll, describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  buildDigest,
  builtImageName,
  contextEntries,
} from "../../components/services/build-context";
import { imageSourceProblems } from "../../components/services/validate-build";
import { buildSecretProblems } from "../../components/services/validate-build-secrets";
import { secretBuildArgProblems } from "../../components/core/secret-names";
import type { BuildSpec, ContainerSpec } from "../../components/core/container-spec";

// The build digest decides whether a built image (and its container) is replaced: what the
// engine is sent changes it, what .dockerignore keeps back does not.

const FIXTURE = path.join(__dirname, "..", "fixtures", "web-build");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-build-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** A copy of the fixture context to change; its build spec is relative to `scratch`. */
function contextCopy(): { dir: string; build: BuildSpec } {
  const name = `ctx${copies++}`;
  const dir = path.join(scratch, name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return { dir, build: { context: `./${name}` } };
}

const PLATFORM = "linux/amd64";
const digest = (build: BuildSpec) => buildDigest(build, PLATFORM, scratch);

describe("build digest", () => {
  it("lists what the engine is sent: .dockerignore'd files left out, sorted", () => {
    expect(contextEntries(FIXTURE)).toStrictEqual([".dockerignore", "Dockerfile", "index.html"]);
    const { dir } = contextCopy();
    fs.mkdirSync(path.join(dir, "logs"));
    fs.writeFileSync(path.join(dir, "logs", "a.log"), "x");
    fs.writeFileSync(path.join(dir, "logs", "keep.log"), "x");
    fs.appendFileSync(path.join(dir, ".dockerignore"), "logs\n!logs/keep.log\n");
    expect(contextEntries(dir)).toStrictEqual([
      ".dockerignore",
      "Dockerfile",
      "index.html",
      "logs/keep.log",
    ]);
  });

  it("is the same for two copies of one context, and for an ignored file's change", () => {
    const a = contextCopy();
    const b = contextCopy();
    fs.writeFileSync(path.join(b.dir, "notes.md"), "changed, but never sent\n");
    expect(digest(b.build)).toBe(digest(a.build));
    expect(digest(a.build)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, (c: { dir: string; build: BuildSpec }) => BuildSpec]>([
    [
      "a file's content",
      (c) => (fs.writeFileSync(path.join(c.dir, "index.html"), "new\n"), c.build),
    ],
    [
      "the Dockerfile",
      (c) => (fs.appendFileSync(path.join(c.dir, "Dockerfile"), "USER 1000\n"), c.build),
    ],
    ["a new file", (c) => (fs.writeFileSync(path.join(c.dir, "extra.txt"), ""), c.build)],
    ["a file's mode", (c) => (fs.chmodSync(path.join(c.dir, "index.html"), 0o755), c.build)],
    ["a build argument", (c) => ({ ...c.build, args: { VERSION: "2" } })],
    ["a build secret's source", (c) => ({ ...c.build, secrets: { npm: { env: "NPM_TOKEN" } } })],
    ["the target stage", (c) => ({ ...c.build, target: "runtime" })],
  ])("changes with %s", (_what, change) => {
    const unchanged = digest(contextCopy().build);
    expect(digest(change(contextCopy()))).not.toBe(unchanged);
  });

  it("does not depend on the order the arguments are given in", () => {
    const { build } = contextCopy();
    expect(digest({ ...build, args: { A: "1", B: "2" } })).toBe(
      digest({ ...build, args: { B: "2", A: "1" } }),
    );
  });

  it("changes with the platform built for", () => {
    const { build } = contextCopy();
    expect(buildDigest(build, "linux/arm64", scratch)).not.toBe(digest(build));
  });

  it.each([
    ["app", "web", "app-web:0123456789ab"],
    ["My App", "Web.Front", "my-app-web.front:0123456789ab"],
    ["_x", "y", "x-y:0123456789ab"],
  ])("names the image of %s/%s %s", (component, service, expected) => {
    expect(builtImageName(component, service, "0123456789abcdef")).toBe(expected);
  });
});

describe("image or build: the problems, exactly", () => {
  const web = (extra: Partial<ContainerSpec>): ContainerSpec => ({ name: "web", ...extra });
  it.each<[string, Partial<ContainerSpec>, string[]]>([
    ["an image", { image: "nginx:1.27" }, []],
    ["a build of the fixture", { build: { context: "./web-build" } }, []],
    [
      "neither",
      {},
      [
        'containers[0].image: required, or give build: { context: "./dir" } to build the image on the host.',
      ],
    ],
    [
      "both",
      { image: "nginx:1.27", build: { context: "./web-build" } },
      [
        "containers[0]: gives both image and build. Give image to pull one, or build to build one on the host.",
      ],
    ],
    [
      "a bad image reference",
      { image: "Nginx" },
      [
        'containers[0].image: "Nginx" is not an image reference. Repository names are lowercase. Use e.g. "nginx:1.27", "ghcr.io/org/app:2.1" or "name@sha256:<digest>".',
      ],
    ],
    [
      "an empty context",
      { build: { context: "" } },
      ['containers[0].build.context: required: the directory sent to the engine, e.g. "./web".'],
    ],
    [
      "a missing context",
      { build: { context: "./nowhere" } },
      [
        `containers[0].build.context: "./nowhere" is not a directory (looked for ${path.join(FIXTURE, "..", "nowhere")}). Give the build context's path relative to the program's directory.`,
      ],
    ],
    [
      "a missing Dockerfile",
      { build: { context: "./web-build", dockerfile: "Dockerfile.prod" } },
      [
        `containers[0].build.dockerfile: "Dockerfile.prod" is not a file (looked for ${path.join(FIXTURE, "Dockerfile.prod")}). Give the Dockerfile's path relative to the build context.`,
      ],
    ],
    [
      "a bad argument name and target",
      { build: { context: "./web-build", args: { "1X": "a", OK_1: "b" }, target: "-stage" } },
      [
        'containers[0].build.args: "1X" is not an ARG name. Use letters, digits and "_", not starting with a digit.',
        'containers[0].build.target: "-stage" is not a stage name (FROM ... AS <name>). Use letters, digits, "_", "." and "-", starting with a letter.',
      ],
    ],
  ])("%s", (_what, extra, expected) => {
    expect(imageSourceProblems(web(extra), "containers[0]", path.dirname(FIXTURE))).toStrictEqual(
      expected,
    );
  });
});

describe("build secrets: the problems, exactly", () => {
  const cwd = path.dirname(FIXTURE);
  const ENV = { NPM_TOKEN: "set" };
  const problems = (secrets: BuildSpec["secrets"]) =>
    buildSecretProblems({ context: "./web-build", secrets }, "containers[0].build", cwd, ENV);
  it.each<[string, BuildSpec["secrets"], string[]]>([
    ["an env source that is set", { npm: { env: "NPM_TOKEN" } }, []],
    ["a file outside the context", { cfg: { file: "compose-app/compose.yaml" } }, []],
    [
      "a file the context's .dockerignore leaves out",
      { notes: { file: "web-build/notes.md" } },
      [],
    ],
    [
      "an id with a comma",
      { "a,b": { env: "NPM_TOKEN" } },
      [
        'containers[0].build.secrets: "a,b" is not a secret id. Use letters, digits, "_", "." and "-" (the Dockerfile names it: RUN --mount=type=secret,id=<id> ... (the value is /run/secrets/<id>)).',
      ],
    ],
    [
      "both sources, and neither",
      { both: { env: "NPM_TOKEN", file: "x" }, "npm.rc": {} },
      [
        'containers[0].build.secrets.both: give exactly one of env (an environment variable of the deployer, e.g. { env: "BOTH" }) or file (a file on the deployer, relative to the program\'s directory).',
        'containers[0].build.secrets.npm.rc: give exactly one of env (an environment variable of the deployer, e.g. { env: "NPM_RC" }) or file (a file on the deployer, relative to the program\'s directory).',
      ],
    ],
    [
      "a bad variable name, and one that is not set",
      { a: { env: "1TOKEN" }, b: { env: "PIP_TOKEN" } },
      [
        'containers[0].build.secrets.a.env: "1TOKEN" is not an environment variable name. Use letters, digits and "_", not starting with a digit.',
        "containers[0].build.secrets.b.env: PIP_TOKEN is not set here, and the build reads it from the environment of the process running pulumi up. Export it first (export PIP_TOKEN=...; in CI, from the pipeline's secret store).",
      ],
    ],
    [
      "a missing file",
      { key: { file: "keys/deploy.key" } },
      [
        `containers[0].build.secrets.key.file: "keys/deploy.key" is not a file (looked for ${path.join(cwd, "keys", "deploy.key")}). Give the secret file's path relative to the program's directory.`,
      ],
    ],
    [
      "a file the context sends",
      { page: { file: "web-build/index.html" } },
      [
        'containers[0].build.secrets.page.file: "web-build/index.html" is inside the build context, so the engine is sent it with the context and a COPY would put it in a layer. Keep it outside "./web-build", or list "index.html" in its .dockerignore.',
      ],
    ],
  ])("%s", (_what, secrets, expected) => {
    expect(problems(secrets)).toStrictEqual(expected);
  });

  it("is part of imageSourceProblems, after the paths", () => {
    const c: ContainerSpec = {
      name: "web",
      build: { context: "./web-build", secrets: { k: { file: "nowhere" } } },
    };
    expect(imageSourceProblems(c, "containers[0]", cwd)).toStrictEqual([
      `containers[0].build.secrets.k.file: "nowhere" is not a file (looked for ${path.join(cwd, "nowhere")}). Give the secret file's path relative to the program's directory.`,
    ]);
  });

  it("warns of a build arg named like a secret, pointing at build.secrets", () => {
    expect(
      secretBuildArgProblems({ NPM_TOKEN: "x", VERSION: "2" }, "containers[1].build"),
    ).toStrictEqual([
      "containers[1].build.args.NPM_TOKEN: the name says it is a secret, but a build arg stays readable in the image's history and the stack's state. Pass it as a build secret instead: containers[1].build.secrets.NPM_TOKEN: { env: \"NPM_TOKEN\" }, read in the Dockerfile with RUN --mount=type=secret,id=NPM_TOKEN (the value is /run/secrets/NPM_TOKEN).",
    ]);
  });
});
