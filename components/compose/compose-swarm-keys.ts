import type { ComposeKey } from "./compose-keys";

// The keys only `composeSwarmServices` reads (a swarm's `deploy` keys and a port's mode), as rows
// of the "Compose keys" table; on one host they are refused like any key the table lacks.

const SWARM = "on a swarm (`composeSwarmServices`):";
const policyKeys = (config: string, field: string): ComposeKey[] =>
  [
    ["parallelism", "parallelism"],
    ["delay", "delay"],
    ["order", "order"],
    ["monitor", "monitor"],
    ["failure_action", "failureAction"],
    ["max_failure_ratio", "maxFailureRatio"],
  ].map(([key, name]) => ({
    key: `services.<service>.deploy.${config}.${key}`,
    becomes: `${SWARM} \`${field}.${name}\``,
    swarmOnly: true,
  }));

export const SWARM_KEYS: ComposeKey[] = [
  {
    key: "services.<service>.ports[].mode",
    becomes: `${SWARM} \`mode\` (\`ingress\`, the default, or \`host\`)`,
    swarmOnly: true,
  },
  {
    key: "services.<service>.deploy.mode",
    becomes: `${SWARM} \`replicated\` or \`global\``,
    swarmOnly: true,
  },
  { key: "services.<service>.deploy.replicas", becomes: `${SWARM} \`replicas\``, swarmOnly: true },
  {
    key: "services.<service>.deploy.placement.constraints",
    becomes: `${SWARM} \`placement\``,
    swarmOnly: true,
  },
  ...policyKeys("update_config", "update"),
  ...policyKeys("rollback_config", "rollback"),
];
