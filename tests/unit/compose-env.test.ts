import { afterAll, describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DockerHostConfigError } from "../../components";
import { composeServices } from "../../components/services/compose-app";
import { composeProject } from "../support/compose-project";

// A compose file with the .env beside it and env_file files, as a project ships them: the values
// Compose would give each container, which of them are secrets, and every refusal exactly.

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-compose-env-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const project = (files: Record<string, string>) => composeProject(work, files);

/** An output's value and whether it is a secret (the SDK's own view, as in the mock tests). */
async function unwrap(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  const out = pulumi.output(value as pulumi.Input<string>);
  return { value: await new Promise((r) => out.apply(r)), secret: await pulumi.isSecret(out) };
}

function problemsOf(file: string, options = {}): string[] {
  try {
    composeServices(file, options);
    return [];
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    return e.problems;
  }
}

describe("compose variables and env files", () => {
  it("interpolates from the .env beside the file, ranks environment over env_file, and keeps secrets secret", async () => {
    const file = project({
      ".env": "TAG=1.27\nDB_PASSWORD=s3cret # a comment\nWEB_PORT=8080\n",
      "web.env": "MODE=production\nAPI_TOKEN=tok#en\nOVERRIDDEN=from-file\n",
      "compose.yaml": [
        "services:",
        "  web:",
        "    image: nginx:${TAG}",
        "    ports: ['${WEB_PORT:-80}:8080']",
        "    env_file: [web.env, {path: missing.env, required: false}]",
        "    environment:",
        "      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app",
        "      OVERRIDDEN: from-environment",
        "      HOME_DIR: $$HOME",
      ].join("\n"),
    });
    const [web] = composeServices(file).containers;
    const { secretEnv, ...plain } = web;
    expect(plain).toStrictEqual({
      name: "web",
      image: "nginx:1.27",
      ports: [{ internal: 8080, external: 8080 }],
      env: { MODE: "production", OVERRIDDEN: "from-environment", HOME_DIR: "$HOME" },
    });
    expect(Object.keys(secretEnv ?? {})).toStrictEqual(["API_TOKEN", "DATABASE_URL"]);
    expect(await unwrap(secretEnv!.API_TOKEN)).toStrictEqual({ value: "tok#en", secret: true });
    expect(await unwrap(secretEnv!.DATABASE_URL)).toStrictEqual({
      value: "postgres://app:s3cret@db/app",
      secret: true,
    });
  });

  it("gives a variable listed without a value, and a build arg, the .env's value, as Compose passes them", async () => {
    const file = project({
      ".env": "MODE=production\nDB_PASSWORD=s3cret\nBASE=debian:12\n",
      "app/Dockerfile": "ARG BASE\nFROM $BASE\n",
      "compose.yaml":
        "services:\n  api:\n    build: {context: app, args: [BASE]}\n    environment: [MODE, DB_PASSWORD]\n",
    });
    const [api] = composeServices(file).containers;
    expect(api.build?.args).toStrictEqual({ BASE: "debian:12" });
    expect(api.env).toStrictEqual({ MODE: "production" });
    expect(await unwrap(api.secretEnv!.DB_PASSWORD)).toStrictEqual({
      value: "s3cret",
      secret: true,
    });
  });

  it("treats the variables the user names as secrets too", async () => {
    const file = project({
      ".env": "DSN=mysql://u:p@db/x\n",
      "compose.yaml": "services:\n  api:\n    image: a\n    environment: ['CONN=${DSN}']\n",
    });
    const [api] = composeServices(file, { secretVariables: ["DSN"] }).containers;
    expect(api.env).toBeUndefined();
    expect(await unwrap(api.secretEnv!.CONN)).toStrictEqual({
      value: "mysql://u:p@db/x",
      secret: true,
    });
  });

  it("refuses, all at once: a variable no file sets, a missing env file, a secret outside environment, a bad value (a name alone in .env is unset, as in Compose)", () => {
    const file = project({
      ".env": "DB_PASSWORD=s3cret\nLONELY\n",
      "compose.yaml": [
        "services:",
        "  db:",
        "    image: postgres:${PG_VERSION}",
        "    env_file: db.env",
        "    healthcheck:",
        "      test: pg_isready -p ${DB_PASSWORD}",
        "      retries: many",
      ].join("\n"),
    });
    const dir = path.dirname(file);
    expect(problemsOf(file)).toStrictEqual([
      `${file}: services.db.image: \${PG_VERSION} is not set. dockerhost reads variables from ${dir}/.env only, never your shell: add PG_VERSION=... there, or give a default: \${PG_VERSION:-...}.`,
      `${file}: services.db.healthcheck.test: holds \${DB_PASSWORD}, a secret: outside environment it is plain text in the stack's state and in docker inspect. Give it to the service in environment (a command or healthcheck reads it there as $$DB_PASSWORD).`,
      `${file}: services.db.env_file: "db.env" does not exist beside ${file}. Create it, or mark it optional: { path: "db.env", required: false }.`,
      `${file}: services.db.healthcheck.retries: "many" is not a whole number of tries.`,
    ]);
  });

  it("reads a file with more aliases than the yaml package's default allows", () => {
    const many = Array.from({ length: 150 }, (_, i) => `  s${i}: *svc`).join("\n");
    const file = project({
      "compose.yaml": `x-svc: &svc\n  image: nginx:1.27\nservices:\n${many}\n`,
    });
    expect(composeServices(file).containers).toHaveLength(150);
  });

  it("ships the files and directories beside the file, makes data directories volumes, and refuses a mount of what the Dockerfile copies (live reload)", () => {
    const b64 = (t: string) => Buffer.from(t).toString("base64");
    const file = project({
      "nginx.conf": "events {}\n",
      "conf.d/default.conf": "server {}\n",
      "conf.d/.gitkeep": "",
      "data/.gitkeep": "",
      "app/Dockerfile": "FROM scratch\nCOPY --chown=1000 src/ /srv/src\n",
      "app/src/main.js": "run()\n",
      "app/app.conf": "port=80\n",
      "compose.yaml": [
        "services:",
        "  web:",
        "    image: nginx:1.27",
        "    volumes:",
        "      - ./nginx.conf:/etc/nginx/nginx.conf:ro",
        "      - ./conf.d:/etc/nginx/conf.d",
        "      - ./data:/var/lib/data",
        "      - ./logs:/var/log/nginx",
        "  app:",
        "    build: ./app",
        "    volumes: ['./app/src:/srv/src', './data:/srv/data', './app/app.conf:/etc/app.conf']",
      ].join("\n"),
    });
    expect(problemsOf(file)).toStrictEqual([
      `${file}: services.app.volumes[0]: "./app/src" mounts source code from the service's own build context over the image (a live-reload mount for development): on a host the image already holds that code. Remove the mount for the deploy (a compose.override.yaml can keep it for development).`,
    ]);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("'./app/src:/srv/src', ", ""));
    const app = composeServices(file);
    expect(app.containers[0].volumes).toStrictEqual([
      {
        containerPath: "/etc/nginx/nginx.conf",
        files: {
          name: "files-nginx.conf",
          entries: [{ path: "nginx.conf", contentBase64: b64("events {}\n") }],
          file: "nginx.conf",
        },
        readOnly: true,
      },
      {
        containerPath: "/etc/nginx/conf.d",
        files: {
          name: "files-conf.d",
          entries: [
            { path: ".gitkeep", contentBase64: "" },
            { path: "default.conf", contentBase64: b64("server {}\n") },
          ],
        },
      },
      { containerPath: "/var/lib/data", volumeName: "dir-data" },
      { containerPath: "/var/log/nginx", volumeName: "dir-logs" },
    ]);
    // A file in the build context that the Dockerfile does not copy reaches the image only
    // through the mount: shipped like any other.
    expect(app.containers[1].volumes).toStrictEqual([
      { containerPath: "/srv/data", volumeName: "dir-data" },
      {
        containerPath: "/etc/app.conf",
        files: {
          name: "files-app-app.conf",
          entries: [{ path: "app.conf", contentBase64: b64("port=80\n") }],
          file: "app.conf",
        },
      },
    ]);
    expect(app.volumes).toStrictEqual([{ name: "dir-data" }, { name: "dir-logs" }]);
  });

  it("mounts file secrets read-only at /run/secrets, from a file or the .env, shipped as secrets", () => {
    const b64 = (t: string) => Buffer.from(t).toString("base64");
    const file = project({
      ".env": "API_KEY=k3y\n",
      "db_password.txt": "s3cret\n",
      "compose.yaml": [
        "services:",
        "  db:",
        "    image: postgres:17",
        "    secrets: [db_password, {source: api_key, target: /etc/api.key}]",
        "  bad:",
        "    image: a",
        "    secrets: [{source: db_password, uid: '1000'}, nope]",
        "secrets:",
        "  db_password: {file: ./db_password.txt}",
        "  api_key: {environment: API_KEY}",
      ].join("\n"),
    });
    expect(problemsOf(file)).toStrictEqual([
      `${file}: services.bad.secrets[0].uid: is not supported: on one host a secret is a read-only file (0444), as Compose mounts it without a swarm. Leave it out.`,
      `${file}: services.bad.secrets[1]: secret "nope" is not declared. Declare it under the top-level secrets key.`,
    ]);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/ {2}bad:\n.*\n.*\n/, ""));
    const [db] = composeServices(file).containers;
    expect(db.env).toBeUndefined();
    expect(db.volumes).toStrictEqual([
      {
        containerPath: "/run/secrets/db_password",
        files: {
          name: "secret-db_password",
          entries: [{ path: "db_password", contentBase64: b64("s3cret\n") }],
          file: "db_password",
          secret: true,
        },
        readOnly: true,
      },
      {
        containerPath: "/etc/api.key",
        files: {
          name: "secret-api_key",
          entries: [{ path: "api_key", contentBase64: b64("k3y") }],
          file: "api_key",
          secret: true,
        },
        readOnly: true,
      },
    ]);
  });
});
