import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "@jest/globals";
import {
  contextArgs,
  sshConfigText,
  sshIncludeLine,
  workstationNames,
  type WorkstationEntry,
} from "../../components/remote/workstation";
import {
  addWorkstationEntry,
  removeWorkstationEntry,
} from "../../components/remote/workstation-files";
import { HOST_PUBLIC_KEY } from "../support/pulumi-mocks";

// The workstation's SSH entry and Docker context: exact text and arguments, then the files and
// the docker calls, with a stand-in docker CLI that keeps its contexts in a directory.

const ENTRY: WorkstationEntry = {
  alias: "dockerhost-local-app",
  context: "local-app",
  stack: "local",
  hostName: "app",
  sshDir: "/home/me/.dockerhost/ssh",
  address: "127.0.0.1",
  port: 2222,
  user: "debian",
  hostPublicKey: HOST_PUBLIC_KEY,
  privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----",
  dockerContext: true,
};

describe("the workstation's text", () => {
  it("names the alias and the context after the stack and the host", () => {
    const cases: [string, string, { alias: string; context: string }][] = [
      ["local", "app", { alias: "dockerhost-local-app", context: "local-app" }],
      ["dev", "edge.1", { alias: "dockerhost-dev-edge.1", context: "dev-edge.1" }],
      ["prod", "web/blue", { alias: "dockerhost-prod-web_blue", context: "prod-web_blue" }],
    ];
    for (const [stack, host, names] of cases)
      expect(workstationNames(stack, host)).toStrictEqual(names);
  });

  it("writes one Host entry that pins the host key under its alias and uses the stack's key", () => {
    expect(sshConfigText(ENTRY)).toBe(
      [
        "# dockerhost: stack local, host app. Written by pulumi up, removed by pulumi destroy.",
        "Host dockerhost-local-app",
        "  HostName 127.0.0.1",
        "  Port 2222",
        "  User debian",
        "  HostKeyAlias dockerhost-local-app",
        "  UserKnownHostsFile /home/me/.dockerhost/ssh/dockerhost-local-app.known_hosts",
        "  StrictHostKeyChecking yes",
        "  UpdateHostKeys no",
        "  IdentityFile /home/me/.dockerhost/ssh/dockerhost-local-app.key",
        "  IdentitiesOnly yes",
        "",
      ].join("\n"),
    );
  });

  it("carries a session host's ProxyCommand in its entry, so the Docker context goes through it", () => {
    const lines = sshConfigText({
      ...ENTRY,
      address: "i-0abc123",
      port: 22,
      proxyCommand:
        "aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-west-1",
    }).split("\n");
    expect(lines.slice(2, 5)).toStrictEqual(["  HostName i-0abc123", "  Port 22", "  User debian"]);
    expect(lines[9]).toBe(
      "  ProxyCommand aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-west-1",
    );
  });

  it("leaves the identity to the SSH agent when the deployer gave no private key, quotes paths with spaces", () => {
    const agent = { ...ENTRY, privateKey: undefined };
    expect(sshConfigText({ ...agent, sshDir: "/home/my name/.dockerhost/ssh" })).toBe(
      [
        "# dockerhost: stack local, host app. Written by pulumi up, removed by pulumi destroy.",
        "Host dockerhost-local-app",
        "  HostName 127.0.0.1",
        "  Port 2222",
        "  User debian",
        "  HostKeyAlias dockerhost-local-app",
        '  UserKnownHostsFile "/home/my name/.dockerhost/ssh/dockerhost-local-app.known_hosts"',
        "  StrictHostKeyChecking yes",
        "  UpdateHostKeys no",
        "",
      ].join("\n"),
    );
  });

  it("gives the Include line and the docker context arguments", () => {
    expect(sshIncludeLine("/home/me/.dockerhost/ssh")).toBe(
      "Include /home/me/.dockerhost/ssh/*.conf",
    );
    expect(contextArgs(ENTRY, "create")).toStrictEqual([
      "context",
      "create",
      "local-app",
      "--description",
      "dockerhost: stack local, host app",
      "--docker",
      "host=ssh://dockerhost-local-app",
    ]);
    expect(contextArgs(ENTRY, "update")[1]).toBe("update");
  });
});

/** A context as the docker CLI reports it: description and engine address, or "none". */
function contextState(dockerConfig: string, context: string): string {
  try {
    const out = execFileSync("docker", ["context", "inspect", context], {
      encoding: "utf8",
      env: { ...process.env, DOCKER_CONFIG: dockerConfig },
      stdio: ["ignore", "pipe", "ignore"],
    });
    const [c] = JSON.parse(out) as {
      Metadata: { Description?: string };
      Endpoints: { docker: { Host: string } };
    }[];
    return `${c.Metadata.Description ?? ""} -> ${c.Endpoints.docker.Host}`;
  } catch {
    return "none";
  }
}

// The real docker CLI: contexts are files under DOCKER_CONFIG, no engine is contacted.
describe("the workstation's files and context", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-workstation-"));
  const dockerConfig = path.join(work, "docker");
  const sshDir = path.join(work, "state", "ssh");
  const saved = { PATH: process.env.PATH, DOCKER_CONFIG: process.env.DOCKER_CONFIG };
  const entry: WorkstationEntry = { ...ENTRY, sshDir };
  const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
  const context = () => contextState(dockerConfig, "local-app");
  const docker = (args: string[]) =>
    execFileSync("docker", args, {
      env: { ...process.env, DOCKER_CONFIG: dockerConfig },
      stdio: "ignore",
    });

  afterAll(() => {
    process.env.PATH = saved.PATH;
    if (saved.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
    fs.rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    process.env.PATH = saved.PATH;
    process.env.DOCKER_CONFIG = dockerConfig;
    for (const dir of [dockerConfig, path.dirname(sshDir)])
      fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dockerConfig);
  });

  it("adds the entry (files only this user can read) and a context, then removes both", async () => {
    const added = await addWorkstationEntry(entry);
    const files = ["known_hosts", "key", "conf"].map((x) =>
      path.join(sshDir, `dockerhost-local-app.${x}`),
    );
    expect(added).toStrictEqual({ files, context: "created" });
    expect(fs.readFileSync(files[0], "utf8")).toBe(
      `dockerhost-local-app ${HOST_PUBLIC_KEY.split(" ").slice(0, 2).join(" ")}\n`,
    );
    expect(fs.readFileSync(files[1], "utf8")).toBe(`${ENTRY.privateKey}\n`);
    expect(fs.readFileSync(files[2], "utf8")).toBe(sshConfigText(entry));
    expect([mode(sshDir), ...files.map(mode)]).toStrictEqual(["700", "600", "600", "600"]);
    expect(context()).toBe("dockerhost: stack local, host app -> ssh://dockerhost-local-app");

    // Run again (an update of the host): the context is updated, not created twice.
    expect((await addWorkstationEntry({ ...entry, stack: "local2" })).context).toBe("updated");
    expect(context()).toBe("dockerhost: stack local2, host app -> ssh://dockerhost-local-app");

    expect(await removeWorkstationEntry(sshDir, entry.alias, entry.context)).toStrictEqual({
      removed: [files[2], files[0], files[1]],
      context: "removed",
    });
    expect(fs.existsSync(sshDir)).toBe(false);
    expect(context()).toBe("none");
  });

  it("never takes over or removes a context it did not make, and writes nothing then", async () => {
    docker(["context", "create", "local-app", "--docker", "host=ssh://mine.example"]);
    await expect(addWorkstationEntry(entry)).rejects.toThrow(
      new Error(
        'docker context "local-app" exists and was not made by dockerhost; remove or rename it ' +
          "(docker context rm local-app), or set dockerContext: false on this host",
      ),
    );
    expect(fs.existsSync(sshDir)).toBe(false);
    expect(await removeWorkstationEntry(sshDir, entry.alias, entry.context)).toStrictEqual({
      removed: [],
      context: 'kept: "local-app" was not made by dockerhost',
    });
    expect(context()).toBe(" -> ssh://mine.example");
  });

  it("writes the SSH entry alone with dockerContext: false or without a docker CLI", async () => {
    const agent = { ...entry, privateKey: undefined };
    expect(await addWorkstationEntry({ ...agent, dockerContext: false })).toStrictEqual({
      files: [
        path.join(sshDir, "dockerhost-local-app.known_hosts"),
        path.join(sshDir, "dockerhost-local-app.conf"),
      ],
      context: "none (dockerContext: false)",
    });
    expect(context()).toBe("none");
    process.env.PATH = path.join(work, "nowhere");
    expect((await addWorkstationEntry(entry)).context).toBe(
      "none: the docker CLI is not on PATH (DOCKER_HOST=ssh://dockerhost-local-app works once it is)",
    );
    expect((await removeWorkstationEntry(sshDir, entry.alias, entry.context)).context).toBe(
      "none: the docker CLI is not on PATH",
    );
  });
});
