import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_MEMORY_MB } from "../core/container-spec";
import { MANAGED_BY_LABEL, healthcheckArgs } from "../services/container-args";
import { dockerObjectName } from "../services/app-topology";
import {
  DEFAULT_ROLLBACK,
  DEFAULT_UPDATE,
  type SwarmServiceSpec,
} from "../core/swarm-service-spec";

// SwarmServiceSpec -> the Docker provider's ServiceArgs, with the security defaults of
// DockerServices where a service has them (no-new-privileges comes from the engine's
// daemon.json, which every host has) and start-first, health-gated updates.

/** What the component created for a service to attach to. */
export interface ServiceLinks {
  /** The overlay networks it joins (their ids) with its aliases there. */
  networks: { id: pulumi.Input<string>; aliases: string[] }[];
  /** Its secrets, one per secretEnv key. */
  secrets: { key: string; secretId: pulumi.Input<string>; secretName: pulumi.Input<string> }[];
  /** The Docker name of a volume by its name in the spec. */
  volumeName: (name: string) => string;
}

/** How long `pulumi up` waits for a service to converge (the provider's converge check). */
export const CONVERGE = { delay: "2s", timeout: "5m" };
const WRITABLE_TMP_BYTES = 64 * 1024 * 1024;

export function serviceArgs(
  component: string,
  spec: SwarmServiceSpec,
  links: ServiceLinks,
): docker.ServiceArgs {
  const hc = spec.healthcheck;
  const readOnly = spec.readOnlyRootFs ?? false;
  const update = { ...DEFAULT_UPDATE, ...spec.update };
  const rollback = { ...DEFAULT_ROLLBACK, ...spec.rollback };
  return {
    name: dockerObjectName(component, spec.name),
    labels: [{ label: MANAGED_BY_LABEL, value: "pulumi" }],
    taskSpec: {
      containerSpec: {
        image: spec.image,
        ...(spec.command ? { commands: spec.command } : {}),
        ...(spec.env ? { env: spec.env } : {}),
        secrets: links.secrets.map((s) => ({
          secretId: s.secretId,
          secretName: s.secretName,
          fileName: s.key,
          fileMode: 0o444,
        })),
        mounts: [
          ...(spec.volumes ?? []).map((v) =>
            v.hostPath
              ? {
                  type: "bind",
                  source: v.hostPath,
                  target: v.containerPath,
                  readOnly: !!v.readOnly,
                }
              : {
                  type: "volume",
                  source: links.volumeName(v.volumeName ?? ""),
                  target: v.containerPath,
                  readOnly: !!v.readOnly,
                },
          ),
          ...(readOnly
            ? [{ type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: WRITABLE_TMP_BYTES } }]
            : []),
        ],
        ...(hc ? { healthcheck: healthcheckArgs(hc) } : {}),
        ...(spec.user ? { user: spec.user } : {}),
        readOnly,
        capDrops: ["ALL"],
        capAdds: spec.capAdd ?? [],
        labels: Object.entries(spec.labels ?? {}).map(([label, value]) => ({ label, value })),
        // A task gets Docker's 10 s to stop, as a plain container does.
        stopGracePeriod: "10s",
      },
      resources: {
        limits: {
          memoryBytes: (spec.memoryMb ?? DEFAULT_MEMORY_MB) * 1024 * 1024,
          ...(spec.cpus ? { nanoCpus: Math.round(Number(spec.cpus) * 1e9) } : {}),
        },
      },
      restartPolicy: { condition: "any", delay: "5s", window: "60s" },
      ...(spec.placement?.length ? { placement: { constraints: spec.placement } } : {}),
      // By id: the provider's doc says a name here makes every update a replacement.
      networksAdvanceds: links.networks.map((n) => ({ id: n.id, aliases: n.aliases })),
    },
    mode: spec.global ? { global: true } : { replicated: { replicas: spec.replicas ?? 1 } },
    updateConfig: update,
    rollbackConfig: rollback,
    endpointSpec: {
      ports: (spec.ports ?? []).map((p) => ({
        targetPort: p.internal,
        publishedPort: p.external ?? p.internal,
        protocol: p.protocol ?? "tcp",
        publishMode: p.mode,
      })),
    },
    // Not for a global service, which the provider refuses with it (global-converge.ts).
    ...(spec.global ? {} : { convergeConfig: CONVERGE }),
  };
}
