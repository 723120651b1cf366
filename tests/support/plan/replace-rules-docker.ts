import type { Registration } from "./registrations";
import { words, type ReplaceRule } from "./replace-rule";

// The Docker resources besides the container (replace-rules.ts), as pulumi-docker v5.1.0
// (e944612c) bridges kreuzwerker/terraform-provider-docker v4.5.0 (5074970c), and the TLS key.
// Only docker_container is DeleteBeforeReplace (pulumi-docker provider/resources.go L112-114);
// the others are autonamed (SetAutonaming, L404): a replacement with a generated name is made
// before the old one goes, one with a name given is delete-first (the bridge's Diff). A nested
// entry replaces only where it is ForceNew itself (the SDK's diffList: a ForceNew block replaces
// on a change of its item count).

const named = (reg: Registration) => reg.inputs.name !== undefined;

export const DOCKER_RULES: Record<string, (reg: Registration) => ReplaceRule> = {
  // resource_docker_service.go; resourceDockerServiceUpdate (_funcs.go L169-225) rebuilds the
  // whole spec and calls ServiceUpdate, so a nested change is applied. Swarm refuses a change of
  // mode in place ("service mode change is not allowed"), which the schema plans as an update.
  "docker:index/service:Service": (reg) => ({
    replaces: words(`name auth taskSpec.containerSpec.labels taskSpec.containerSpec.hosts
      taskSpec.containerSpec.sysctl taskSpec.networksAdvanceds`),
    updates: words("labels taskSpec mode updateConfig rollbackConfig endpointSpec convergeConfig"),
    deleteBeforeReplace: named(reg),
    updateRecomputes: () => false,
    // createServiceMode sends the new mode; swarmkit's controlapi refuses it
    // (errModeChangeNotAllowed).
    refusedUpdates: {
      "mode.global":
        'Swarm refuses a service\'s change of mode: "service mode change is not allowed"',
    },
    source: "docker_service",
  }),
  // No Update function: every input forces a new one.
  "docker:index/network:Network": (reg) => ({
    replaces: words(`name labels driver options internal attachable ingress ipv6 ipamDriver
      ipamOptions ipamConfigs`),
    updates: [],
    deleteBeforeReplace: named(reg),
    source: "docker_network",
  }),
  "docker:index/secret:Secret": (reg) => ({
    replaces: words("name data labels"),
    updates: [],
    deleteBeforeReplace: named(reg),
    source: "docker_secret",
  }),
  // cluster.availability alone is updatable; nothing here sets `cluster`.
  "docker:index/volume:Volume": (reg) => ({
    replaces: words("name labels driver driverOpts cluster"),
    updates: [],
    deleteBeforeReplace: named(reg),
    source: "docker_volume",
  }),
  "docker:index/remoteImage:RemoteImage": () => ({
    replaces: words("name pullTriggers triggers platform build"),
    updates: words("keepLocally forceRemove"),
    source: "docker_image",
  }),
  // pulumi-docker's own Image (provider/provider.go): Diff never replaces; an update builds and
  // pushes again (a new digest).
  "docker:index/image:Image": () => ({
    replaces: [],
    updates: [],
    everyOtherUpdates: true,
    source: "pulumi-docker Image",
  }),
  // hashicorp/terraform-provider-tls resource_private_key.go: RequiresReplace on all three.
  "tls:index/privateKey:PrivateKey": () => ({
    replaces: words("algorithm rsaBits ecdsaCurve"),
    updates: [],
    source: "tls_private_key",
  }),
};
