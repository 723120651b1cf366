import * as pulumi from "@pulumi/pulumi";
import type { DockerHostArgs } from "../../../components/host/host-args";
import { DEPLOYER_PUBLIC_KEY, HOST_PUBLIC_KEY } from "../pulumi-mocks";
import type { ChangeRun, Program } from "./field-changes";

// One change of each input every host shares (DockerHostArgs), made to a host as deployed; each
// target's own inputs are in its file (local-host-changes.ts, ...). The reference's "on change"
// column for a host is what the engine's rules give for it (on-change.ts, hostEffect).

export interface HostChange<A> {
  change: Partial<A>;
  /** The host as deployed, where the field needs more of it (an OS with SELinux, a container). */
  deployed?: Partial<A>;
  /** What else the row's host holds, in words (the page's change column). */
  note?: string;
  /** The change as the page shows it, where its value is no part of the point (a file's path). */
  shown?: unknown;
}

/** Deployed to every profile's rules, strict's included (a pinned image, a user, a healthcheck). */
const WEB = {
  name: "web",
  image: `nginx:1.27@sha256:${"a".repeat(64)}`,
  user: "101:101",
  healthcheck: { test: ["CMD", "true"] },
  ports: [{ internal: 80, external: 8080, hostIp: "0.0.0.0" }],
};
const DATA = {
  volumes: [{ name: "data" }],
  containers: [{ ...WEB, volumes: [{ containerPath: "/data", volumeName: "data" }] }],
};

/** The fields every host has; `Omit` leaves out what a target changes in its own way. */
export const BASE_CHANGES: Record<keyof DockerHostArgs, HostChange<DockerHostArgs>> = {
  os: { change: { os: "ubuntu-24.04" } },
  arch: { change: { arch: "arm64" } },
  // Another deployer's key: any valid OpenSSH key (the mocks' host key is one).
  sshPublicKey: { change: { sshPublicKey: HOST_PUBLIC_KEY }, shown: "another key" },
  sshPrivateKey: { change: { sshPrivateKey: pulumi.secret("ANOTHER KEY") } },
  sshUser: { change: { sshUser: "ops" } },
  docker: { change: { docker: { registryMirrors: ["https://mirror.example.com"] } } },
  hardening: { change: { hardening: "strict" } },
  selinux: {
    deployed: { os: "rhel-9" },
    change: { selinux: "permissive" },
    note: "on `rhel-9`",
  },
  containerPidsLimit: { change: { containerPidsLimit: 512 } },
  bakedImage: { change: { bakedImage: true } },
  swarm: { change: { swarm: true } },
  containers: {
    change: { containers: [WEB, { name: "api", image: "example/api:1" }] },
    note: "`api` added beside `web`",
  },
  registries: {
    change: {
      registries: [
        { address: "registry.example.com", username: "ci", password: pulumi.secret("p") },
      ],
    },
  },
  networks: {
    change: {
      networks: [{ name: "back" }],
      containers: [{ ...WEB, networks: [{ name: "back" }] }],
    },
    note: "`web` joins it",
  },
  volumes: { change: DATA, note: "`web` mounts it" },
  removeVolumesOnDelete: {
    deployed: DATA,
    change: { removeVolumesOnDelete: true },
    note: "`web` mounts the volume `data`",
  },
  edge: {
    change: {
      edge: { acmeEmail: "ops@example.com", allowedCidrs: ["0.0.0.0/0"] },
      containers: [{ ...WEB, ports: [], proxy: { host: "app.example.com", port: 80 } }],
    },
    note: "`web` served by it",
  },
  dockerContext: { change: { dockerContext: false } },
};

/** The host as deployed: one container, the deployer's key, nothing else the target needs. */
export const BASE_DEPLOYED: DockerHostArgs = {
  sshPublicKey: DEPLOYER_PUBLIC_KEY,
  sshPrivateKey: pulumi.secret("KEY"),
  containers: [WEB],
};

/** A run per field of `changes`, on the host `make` builds from the args. */
export function hostRuns<A extends object>(
  deployed: A,
  changes: Record<string, HostChange<A>>,
  make: (m: Parameters<Program>[0], args: A) => pulumi.Output<unknown>[],
): ChangeRun[] {
  return Object.entries(changes).map(([field, c]) => {
    const before = { ...deployed, ...c.deployed } as A;
    const after = { ...before, ...c.change } as A;
    return {
      field,
      change: c.shown ?? (c.change as Record<string, unknown>)[field],
      note: c.note,
      deployedKey: JSON.stringify(c.deployed ?? {}),
      deployed: (m) => make(m, before),
      changed: (m) => make(m, after),
    };
  });
}
