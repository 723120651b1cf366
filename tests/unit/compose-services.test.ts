import { docTableAfter, tableCells } from "../support/docs-page";
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { composeApp } from "../../components/compose/compose-services";
import { composeServices } from "../../components/services/compose-app";
import { composeMemoryMb } from "../../components/compose/compose-values";
import { readComposeText } from "../../components/compose/compose-file";
import { composeKeysTable, unsupportedComposeKeys } from "../../components/compose/compose-keys";

// A compose file as DockerServices' specs: the fixture app exactly, and every refusal's words.

const FIXTURE = "tests/fixtures/compose-app/compose.yaml";
const ROOT = path.join(__dirname, "..", "..");
const SOURCE = { file: "compose.yaml", dir: path.join(ROOT, "app"), cwd: ROOT };

const NO_VARIABLES = { values: new Map<string, string>(), from: "app/.env" };

/** The problems for a compose document given as YAML text, schema and mapping both. */
function problemsOf(yaml: string, secretEnv?: Record<string, Record<string, string>>): string[] {
  const read = readComposeText(yaml, "compose.yaml", NO_VARIABLES);
  if (read.problems.length) return read.problems;
  return composeApp(read.doc, { ...SOURCE, used: read.used }, { secretEnv }).problems;
}

describe("composeServices: the fixture app", () => {
  it("reads front (built), api and db with their networks, volume, health and secret", () => {
    const password = pulumi.secret("s3cret");
    const app = composeServices(FIXTURE, { secretEnv: { db: { DB_PASSWORD: password } } });
    const health = {
      test: ["CMD-SHELL", "/bin/busybox wget -q -O /dev/null http://127.0.0.1:8080/"],
      interval: "2s",
      retries: 3,
    };
    expect(app.networks).toStrictEqual([{ name: "backend", internal: true }]);
    expect(app.volumes).toStrictEqual([{ name: "db-data" }]);
    expect(app.containers).toStrictEqual([
      {
        name: "front",
        build: { context: "tests/fixtures/web-build" },
        ports: [{ internal: 8080, external: 8081, hostIp: "127.0.0.1" }],
        dependsOn: ["api"],
      },
      {
        name: "api",
        image: "dockerhost-test/web:1",
        networks: [{ name: "default" }, { name: "backend" }],
        dependsOn: ["db"],
        healthcheck: health,
      },
      {
        name: "db",
        image: "dockerhost-test/web:1",
        env: { DB_NAME: "shop" },
        secretEnv: { DB_PASSWORD: password },
        volumes: [{ containerPath: "/data", volumeName: "db-data" }],
        networks: [{ name: "backend", aliases: ["database"] }],
        healthcheck: health,
        memoryMb: 64,
      },
    ]);
    // The very secret given: nothing unwrapped it on the way.
    expect(app.containers[2].secretEnv?.DB_PASSWORD).toBe(password);
  });

  it("leaves db's DB_PASSWORD unset without a secret, as Compose does with a value it cannot resolve", () => {
    const db = composeServices(FIXTURE).containers.find((c) => c.name === "db");
    expect(db?.env).toStrictEqual({ DB_NAME: "shop" });
    expect(db?.secretEnv).toBeUndefined();
  });

  it("names a file it cannot read", () => {
    expect(() => composeServices("nowhere/compose.yaml")).toThrow(
      "nowhere/compose.yaml: cannot be read (ENOENT). Give the compose file's path relative to the program's directory.",
    );
  });
});

describe("composeServices: short and long forms", () => {
  const one = (service: string, top = "") =>
    composeApp(
      readComposeText(
        `services:\n  s:\n${service.replace(/^/gm, "    ")}\n${top}`,
        "compose.yaml",
        NO_VARIABLES,
      ).doc,
      SOURCE,
    );
  it.each<[string, string, Record<string, unknown>]>([
    [
      "a string command, split as a shell would",
      `image: a\ncommand: sh -c 'echo "hi there"'`,
      { command: ["sh", "-c", 'echo "hi there"'] },
    ],
    ["a list command", "image: a\ncommand: [a, 1]", { command: ["a", "1"] }],
    [
      "cap_drop ALL without cap_add: the container keeps none",
      "image: a\ncap_drop: [ALL]",
      { capAdd: [] },
    ],
    [
      "a port with an empty address: every address, as Docker reads it",
      'image: a\nports: [":8080:80"]',
      { ports: [{ internal: 80, external: 8080 }] },
    ],
    [
      "an environment name without a value and no variable of its name: unset, as in Compose",
      "image: a\nenvironment: [A=1, NOT_RESOLVED]",
      { env: { A: "1" } },
    ],
    [
      "a dependency that is not required and not in the app: no dependency",
      "image: a\ndepends_on: {gone: {condition: service_started, required: false}}",
      {},
    ],
    [
      "an entrypoint as a string, split as a shell would",
      "image: a\nentrypoint: /docker-entrypoint.sh --verbose",
      { entrypoint: ["/docker-entrypoint.sh", "--verbose"] },
    ],
    [
      "anonymous volumes, short and long",
      "image: a\nvolumes: [/app/node_modules, {type: volume, target: /cache, read_only: true}]",
      {
        volumes: [
          { containerPath: "/app/node_modules", volumeName: "s-anon-app-node_modules" },
          { containerPath: "/cache", volumeName: "s-anon-cache", readOnly: true },
        ],
      },
    ],
    [
      "a map environment with numbers",
      "image: a\nenvironment:\n  N: 1\n  B: true",
      { env: { N: "1", B: "true" } },
    ],
    [
      "a long-form port",
      "image: a\nports:\n  - {target: 80, published: 8080, protocol: udp}",
      { ports: [{ internal: 80, external: 8080, protocol: "udp" }] },
    ],
    [
      "a port with /udp",
      'image: a\nports: ["53:53/udp"]',
      { ports: [{ internal: 53, external: 53, protocol: "udp" }] },
    ],
    [
      "a bind mount, read-only and shared",
      'image: a\nvolumes: ["/srv/x:/x:ro,z"]',
      { volumes: [{ containerPath: "/x", hostPath: "/srv/x", readOnly: true, shared: true }] },
    ],
    [
      "a long-form bind",
      "image: a\nvolumes:\n  - {type: bind, source: /srv/y, target: /y, read_only: true}",
      { volumes: [{ containerPath: "/y", hostPath: "/srv/y", readOnly: true }] },
    ],
    [
      "a home directory of the deployer's: a volume of the app, kept like a data directory",
      'image: a\nvolumes: ["~/.app-cfg/web:/config", "~:/home"]',
      {
        volumes: [
          { containerPath: "/config", volumeName: "home-.app-cfg-web" },
          { containerPath: "/home", volumeName: "home-" },
        ],
      },
    ],
    [
      "a disabled healthcheck",
      "image: a\nhealthcheck: {disable: true}",
      { healthcheck: { test: ["NONE"] } },
    ],
    [
      "a healthcheck not disabled, without a test: the image's own",
      "image: a\nhealthcheck: {disable: false}",
      {},
    ],
    [
      "deploy limits",
      "image: a\ndeploy: {resources: {limits: {memory: 1g, cpus: '0.5'}}}",
      { memoryMb: 1024, cpus: "0.5" },
    ],
    [
      "a build as a string, from the file's directory",
      "build: ./web",
      { build: { context: "app/web" } },
    ],
    [
      "build args as a list",
      "build: {context: ., args: [A=1], target: run}",
      { build: { context: "app", args: { A: "1" }, target: "run" } },
    ],
    [
      "labels as a list, user, read_only, capabilities",
      "image: a\nlabels: [a=b]\nuser: '1000'\nread_only: true\ncap_add: [NET_ADMIN]\ncap_drop: [ALL]",
      { labels: { a: "b" }, user: "1000", readOnlyRootFs: true, capAdd: ["NET_ADMIN"] },
    ],
    ["a literal $ written $$", "image: a\nenvironment: {P: 'a$$b'}", { env: { P: "a$b" } }],
    ["x- keys and expose, ignored", "image: a\nexpose: ['80']\nx-team: shop", {}],
    [
      "a swarm-style restart policy",
      "image: a\ndeploy: {restart_policy: {condition: on-failure}}",
      { restart: "on-failure" },
    ],
    [
      "logging, as nextcloud and searxng ship it (options as text)",
      "image: a\nlogging: {driver: json-file, options: {max-size: 1m, max-file: 1}}",
      { logging: { driver: "json-file", options: { "max-size": "1m", "max-file": "1" } } },
    ],
    [
      "dns servers, as pi-hole ships them, and one alone",
      "image: a\ndns: [127.0.0.1, 1.1.1.1]",
      { dns: ["127.0.0.1", "1.1.1.1"] },
    ],
    ["one dns server", "image: a\ndns: 9.9.9.9", { dns: ["9.9.9.9"] }],
    [
      "logging options alone, as FreshRSS ships them",
      "image: a\nlogging: {options: {max-size: 10m}}",
      { logging: { options: { "max-size": "10m" } } },
    ],
    [
      "links, as start order",
      "image: a\nlinks: [db, 'cache:redis']\npull_policy: missing",
      { startAfter: ["db", "cache"] },
    ],
    [
      "how the process runs",
      "image: a\nhostname: web1\nworking_dir: /srv\ntty: true\nstdin_open: 'true'\ninit: true\nstop_signal: SIGQUIT\nstop_grace_period: 1m30.5s\nshm_size: 256m\nextra_hosts: ['db.local:10.0.0.5', 'gw=host-gateway', 'v6:[::1]']\nulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 65535}\ntmpfs: [/run, '/cache:size=64m,mode=1777']",
      {
        hostname: "web1",
        workingDir: "/srv",
        tty: true,
        stdinOpen: true,
        init: true,
        stopSignal: "SIGQUIT",
        stopTimeoutSeconds: 91,
        shmSizeMb: 256,
        extraHosts: { "db.local": "10.0.0.5", gw: "host-gateway", v6: "::1" },
        ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { soft: 65535, hard: 65535 } },
        tmpfs: { "/run": "", "/cache": "size=64m,mode=1777" },
      },
    ],
  ])("%s", (_what, service, expected) => {
    const { app, problems } = one(service);
    expect(problems).toStrictEqual([]);
    const { name, image, ...rest } = app.containers[0];
    expect(name).toBe("s");
    expect(image ?? "a").toBe("a");
    expect(rest).toStrictEqual(expected);
  });
});

describe("composeServices: profiles", () => {
  it("deploys a service with profiles only when one of them is asked for, as Compose runs them", () => {
    const doc = readComposeText(
      "services:\n  web:\n    image: a\n  debug:\n    image: b\n    profiles: [debug, ops]",
      "compose.yaml",
      NO_VARIABLES,
    ).doc;
    const names = (profiles?: string[]) =>
      composeApp(doc, SOURCE, { profiles }).app.containers.map((c) => c.name);
    expect(names()).toStrictEqual(["web"]);
    expect(names(["ops"])).toStrictEqual(["web", "debug"]);
  });
});

describe("composeServices: external volumes and networks", () => {
  it("uses existing ones by their Docker names, and refuses a name that would rename a created one", () => {
    const read = (yaml: string) =>
      composeApp(readComposeText(yaml, "compose.yaml", NO_VARIABLES).doc, SOURCE);
    const { app, problems } = read(
      "services:\n  web:\n    image: a\n    networks: [edge]\n    volumes: [certs:/certs]\nvolumes:\n  certs: {external: true, name: traefik_certs}\nnetworks:\n  edge: {external: true}",
    );
    expect(problems).toStrictEqual([]);
    expect([app.volumes, app.networks]).toStrictEqual([
      [{ name: "certs", external: "traefik_certs" }],
      [{ name: "edge", external: "edge" }],
    ]);
    expect(
      read("services:\n  web:\n    image: a\nvolumes:\n  data: {name: shared}").problems,
    ).toStrictEqual([
      'compose.yaml: volumes.data.name: dockerhost names what it creates <component>_data. To use an existing one named "shared", add external: true; else leave name out.',
    ]);
  });
});

describe("composeServices: anonymous volumes", () => {
  it("become volumes of the app, one per service and path, kept like the named ones", () => {
    const { app, problems } = composeApp(
      readComposeText(
        "services:\n  web:\n    image: a\n    volumes: [/app/node_modules, data:/data]\nvolumes:\n  data: {}",
        "compose.yaml",
        NO_VARIABLES,
      ).doc,
      SOURCE,
    );
    expect(problems).toStrictEqual([]);
    expect(app.volumes).toStrictEqual([{ name: "data" }, { name: "web-anon-app-node_modules" }]);
  });
});

describe("composeServices: every refusal, exactly", () => {
  it.each<[string, string, string[]]>([
    [
      "an unsupported service key and a top-level one",
      "services:\n  web:\n    image: a\n    privileged: true\nconfigs:\n  k: {file: ./k}",
      [
        "compose.yaml: services.web.privileged: a privileged container has every capability and the host's devices (CIS Docker Benchmark 5.5). Remove it, and add the capabilities the service needs with cap_add.",
        "compose.yaml: configs: Compose configs are not read. Mount the file with a bind beside the compose file instead (./file:/path:ro): dockerhost ships it to the host.",
      ],
    ],
    [
      "a healthcheck's timings without its test",
      "services:\n  web:\n    image: a\n    healthcheck: {interval: 10s, retries: 3}",
      [
        "compose.yaml: services.web.healthcheck.test: unset, with interval, retries: dockerhost sets a check's timings with its test (the Docker provider 4.x requires it). Give the test too, or leave the timings out to run the image's check as it is.",
      ],
    ],
    [
      "a type the schema refuses",
      "services:\n  web:\n    image: a\n    cap_add: NET_ADMIN",
      ["compose.yaml: services.web.cap_add: must be array (the Compose Specification's schema)."],
    ],
    [
      "a port the schema takes as text but that is no number",
      "services:\n  web:\n    image: a\n    ports:\n      - {target: eighty, published: '80-81'}",
      [
        'compose.yaml: services.web.ports[0].target: "eighty" is not a port number.',
        'compose.yaml: services.web.ports[0].published: "80-81" is not a port number (dockerhost publishes one port per entry, no ranges).',
      ],
    ],
    [
      "a restart the schema allows but dockerhost does not",
      "services:\n  web:\n    image: a\n    restart: on-failure:3",
      [
        'compose.yaml: services.web.restart: "on-failure:3" is not supported. Use one of: no, on-failure, always, unless-stopped.',
      ],
    ],
    [
      "a duration that is not one",
      "services:\n  web:\n    image: a\n    healthcheck: {test: x, interval: soon}",
      [
        'compose.yaml: services.web.healthcheck.interval: "soon" is not a duration. Use Go\'s form, e.g. "30s", "1m30s" or "500ms".',
      ],
    ],
    ["no services", "networks: {}", ["compose.yaml: services: required: the services to run."]],
    [
      "a security option that would loosen the defaults",
      "services:\n  web:\n    image: a\n    security_opt: ['no-new-privileges:true', 'seccomp:unconfined']",
      [
        'compose.yaml: services.web.security_opt[1]: "seccomp:unconfined" is not supported: every container runs with no-new-privileges and Docker\'s default seccomp and AppArmor or SELinux profiles, which this would replace or loosen. Leave it out.',
      ],
    ],
    [
      "a pull policy dockerhost does not follow",
      "services:\n  web:\n    image: a\n    pull_policy: always",
      [
        'compose.yaml: services.web.pull_policy: "always" is not supported: dockerhost pulls an image the host lacks, once per reference (missing). Pin a tag or a digest, so that a new image is a new reference.',
      ],
    ],
    [
      "an empty entrypoint",
      "services:\n  web:\n    image: a\n    entrypoint: ''",
      [
        'compose.yaml: services.web.entrypoint: is empty, which would run the image\'s CMD as the program. Name the program (entrypoint: ["/bin/sh", "-c"]), or leave entrypoint out to keep the image\'s.',
      ],
    ],
    [
      "a variable that the .env beside the file does not set",
      "services:\n  web:\n    image: shop/web:${TAG}",
      [
        "compose.yaml: services.web.image: ${TAG} is not set. dockerhost reads variables from app/.env only, never your shell: add TAG=... there, or give a default: ${TAG:-...}.",
      ],
    ],
    [
      "image with build is built (the name unused); a service that runs the build by that name",
      "services:\n  web:\n    image: shop/web:dev\n    build: .\n  worker:\n    image: shop/web:dev\n  other:\n    image: shop/web:dev\n    build: .",
      [
        'compose.yaml: services.worker.image: "shop/web:dev" is the image services.web builds; dockerhost names each build after its context\'s digest, so no image has that name on the host. Give services.worker the same build: as services.web, or push the image to a registry and name it there.',
      ],
    ],
    [
      "a shell operator in a string command",
      "services:\n  web:\n    image: a\n    command: run && exit",
      [
        'compose.yaml: services.web.command: "run && exit" holds shell operators or globs; a container\'s command is not run by a shell. Write it as a list, or as ["sh", "-c", "..."].',
      ],
    ],
    [
      "ports without a host port, and a range",
      'services:\n  web:\n    image: a\n    ports: ["80", "8000-8001:8000-8001", {target: 81}]',
      [
        'compose.yaml: services.web.ports[0]: a published port needs its host port: dockerhost publishes fixed ports (the firewall and the endpoints name them). Write "host:container", e.g. "8080:80".',
        'compose.yaml: services.web.ports[1]: "8000-8001:8000-8001" is not a port mapping dockerhost reads. Use "[ip:]host:container[/udp]", one port per line (no ranges).',
        'compose.yaml: services.web.ports[2].published: a published port needs its host port: dockerhost publishes fixed ports (the firewall and the endpoints name them). Write "host:container", e.g. "8080:80".',
      ],
    ],
    [
      "volumes: undeclared, a relative path alone, an unknown option, tmpfs",
      'services:\n  web:\n    image: a\n    volumes: ["~/d:/d", "data:/data", "anon", "/srv:/s:nocopy", {type: tmpfs, target: /t}]',
      [
        'compose.yaml: services.web.volumes[1]: volume "data" is not declared. Declare it under the top-level volumes key.',
        'compose.yaml: services.web.volumes[2]: "anon": give "<volume>:/path", "/host/path:/path" (with ":ro", ":z" or ":Z"), or "/path" alone for a volume of the container\'s own.',
        "compose.yaml: services.web.volumes[3]: option nocopy is not supported. Use ro, rw, z or Z.",
        'compose.yaml: services.web.volumes[4].type: "tmpfs" is not supported. Use "volume" or "bind".',
      ],
    ],
    [
      "a job that restarts, a partial cap_drop, two memory limits, a bad size",
      "services:\n  web:\n    image: a\n    depends_on: {init: {condition: service_completed_successfully}}\n    cap_drop: [NET_RAW]\n    mem_limit: 1g\n    deploy: {resources: {limits: {memory: lots}}}\n  db:\n    image: a\n  init:\n    image: a\n    restart: always",
      [
        "compose.yaml: services.web.mem_limit: given with deploy.resources.limits.memory. Give one.",
        'compose.yaml: services.web.deploy.resources.limits.memory: "lots" is not a size. Use e.g. "256m" or "1g".',
        "compose.yaml: services.web.cap_drop: dockerhost starts every container from no capability at all and adds back only cap_add (or, with neither key, the few a root-started image needs to drop to its own user: docs/apps.md). Leave cap_drop out (or [ALL]) and list those to keep in cap_add.",
        'compose.yaml: services.init.restart: "always" would run it again at each exit, and services.web.depends_on waits for it to complete (service_completed_successfully): a one-off job runs once. Leave restart out (or "no").',
      ],
    ],
    [
      "drivers other than bridge and local",
      "services:\n  web:\n    image: a\nnetworks:\n  n: {driver: overlay}\nvolumes:\n  v: {driver: nfs}",
      [
        'compose.yaml: volumes.v.driver: "nfs" is not supported. Use "local" (or leave it out).',
        'compose.yaml: networks.n.driver: "overlay" is not supported. Use "bridge" (or leave it out).',
      ],
    ],
    [
      "a build argument without a value, which no .env sets: not set, as in Compose",
      "services:\n  web:\n    build: {context: ., args: [TOKEN]}",
      [],
    ],
  ])("%s", (_what, yaml, expected) => {
    expect(problemsOf(yaml)).toStrictEqual(expected);
  });

  it("refuses a secret for a variable the file gives a value, does not list, or a service it lacks", () => {
    expect(
      problemsOf("services:\n  web:\n    image: a\n    environment: {A: x}", {
        web: { A: "s", B: "t" },
        nope: { C: "u" },
      }),
    ).toStrictEqual([
      'secretEnv.nope: compose.yaml has no service named "nope".',
      "compose.yaml: services.web.environment.A: has a value in the compose file and a secret in secretEnv. Leave it without a value in the file: a secret does not belong there.",
      "compose.yaml: services.web.environment: does not list B, given in secretEnv. List it without a value (environment: [B]).",
    ]);
  });

  /** A compose file of this text in a fresh directory under tests/fixtures, removed afterwards. */
  const withComposeFile = (text: string, body: (file: string) => void) => {
    const dir = fs.mkdtempSync(path.join(ROOT, "tests", "fixtures", ".compose-"));
    try {
      fs.writeFileSync(path.join(dir, "compose.yaml"), text);
      body(path.relative(ROOT, path.join(dir, "compose.yaml")));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it("reads depends_on as Compose does (the short form and service_started order the start, service_healthy waits), and container_name", () => {
    const text = [
      "services:",
      "  web:",
      "    image: a",
      "    depends_on: {api: {condition: service_healthy}, cache: {condition: service_started}}",
      "  api:",
      "    image: a",
      "    depends_on: [db]",
      '    healthcheck: {test: [CMD, "true"]}',
      "  db: {image: a, container_name: shop-db}",
      "  cache: {image: a}",
      "",
    ].join("\n");
    withComposeFile(text, (file) => {
      const order = composeServices(file).containers.map((c) => [
        c.name,
        c.dependsOn ?? [],
        c.startAfter ?? [],
      ]);
      expect(composeServices(file).containers.map((c) => c.containerName)).toStrictEqual([
        undefined,
        undefined,
        "shop-db",
        undefined,
      ]);
      expect(order).toStrictEqual([
        ["web", ["api"], ["cache"]],
        ["api", [], ["db"]],
        ["db", [], []],
        ["cache", [], []],
      ]);
    });
  });

  it("reads service_completed_successfully: the waiter's afterCompleted, the other a one-off job", () => {
    const text = [
      "services:",
      "  web:",
      "    image: a",
      "    depends_on: {migrate: {condition: service_completed_successfully}}",
      '  migrate: {image: a, command: [migrate, up], restart: "no"}',
      "",
    ].join("\n");
    withComposeFile(text, (file) => {
      expect(composeServices(file).containers).toStrictEqual([
        { name: "web", image: "a", afterCompleted: ["migrate"] },
        { name: "migrate", image: "a", command: ["migrate", "up"], runsToCompletion: true },
      ]);
    });
  });

  it("words DockerServices' own checks by the file's keys", () => {
    const text =
      "services:\n  web:\n    image: a\n    depends_on: {db: {condition: service_healthy}}\n    networks: [back]\n  db:\n    image: a\n";
    withComposeFile(text, (file) => {
      expect(() => composeServices(file)).toThrow(
        [
          `${file}: services.web.networks[0].name: "back" is not declared. Declare it in networks (e.g. networks: [{ name: "back" }]) or use "default", the project network.`,
          `${file}: services.web.dependsOn[0]: "db" has no healthcheck, so nothing tells when it is ready. Give "db" a healthcheck.`,
        ].join("\n"),
      );
    });
  });
});

describe("compose keys", () => {
  it("names each unsupported key by its path, list items included", () => {
    expect(
      unsupportedComposeKeys({
        services: {
          w: { ports: [{ target: 1, mode: "host" }], networks: { n: { ipv4_address: "x" } } },
        },
        networks: { n: { attachable: true } },
        "x-any": { whatever: 1 },
      }),
    ).toStrictEqual([
      "services.w.ports[0].mode",
      "services.w.networks.n.ipv4_address",
      "networks.n.attachable",
    ]);
  });

  it.each([
    ["256m", 256],
    ["1g", 1024],
    ["1.5G", 1536],
    ["512mb", 512],
    [1048576, 1],
    ["100k", 1],
    ["lots", undefined],
  ])("reads %s as %s MiB", (value, expected) => {
    expect(composeMemoryMb(value)).toBe(expected);
  });

  it("are the table in docs/compose.md", () => {
    expect(docTableAfter("compose.md", "### Compose keys")).toStrictEqual(
      tableCells(composeKeysTable()),
    );
  });
});
