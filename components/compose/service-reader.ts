import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { parse as shellParse } from "shell-quote";
import type {
  BuildSpec,
  ContainerNetworkSpec,
  ContainerPortSpec,
  ContainerSpec,
  ContainerVolumeSpec,
  RestartPolicy,
} from "../core/container-spec";
import { asMap, composeMemoryMb, isMap, keyValues, wholeNumber, type Doc } from "./compose-values";
import { readDependsOn, type StartOrder } from "./depends-on";
import type { Variables } from "./interpolate";
import { readVolumes } from "./service-volumes";
import { readRestart } from "./service-policies";
import { readHealthcheck } from "./service-health";
import { readEnvFiles, readServiceEnv, type EnvFromFiles, type ServiceEnv } from "./service-env";

// One compose service's keys, each read into its ContainerSpec field; what cannot be said the
// same way becomes a problem naming the key. compose-services.ts puts the fields together.

// "[ip:]host:container[/proto]"; an empty ip (":8080:80") is every address, as Docker reads it
// (docker/go-connections nat/nat.go: splitParts gives ip "" for ":8080:80", and ParsePortSpec
// checks an ip only when it is not "").
const PORT = /^(?:(\d{1,3}(?:\.\d{1,3}){3})?:)?(?:(\d+):)?(\d+)(?:\/(tcp|udp))?$/;

export class ServiceReader {
  readonly problems: string[] = [];
  constructor(
    readonly file: string,
    readonly name: string,
    readonly svc: Doc,
    readonly declaredVolumes: Set<string>,
    /** The compose file's directory: relative paths in the file start there. */
    readonly dir: string = ".",
  ) {}

  problem(key: string, text: string): void {
    this.problems.push(`${this.file}: services.${this.name}.${key}: ${text}`);
  }

  /**
   * Named volumes this service's anonymous mounts (`- /app/node_modules`) and data directories
   * (`./data:/var/lib/x`) became; compose-services.ts adds them to the app's volumes.
   */
  readonly anonymousVolumes: string[] = [];

  /** A list as written, or a string split as a shell would (Compose's command and entrypoint). */
  private words(key: "command" | "entrypoint"): string[] | undefined {
    const value = this.svc[key];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value.map(String);
    const words = shellParse(String(value));
    if (words.every((w): w is string => typeof w === "string")) return words;
    this.problem(
      key,
      `${JSON.stringify(value)} holds shell operators or globs; a container's ${key} is not run by a shell. Write it as a list, or as ["sh", "-c", "..."].`,
    );
    return undefined;
  }

  command(): string[] | undefined {
    return this.words("command");
  }

  entrypoint(): string[] | undefined {
    const words = this.words("entrypoint");
    if (words?.length === 0 || (words?.length === 1 && words[0] === ""))
      this.problem(
        "entrypoint",
        'is empty, which would run the image\'s CMD as the program. Name the program (entrypoint: ["/bin/sh", "-c"]), or leave entrypoint out to keep the image\'s.',
      );
    return words?.length && words[0] !== "" ? words : undefined;
  }

  /**
   * The service's build context as an absolute path, when it is a directory below the compose
   * file's own: a bind from inside it that the Dockerfile copies is the service's source code
   * (service-volumes.ts refuses it).
   */
  buildContext(): string | undefined {
    const value = this.svc.build;
    if (value === undefined) return undefined;
    const context = typeof value === "string" ? value : String(asMap(value).context ?? ".");
    const full = path.resolve(this.dir, context);
    return full.startsWith(path.resolve(this.dir) + path.sep) ? full : undefined;
  }

  /** The Dockerfile's path relative to the build context (Compose's default: Dockerfile). */
  dockerfile(): string {
    const value = this.svc.build;
    return typeof value === "object" && value !== null && "dockerfile" in value
      ? String((value as Doc).dockerfile)
      : "Dockerfile";
  }

  build(dir: string, cwd: string, vars?: Variables): BuildSpec | undefined {
    const value = this.svc.build;
    if (value === undefined) return undefined;
    // `image` beside `build`: Compose pulls it first and builds only when it cannot, or builds
    // and tags with it (pull_policy: build; compose-spec build.md, "Using build and image").
    // dockerhost always builds, tagged by the context's digest; the name is unused, and a
    // service that runs the build by it is refused (built-image-names.ts).
    const b = typeof value === "string" ? { context: value } : asMap(value);
    const context = path.relative(cwd, path.resolve(dir, String(b.context ?? "."))) || ".";
    // An arg without a value takes the project's variable of that name, as in Compose, and is
    // not set when there is none: "Values can be omitted when specifying a build argument, in
    // which case its value at build time must be obtained by user interaction, otherwise the
    // build arg won't be set when building the Docker image" (compose-spec build.md, "args").
    const args =
      b.args === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(keyValues(b.args)).flatMap(([k, v]) => {
              const value = v ?? vars?.values.get(k);
              return value === undefined || value === null ? [] : [[k, value]];
            }),
          );
    return {
      context,
      ...(b.dockerfile !== undefined ? { dockerfile: String(b.dockerfile) } : {}),
      ...(args && Object.keys(args).length ? { args: args as Record<string, string> } : {}),
      ...(b.target !== undefined ? { target: String(b.target) } : {}),
    };
  }

  /** `env_file`, read as Compose reads it (service-env.ts). */
  envFiles(
    dir: string,
    vars: Variables | undefined,
    isSecret: (name: string) => boolean,
  ): EnvFromFiles {
    return readEnvFiles(this, dir, vars, isSecret);
  }

  /** `environment` over the `env_file` entries (service-env.ts). */
  env(
    secrets: Record<string, pulumi.Input<string>>,
    fromFiles: EnvFromFiles = new Map(),
    usesSecret: (at: string) => boolean = () => false,
    vars?: Variables,
    isSecretVariable: (name: string) => boolean = () => false,
  ): ServiceEnv {
    return readServiceEnv(this, secrets, fromFiles, usesSecret, vars, isSecretVariable);
  }

  ports(): ContainerPortSpec[] | undefined {
    const value = this.svc.ports;
    if (!Array.isArray(value)) return undefined;
    const ports: ContainerPortSpec[] = [];
    value.forEach((p, i) => {
      if (isMap(p)) {
        const target = wholeNumber(p.target);
        const published = p.published === undefined ? undefined : wholeNumber(p.published);
        if (target === undefined)
          this.problem(`ports[${i}].target`, `${JSON.stringify(p.target)} is not a port number.`);
        if (p.published === undefined) this.problem(`ports[${i}].published`, FIXED_PORT);
        else if (published === undefined)
          this.problem(
            `ports[${i}].published`,
            `${JSON.stringify(p.published)} is not a port number (dockerhost publishes one port per entry, no ranges).`,
          );
        if (target === undefined || published === undefined) return;
        ports.push({
          internal: target,
          external: published,
          ...(p.protocol ? { protocol: p.protocol as ContainerPortSpec["protocol"] } : {}),
          ...(p.host_ip ? { hostIp: String(p.host_ip) } : {}),
        });
        return;
      }
      const m = PORT.exec(String(p));
      if (!m)
        this.problem(
          `ports[${i}]`,
          `${JSON.stringify(p)} is not a port mapping dockerhost reads. Use "[ip:]host:container[/udp]", one port per line (no ranges).`,
        );
      else if (m[2] === undefined) this.problem(`ports[${i}]`, FIXED_PORT);
      else
        ports.push({
          internal: Number(m[3]),
          external: Number(m[2]),
          ...(m[4] ? { protocol: m[4] as ContainerPortSpec["protocol"] } : {}),
          ...(m[1] ? { hostIp: m[1] } : {}),
        });
    });
    return ports;
  }

  /** `volumes`: named, bind and anonymous mounts (service-volumes.ts). */
  volumes(): ContainerVolumeSpec[] | undefined {
    return readVolumes(this);
  }

  networks(): ContainerNetworkSpec[] | undefined {
    const value = this.svc.networks;
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return value.map((name) => ({ name: String(name) }));
    return Object.entries(asMap(value)).map(([name, opts]) => {
      const aliases = asMap(opts).aliases as string[] | undefined;
      return { name, ...(aliases?.length ? { aliases: aliases.map(String) } : {}) };
    });
  }

  /** `depends_on` as Compose reads it (depends-on.ts), and `links`, which order the start too. */
  dependsOn(present: ReadonlySet<string>): StartOrder {
    const order = readDependsOn(
      this.svc.depends_on,
      (key, text) => this.problem(key, text),
      present,
    );
    const links = Array.isArray(this.svc.links)
      ? this.svc.links.map((l) => String(l).split(":")[0])
      : [];
    const after = [
      ...(order.startAfter ?? []),
      ...links.filter((l) => !order.startAfter?.includes(l) && !order.dependsOn?.includes(l)),
    ];
    return { ...order, ...(after.length ? { startAfter: after } : {}) };
  }

  /**
   * The schema takes a string wherever interpolation may give one, so the values' grammar is
   * checked here, as Compose checks it when it loads the file.
   */
  healthcheck(): ContainerSpec["healthcheck"] {
    return readHealthcheck(this);
  }

  /** `restart`, or `deploy.restart_policy.condition` (service-policies.ts). */
  restart(): RestartPolicy | undefined {
    return readRestart(this);
  }

  limits(): { memoryMb?: number; cpus?: string } {
    const limits = asMap(asMap(asMap(this.svc.deploy).resources).limits);
    const memory = limits.memory ?? this.svc.mem_limit;
    const cpus = limits.cpus ?? this.svc.cpus;
    if (limits.memory !== undefined && this.svc.mem_limit !== undefined)
      this.problem("mem_limit", "given with deploy.resources.limits.memory. Give one.");
    if (limits.cpus !== undefined && this.svc.cpus !== undefined)
      this.problem("cpus", "given with deploy.resources.limits.cpus. Give one.");
    const memoryMb = memory === undefined ? undefined : composeMemoryMb(memory);
    if (memory !== undefined && memoryMb === undefined)
      this.problem(
        limits.memory !== undefined ? "deploy.resources.limits.memory" : "mem_limit",
        `${JSON.stringify(memory)} is not a size. Use e.g. "256m" or "1g".`,
      );
    return {
      ...(memoryMb !== undefined ? { memoryMb } : {}),
      ...(cpus !== undefined ? { cpus: String(cpus) } : {}),
    };
  }

  /** `cap_add`, what it keeps; with `cap_drop: [ALL]`, only that; with neither, capabilities.ts's. */
  capabilities(): string[] | undefined {
    const drop = this.svc.cap_drop as unknown[] | undefined;
    const add = (this.svc.cap_add as unknown[] | undefined)?.map(String);
    if (drop && !(drop.length === 1 && drop[0] === "ALL"))
      this.problem(
        "cap_drop",
        "dockerhost starts every container from no capability at all and adds back only cap_add (or, with neither key, the few a root-started image needs to drop to its own user: docs/apps.md). Leave cap_drop out (or [ALL]) and list those to keep in cap_add.",
      );
    else if (drop) return add ?? [];
    return add;
  }
}

const FIXED_PORT =
  'a published port needs its host port: dockerhost publishes fixed ports (the firewall and the endpoints name them). Write "host:container", e.g. "8080:80".';
