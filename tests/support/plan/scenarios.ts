import { setFleetStackConfig } from "../fleet-stack-config";
import { loadStackConfig } from "../stack-config";

// The day-2 changes docs/lifecycle.md lists, each as the stack config before and after, on the
// stacks this repository ships (Pulumi.dev.yaml, Pulumi.dev-azure.yaml, Pulumi.local.yaml) or
// the fleet the fleet tests use. Each heading is the doc's.

export interface Scenario {
  /** The doc's heading, without the "### ". */
  heading: string;
  before: () => void;
  after: () => void;
  /** Resources whose outputs keep their values, and why (planUp's keepOutputs). */
  keepOutputs?: Record<string, string>;
}

const SECRETS = {
  "dockerhost:sshPrivateKey":
    "-----BEGIN OPENSSH PRIVATE KEY-----\nk\n-----END OPENSSH PRIVATE KEY-----\n",
  "dockerhost:secretEnv": JSON.stringify({ api: { DATABASE_PASSWORD: "p" } }),
};

/** Pulumi.local.yaml sets no key: `npm run local` generates one per stack. */
const LOCAL_SECRETS = {
  "dockerhost:sshPrivateKey": SECRETS["dockerhost:sshPrivateKey"],
  "dockerhost:sshPublicKey":
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com",
};

const MIRROR = { "dockerhost:registryMirrors": ["https://mirror.example.com"] };
const READY_KEEPS =
  "the readiness gate prints the engine's version, the same on a new host of the same image";

const ADMIT_KEEPS =
  "an admission prints nothing; what follows it (the swarm's provider) only waits for it";

/** Every member's readiness gate (a new VM runs the same engine) and admission step. */
const gatesKeep = (hosts: string[]) => ({
  ...Object.fromEntries(hosts.map((h) => [`${h}-ready`, READY_KEEPS])),
  ...admitsKeep(hosts),
});
const admitsKeep = (hosts: string[]) =>
  Object.fromEntries(hosts.map((h) => [`${h.replace(/^app-/, "app-swarm-")}-admit`, ADMIT_KEEPS]));

/** The dev stack's `web` served by the edge at app.example.com instead of publishing port 80. */
function proxiedWeb(config: Record<string, unknown>, image?: string): Record<string, unknown> {
  return {
    "dockerhost:edge": { acmeEmail: "ops@example.com", allowedCidrs: ["0.0.0.0/0"] },
    "dockerhost:containers": (config["dockerhost:containers"] as { name: string }[]).map((k) => {
      if (k.name !== "web") return k;
      // Only the edge publishes: the proxied container's own port goes.
      const rest: Record<string, unknown> = { ...k };
      delete rest.ports;
      return {
        ...rest,
        ...(image ? { image } : {}),
        proxy: { host: "app.example.com", port: 8080 },
      };
    }),
  };
}

const FLEET = ["app-m1", "app-m2", "app-m3", "app-w1", "app-w2"];

export const SCENARIOS: Scenario[] = [
  {
    heading: "A container's image (AWS host, `Pulumi.dev.yaml`)",
    before: () => loadStackConfig("Pulumi.dev.yaml", SECRETS),
    after: () =>
      loadStackConfig("Pulumi.dev.yaml", SECRETS, (c) => ({
        "dockerhost:containers": (c["dockerhost:containers"] as { name: string }[]).map((k) =>
          k.name === "web" ? { ...k, image: "nginxinc/nginx-unprivileged:1.28-alpine" } : k,
        ),
      })),
  },
  {
    heading: "A proxied container's image (AWS host, `Pulumi.dev.yaml` with `web` behind the edge)",
    before: () => loadStackConfig("Pulumi.dev.yaml", SECRETS, (c) => proxiedWeb(c)),
    after: () =>
      loadStackConfig("Pulumi.dev.yaml", SECRETS, (c) =>
        proxiedWeb(c, "nginxinc/nginx-unprivileged:1.28-alpine"),
      ),
  },
  {
    heading: "A host setting that replaces the VM (AWS host, `Pulumi.dev.yaml`)",
    before: () => loadStackConfig("Pulumi.dev.yaml", SECRETS),
    after: () => loadStackConfig("Pulumi.dev.yaml", SECRETS, () => MIRROR),
    keepOutputs: gatesKeep(["app"]),
  },
  {
    heading: "A host setting that replaces the VM (Azure host, `Pulumi.dev-azure.yaml`)",
    before: () => loadStackConfig("Pulumi.dev-azure.yaml", SECRETS),
    after: () => loadStackConfig("Pulumi.dev-azure.yaml", SECRETS, () => MIRROR),
    keepOutputs: gatesKeep(["app"]),
  },
  {
    heading: "A host setting that replaces the VM (local host, `Pulumi.local.yaml`)",
    before: () => loadStackConfig("Pulumi.local.yaml", LOCAL_SECRETS),
    after: () => loadStackConfig("Pulumi.local.yaml", LOCAL_SECRETS, () => MIRROR),
    keepOutputs: gatesKeep(["app"]),
  },
  {
    heading: "A host setting that replaces every member (AWS fleet, 3 managers + 2 workers)",
    before: () => setFleetStackConfig("aws"),
    after: () =>
      setFleetStackConfig("aws", { registryMirrors: MIRROR["dockerhost:registryMirrors"] }),
    keepOutputs: gatesKeep(FLEET),
  },
  {
    heading: "A host setting that replaces every member (Azure fleet, 3 managers + 2 workers)",
    before: () => setFleetStackConfig("azure"),
    after: () =>
      setFleetStackConfig("azure", { registryMirrors: MIRROR["dockerhost:registryMirrors"] }),
    keepOutputs: gatesKeep(FLEET),
  },
  {
    heading: "A new engine version (AWS fleet, `dockerVersion`)",
    before: () => setFleetStackConfig("aws"),
    after: () => setFleetStackConfig("aws", { dockerVersion: "28.0.1" }),
    // The gates print the new version: that change reaches every step they feed.
    keepOutputs: admitsKeep(FLEET),
  },
  {
    heading: "A worker removed (AWS fleet, 2 workers to 1)",
    before: () => setFleetStackConfig("aws"),
    after: () => setFleetStackConfig("aws", { fleet: { managers: 3, workers: 1 } }),
    keepOutputs: admitsKeep(FLEET),
  },
  {
    heading: "A worker added (AWS fleet, 2 workers to 3)",
    before: () => setFleetStackConfig("aws"),
    after: () => setFleetStackConfig("aws", { fleet: { managers: 3, workers: 3 } }),
    keepOutputs: admitsKeep([...FLEET, "app-w3"]),
  },
];
