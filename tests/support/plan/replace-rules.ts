import type { Registration } from "./registrations";
import { AWS_RULES } from "./replace-rules-aws";
import { AZURE_RULES } from "./replace-rules-azure";
import { DOCKER_RULES } from "./replace-rules-docker";
import { words, type ReplaceRule } from "./replace-rule";

export type { ReplaceRule } from "./replace-rule";

// Which input changes make a provider create a new resource (replace) and which it applies in
// place (update), for the resources the lifecycle plans change. Each row is read from the
// provider's own source at the version package-lock.json holds; docs/lifecycle.md's sources
// table names them. A property in neither list stops the plan: look it up, never guess.

const COMMAND: ReplaceRule = {
  // The provider forces nothing; its SDK adds replaceOnChanges ["triggers[*]"] to every Command,
  // which the registration carries (so the planner sees it as an option, not here).
  replaces: [],
  updates: [
    "connection",
    "create",
    "update",
    "delete",
    "stdin",
    "environment",
    "triggers",
    "logging",
    "addPreviousOutputInEnv",
    "interpreter",
    "dir",
  ],
  source: "pulumi-command",
};

const RULES: Record<string, (reg: Registration, old?: Registration) => ReplaceRule> = {
  ...AWS_RULES,
  ...AZURE_RULES,
  ...DOCKER_RULES,
  "command:remote:Command": () => COMMAND,
  "command:local:Command": () => COMMAND,
  "docker:index/container:Container": () => ({
    // kreuzwerker/terraform-provider-docker v4.5.0 (5074970c, what pulumi-docker v5.1.0 bridges):
    // every attribute of resource_docker_container.go is ForceNew but these. resourceDocker-
    // ContainerUpdate (resource_docker_container_funcs.go L991-1077) applies restart,
    // max_retry_count, memory, memory_reservation, memory_swap, cpu_shares, cpu_set and the blkio
    // limits, and starts the container on must_run false->true; the rest of this list is only
    // stored (healthcheck, init and tmpfs among them: the component's replaceOnChanges covers
    // those three; cpu_period and cpu_quota are read at create only). The installed @pulumi/docker
    // 5.2.0 adds deviceCgroupRules and an upload's owner/group, so it bridges a later upstream than
    // any stored here; upstream master 83c00e0b has byte-identical container files, and the
    // component sets neither input.
    replaces: [
      "capabilities",
      "cgroupParent",
      "cgroupnsMode",
      "command",
      "cpus",
      "deviceRequests",
      "devices",
      "dns",
      "dnsOpts",
      "dnsSearches",
      "domainname",
      "entrypoints",
      "envs",
      "gpus",
      "groupAdds",
      "hostname",
      "hosts",
      "image",
      "ipcMode",
      "labels",
      "logDriver",
      "logOpts",
      "mounts",
      "name",
      "networkMode",
      "networksAdvanced",
      "pidMode",
      "platform",
      "ports",
      "privileged",
      "publishAllPorts",
      "readOnly",
      "runtime",
      "securityOpts",
      "shmSize",
      "stdinOpen",
      "stopSignal",
      "stopTimeout",
      "storageOpts",
      "sysctls",
      "tty",
      "ulimits",
      "uploads",
      "user",
      "usernsMode",
      "volumes",
      "workingDir",
    ],
    updates: [
      "restart",
      "maxRetryCount",
      "memory",
      "memoryReservation",
      "memorySwap",
      "cpuShares",
      "cpuSet",
      "deviceReadBps",
      "deviceReadIops",
      "deviceWriteBps",
      "deviceWriteIops",
      "mustRun",
      "healthcheck",
      "init",
      "tmpfs",
      "rm",
      "attach",
      "logs",
      "wait",
      "waitTimeout",
      "start",
      "destroyGraceSeconds",
      "removeVolumes",
      "containerReadRefreshTimeoutMilliseconds",
      "cpuPeriod",
      "cpuQuota",
    ],
    source: "docker_container",
    // pulumi-docker provider/resources.go: docker_container `DeleteBeforeReplace: true`.
    deleteBeforeReplace: true,
    // The update (ContainerUpdate, ContainerStart) keeps the container, its id and name.
    updateRecomputes: () => false,
  }),
  // Image Builder's resources are immutable: every input but tags forces a new one (and
  // skipDestroy, stored only), hashicorp/terraform-provider-aws internal/service/imagebuilder/
  // component.go, image_recipe.go, image.go.
  "aws:imagebuilder/component:Component": () => ({
    replaces: words(`changeDescription data description kmsKeyId name platform supportedOsVersions
      uri version region`),
    updates: words("skipDestroy tags"),
    source: "aws_imagebuilder_component",
  }),
  "aws:imagebuilder/imageRecipe:ImageRecipe": () => ({
    replaces: words(`amiTags blockDeviceMappings components description name parentImage
      systemsManagerAgent userDataBase64 version workingDirectory region`),
    updates: words("tags"),
    source: "aws_imagebuilder_image_recipe",
  }),
  "aws:imagebuilder/image:Image": () => ({
    replaces: words(`containerRecipeArn distributionConfigurationArn enhancedImageMetadataEnabled
      executionRole imageRecipeArn imageScanningConfiguration imageTestsConfiguration
      infrastructureConfigurationArn workflows region`),
    updates: words("tags"),
    source: "aws_imagebuilder_image",
  }),
  "pulumi:providers:docker": () => ({
    replaces: [],
    updates: ["host", "sshOpts", "registryAuth"],
    source: "pulumi-terraform-bridge DiffConfig",
  }),
};

/** `reg`'s rule; `old`, its state, where a provider's CustomizeDiff compares the two. */
export function ruleFor(reg: Registration, old?: Registration): ReplaceRule {
  const rule = RULES[reg.type];
  if (!rule)
    throw new Error(
      `${reg.name}: no replace rule for ${reg.type}; read its provider's source and add one to replace-rules.ts`,
    );
  return rule(reg, old);
}
