import * as fs from "node:fs";
import { describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  HOST_PUBLIC_KEY,
  TEST_CONNECTION,
  byName,
  isSecretInput,
  optionsRecorder,
  plain,
  settle,
  useMocks,
  valueOf,
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { DockerServices } from "../../components/services/docker-services";
import { configProblems } from "../support/config-problems";

const connection = TEST_CONNECTION;

describe("DockerServices", () => {
  it("replaces a container whose healthcheck, tmpfs or init changed, the old one first", async () => {
    const { byName: optionsByName, record } = optionsRecorder();
    const services = new DockerServices(
      "opts",
      { connection, containers: [{ name: "api", image: "ghcr.io/example/api:1" }] },
      { transformations: [record] },
    );
    await valueOf(services.containerIds);
    await settle(recorded);
    const options = optionsByName.get("opts-api");
    expect([options?.deleteBeforeReplace, options?.replaceOnChanges]).toStrictEqual([
      true,
      ["healthcheck", "tmpfs", "init"],
    ]);
  });

  it("ships the files a container mounts over the pinned SSH connection, as a secret, before the container", async () => {
    const { byName: optionsByName, record } = optionsRecorder();
    const files = {
      name: "files-nginx.conf",
      entries: [
        { path: "nginx.conf", contentBase64: Buffer.from("events {}\n").toString("base64") },
      ],
      file: "nginx.conf",
    };
    const services = new DockerServices(
      "ship",
      {
        connection,
        containers: [
          {
            name: "web",
            image: "nginx:1.27",
            volumes: [{ containerPath: "/etc/nginx/nginx.conf", files, readOnly: true }],
          },
        ],
      },
      { transformations: [record] },
    );
    await valueOf(services.containerIds);
    await settle(recorded);
    const ship = byName(recorded, "ship-files-files-nginx.conf");
    expect(ship.type).toBe("command:remote:Command");
    expect(isSecretInput(ship.inputs.stdin)).toBe(true);
    const dir = /\/var\/lib\/docker\/dockerhost-files\/ship\/files-nginx\.conf-[0-9a-f]{16}/;
    const inputs = plain(ship.inputs) as Record<string, string>;
    expect(inputs.stdin).toBe(`nginx.conf\t644\t${files.entries[0].contentBase64}\n`);
    expect(inputs.create).toMatch(/^sudo -n sh -c /);
    expect(inputs.create).toMatch(dir);
    expect(inputs.delete).toMatch(new RegExp(`^sudo -n rm -rf ${dir.source}$`));
    expect((inputs.triggers as unknown as string[])[0]).toMatch(/^[0-9a-f]{16}$/);
    const container = plain(byName(recorded, "ship-web").inputs) as {
      volumes: { hostPath: string; containerPath: string; readOnly: boolean }[];
    };
    expect(container.volumes).toStrictEqual([
      {
        containerPath: "/etc/nginx/nginx.conf",
        hostPath: expect.stringMatching(new RegExp(`^${dir.source}/nginx\\.conf$`)),
        readOnly: true,
      },
    ]);
    expect(optionsByName.get("ship-web")?.dependsOn).toContainEqual(
      expect.objectContaining({ __name: "ship-files-files-nginx.conf" }),
    );
  });

  it("runs the process as its spec says: hostname, directory, terminal, init, stop, shm, hosts, limits, tmpfs", async () => {
    const services = new DockerServices("proc", {
      connection,
      containers: [
        {
          name: "db",
          image: "postgres:17",
          hostname: "db1",
          workingDir: "/var/lib/postgresql",
          tty: true,
          stdinOpen: true,
          init: true,
          stopSignal: "SIGINT",
          stopTimeoutSeconds: 60,
          shmSizeMb: 256,
          extraHosts: { gw: "host-gateway" },
          ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { soft: 4096, hard: 4096 } },
          tmpfs: { "/run/postgresql": "size=8m" },
          logging: { options: { "max-size": "50m" } },
          dns: ["10.0.0.2"],
        },
      ],
      readOnlyRootFsByDefault: true,
    });
    await valueOf(services.containerIds);
    await settle(recorded);
    const inputs = plain(byName(recorded, "proc-db").inputs) as Record<string, unknown>;
    expect(
      Object.fromEntries(
        [
          "hostname",
          "workingDir",
          "tty",
          "stdinOpen",
          "init",
          "stopSignal",
          "stopTimeout",
          "shmSize",
          "hosts",
          "ulimits",
          "tmpfs",
          "dns",
          "logDriver",
          "logOpts",
        ].map((k) => [k, inputs[k]]),
      ),
    ).toStrictEqual({
      hostname: "db1",
      workingDir: "/var/lib/postgresql",
      tty: true,
      stdinOpen: true,
      init: true,
      stopSignal: "SIGINT",
      stopTimeout: 60,
      shmSize: 256,
      hosts: [{ host: "gw", ip: "host-gateway" }],
      ulimits: [
        { name: "nofile", soft: 1024, hard: 2048 },
        { name: "nproc", soft: 4096, hard: 4096 },
      ],
      // The read-only root's writable /tmp, and the spec's own.
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m", "/run/postgresql": "size=8m" },
      dns: ["10.0.0.2"],
      // Options alone: no driver sent, so the host's, whose max-file the engine fills in.
      logDriver: undefined,
      logOpts: { "max-size": "50m" },
    });
  });

  it("ships a secret file as an update in place (no trigger: a replacement's delete would remove it)", async () => {
    const services = new DockerServices("sec", {
      connection,
      containers: [
        {
          name: "db",
          image: "postgres:17",
          volumes: [
            {
              containerPath: "/run/secrets/db",
              readOnly: true,
              files: {
                name: "secret-db",
                entries: [{ path: "db", contentBase64: Buffer.from("pw").toString("base64") }],
                file: "db",
                secret: true,
              },
            },
          ],
        },
      ],
    });
    await valueOf(services.containerIds);
    await settle(recorded);
    const ship = byName(recorded, "sec-files-secret-db");
    const inputs = plain(ship.inputs) as Record<string, unknown>;
    // A changed secret updates the command in place (its update): no trigger, which would
    // replace it and run the old one's delete after the new files are written.
    expect(inputs.update).toBe(inputs.create);
    expect(inputs.triggers).toBeUndefined();
    expect(isSecretInput(ship.inputs.stdin)).toBe(true);
    expect(
      (plain(byName(recorded, "sec-db").inputs) as { volumes: unknown[] }).volumes,
    ).toStrictEqual([
      {
        containerPath: "/run/secrets/db",
        hostPath: "/var/lib/docker/dockerhost-files/sec/secret-db/db",
        readOnly: true,
      },
    ]);
  });

  it("joins and mounts external networks and volumes by their Docker names, creating neither", async () => {
    const services = new DockerServices("ext", {
      connection,
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          networks: [{ name: "edge" }],
          volumes: [{ containerPath: "/certs", volumeName: "certs" }],
        },
      ],
      networks: [{ name: "edge", external: "proxy_edge" }],
      volumes: [{ name: "certs", external: "traefik_certs" }],
    });
    await valueOf(services.containerIds);
    await settle(recorded);
    const ours = recorded.filter((r) => r.name.startsWith("ext-"));
    expect(ours.map((r) => r.type).sort()).toStrictEqual([
      "docker:index/container:Container",
      "docker:index/remoteImage:RemoteImage",
      "pulumi:providers:docker",
    ]);
    const inputs = plain(byName(recorded, "ext-web").inputs) as Record<string, unknown>;
    expect([inputs.networksAdvanced, inputs.volumes]).toStrictEqual([
      [{ name: "proxy_edge", aliases: ["web"] }],
      [{ containerPath: "/certs", volumeName: "traefik_certs", readOnly: false }],
    ]);
  });

  it("talks to the engine over ssh:// with the pinned key, only after the gate", async () => {
    let openGate: (v: string) => void = () => undefined;
    const gate = new Promise<string>((resolve) => (openGate = resolve));
    const services = new DockerServices("s1", {
      connection,
      ready: pulumi.output(gate),
      containers: [{ name: "api", image: "ghcr.io/example/api:1", ports: [{ internal: 3000 }] }],
    });
    await settle(recorded);
    // Nothing that talks to the engine exists before the gate resolves.
    expect(recorded.some((r) => r.name === "s1-api")).toBe(false);
    openGate("27.3.1");
    await valueOf(services.containerIds);
    await settle(recorded);
    const provider = byName(recorded, "s1-engine");
    expect(provider.type).toBe("pulumi:providers:docker");
    expect(plain(provider.inputs.host)).toBe("ssh://debian@198.51.100.20:2222");
    const files = `${process.env.DOCKERHOST_STATE_DIR}/dev-s1`;
    expect(JSON.parse(String(plain(provider.inputs.sshOpts)))).toStrictEqual([
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${files}/known_hosts`,
      "-o",
      "BatchMode=yes",
      "-o",
      "IdentitiesOnly=yes",
      "-i",
      `${files}/id_deployer`,
    ]);
    expect(fs.readFileSync(`${files}/known_hosts`, "utf8")).toBe(
      `[198.51.100.20]:2222 ${HOST_PUBLIC_KEY}\n`,
    );
    expect(fs.statSync(`${files}/id_deployer`).mode & 0o777).toBe(0o600);
    expect(await valueOf(services.endpoints)).toStrictEqual({ api: ["198.51.100.20:3000"] });
  });

  it("runs each container with the security defaults", async () => {
    const services = new DockerServices("s2", {
      connection,
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          entrypoint: ["/docker-entrypoint.sh"],
          command: ["nginx", "-g", "daemon off;"],
          ports: [
            { internal: 8080, external: 80 },
            { internal: 53, protocol: "udp", hostIp: "127.0.0.1" },
          ],
          env: { MODE: "prod" },
          secretEnv: { TOKEN: pulumi.secret("s3cr3t") },
          volumes: [
            { hostPath: "/srv/web", containerPath: "/data" },
            { hostPath: "/srv/shared", containerPath: "/shared", shared: true, readOnly: true },
            { volumeName: "cache", containerPath: "/cache" },
          ],
          healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"] },
          capAdd: ["NET_BIND_SERVICE"],
          labels: { team: "edge" },
          user: "101",
          cpus: "0.5",
        },
      ],
      selinuxRelabel: true,
      readOnlyRootFsByDefault: true,
    });
    await valueOf(services.containerIds);
    await settle(recorded);
    const image = byName(recorded, "s2-web-image");
    expect(image.inputs).toStrictEqual({ name: "nginx:1.27", keepLocally: true });
    const container = byName(recorded, "s2-web");
    expect(container.type).toBe("docker:index/container:Container");
    expect(isSecretInput(container.inputs.envs)).toBe(true);
    expect(plain(container.inputs)).toStrictEqual({
      name: "web",
      // Off the default bridge: on the component's own project network, under its name.
      networksAdvanced: [{ name: "s2_default", aliases: ["web"] }],
      image: "sha256:0123abcd",
      entrypoints: ["/docker-entrypoint.sh"],
      command: ["nginx", "-g", "daemon off;"],
      envs: ["MODE=prod", "TOKEN=s3cr3t"],
      ports: [
        { internal: 8080, external: 80, protocol: "tcp" },
        { internal: 53, external: 53, protocol: "udp", ip: "127.0.0.1" },
      ],
      volumes: [
        { containerPath: "/data", hostPath: "/srv/web", readOnly: false, selinuxRelabel: "Z" },
        { containerPath: "/shared", hostPath: "/srv/shared", readOnly: true, selinuxRelabel: "z" },
        { containerPath: "/cache", volumeName: "cache", readOnly: false },
      ],
      restart: "unless-stopped",
      healthcheck: {
        tests: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"],
        interval: "30s",
        timeout: "5s",
        retries: 3,
        startPeriod: "10s",
      },
      memory: 512,
      cpus: "0.5",
      labels: [
        { label: "dockerhost.managed-by", value: "pulumi" },
        { label: "team", value: "edge" },
      ],
      user: "101",
      readOnly: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      capabilities: { drops: ["ALL"], adds: ["NET_BIND_SERVICE"] },
      securityOpts: ["no-new-privileges:true"],
      mustRun: true,
    });
  });

  it("keeps the root-start capabilities for an image that starts as root, outside strict only", async () => {
    const app = (name: string, strictContainers: boolean) =>
      new DockerServices(name, {
        connection,
        strictContainers,
        containers: [
          {
            name: "db",
            image: `postgres:16@sha256:${"ab".repeat(32)}`,
            user: "root",
            healthcheck: { test: ["NONE"] },
          },
          {
            name: "cache",
            image: `redis:7@sha256:${"ab".repeat(32)}`,
            user: "999",
            healthcheck: { test: ["NONE"] },
          },
        ],
      });
    const baseline = new DockerServices("cap1", {
      connection,
      containers: [
        { name: "db", image: "postgres:16" },
        { name: "root", image: "postgres:16", user: "0:0" },
        { name: "app", image: "shop/app:1", user: "10001" },
        { name: "web", image: "nginx:1.27", capAdd: ["NET_BIND_SERVICE"] },
      ],
    });
    const strict = app("cap2", true);
    await valueOf(baseline.containerIds);
    await valueOf(strict.containerIds);
    await settle(recorded);
    const caps = (n: string) => byName(recorded, n).inputs.capabilities;
    expect(caps("cap1-db")).toStrictEqual({
      drops: ["ALL"],
      adds: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "NET_BIND_SERVICE", "KILL"],
    });
    expect(caps("cap1-root")).toStrictEqual(caps("cap1-db"));
    // A container that names its user runs as it from the start: nothing to drop from.
    expect(caps("cap1-app")).toStrictEqual({ drops: ["ALL"], adds: [] });
    expect(caps("cap1-web")).toStrictEqual({ drops: ["ALL"], adds: ["NET_BIND_SERVICE"] });
    // strict keeps none, even for a container that says root: capAdd says what it keeps.
    expect(caps("cap2-db")).toStrictEqual({ drops: ["ALL"], adds: [] });
    expect(caps("cap2-cache")).toStrictEqual({ drops: ["ALL"], adds: [] });
  });

  it("keeps registry passwords secret in the provider", async () => {
    const services = new DockerServices("s3", {
      connection: {
        host: "198.51.100.21",
        port: 22,
        user: "ubuntu",
        hostPublicKey: HOST_PUBLIC_KEY,
      },
      containers: [{ name: "app", image: "registry.example.com/app:2" }],
      registries: [
        { address: "registry.example.com", username: "ci", password: pulumi.secret("pw") },
      ],
    });
    // The container needs the provider: once its id resolves, the provider is registered.
    await valueOf(services.containerIds);
    await settle(recorded);
    const provider = byName(recorded, "s3-engine");
    expect(plain(provider.inputs.host)).toBe("ssh://ubuntu@198.51.100.21:22");
    // Without a private key the ssh client uses the agent: no identity options at all. (A
    // substring test for "-i" failed whenever the random state directory's name held "-i".)
    const files = `${process.env.DOCKERHOST_STATE_DIR}/dev-s3`;
    expect(JSON.parse(String(plain(provider.inputs.sshOpts)))).toStrictEqual([
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${files}/known_hosts`,
      "-o",
      "BatchMode=yes",
    ]);
    const auth = JSON.parse(String(plain(provider.inputs.registryAuth)));
    expect(auth).toStrictEqual([
      { address: "registry.example.com", username: "ci", password: "pw" },
    ]);
    expect(isSecretInput(provider.inputs.registryAuth)).toBe(true);
  });

  it("refuses plain-text secrets and system directories under SELinux", () => {
    expect(
      configProblems(
        () =>
          new DockerServices("s4", {
            connection,
            selinuxRelabel: true,
            containers: [
              {
                name: "bad",
                image: "x",
                secretEnv: { TOKEN: "plain" },
                volumes: [{ hostPath: "/etc/", containerPath: "/host-etc" }],
              },
            ],
            registries: [{ address: "ghcr.io", username: "u", password: "plain" }],
          }),
      ),
    ).toStrictEqual([
      "containers[0].secretEnv.TOKEN: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)) so it stays encrypted in state.",
      "containers[0].volumes[0].hostPath: /etc is a system directory; relabeling it for SELinux would break the host. Mount a directory of its own (e.g. /srv/bad).",
      "registries[0].password: passed as plain text. Pass a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)).",
    ]);
  });

  it("under strictContainers, refuses tags and gives CPU shares, and pulls by digest", async () => {
    const digest = `sha256:${"cd".repeat(32)}`;
    expect(
      configProblems(
        () =>
          new DockerServices("s5", {
            connection,
            strictContainers: true,
            containers: [
              {
                name: "web",
                image: "nginx:1.27",
                user: "101",
                healthcheck: { test: ["NONE"] },
                ports: [{ internal: 80, hostIp: "127.0.0.1" }],
              },
            ],
          }),
      ),
    ).toStrictEqual([
      'containers[0].image: "nginx:1.27" names a tag, which can move to other content; the strict profile runs images pinned by digest (CIS Docker Benchmark 4.5). Use "nginx:1.27@sha256:<digest>" (`docker buildx imagetools inspect nginx:1.27` prints it), or build it from a Dockerfile (build).',
    ]);
    const services = new DockerServices("s6", {
      connection,
      strictContainers: true,
      containers: [
        {
          name: "web",
          image: `nginx:1.27@${digest}`,
          user: "101",
          healthcheck: { test: ["NONE"] },
          ports: [{ internal: 80, hostIp: "127.0.0.1" }],
        },
      ],
    });
    await valueOf(services.containerIds);
    await settle(recorded);
    expect(plain(byName(recorded, "s6-web-image").inputs.name)).toBe(`nginx:1.27@${digest}`);
    const container = byName(recorded, "s6-web").inputs;
    expect([container.cpuShares, container.user]).toStrictEqual([512, "101"]);
    expect(plain(container.ports)).toStrictEqual([
      { internal: 80, external: 80, protocol: "tcp", ip: "127.0.0.1" },
    ]);
  });
});
