import { DOCKER_OPTIONS_SCHEMA } from "../bootstrap/spec-schema";
import { ARCHES, HARDENING_PROFILES, OS_NAMES, SELINUX_MODES } from "../bootstrap/types";
import type { JsonSchema } from "../core/shape";
import {
  boolean,
  input,
  list,
  map,
  oneOf,
  record,
  string,
  wholeNumber,
} from "../core/schema-builders";
import { CONTAINER_SCHEMA, EDGE, NAMED_VOLUME, NETWORK } from "../services/container-schema";
import { REGISTRY } from "../services/services-schema";

// The shape of every argument a user can write, as JSON Schema: ajv checks it before any other
// check or resource runs, so a wrong type becomes a named problem instead of a TypeError deeper
// down. `pulumiValue` (a keyword of ours, see core/shape.ts) accepts an Output or a Promise
// where the field is a Pulumi input.

const DOCKER = DOCKER_OPTIONS_SCHEMA;

/** DockerHostArgs: what every target shares. */
const HOST_PROPERTIES: Record<string, JsonSchema> = {
  os: oneOf(OS_NAMES),
  arch: oneOf(ARCHES),
  sshPublicKey: string,
  sshPrivateKey: input(string),
  sshUser: string,
  docker: DOCKER,
  hardening: oneOf(HARDENING_PROFILES),
  selinux: oneOf(SELINUX_MODES),
  containerPidsLimit: { type: "integer" },
  bakedImage: boolean,
  swarm: boolean,
  containers: list(CONTAINER_SCHEMA),
  registries: list(REGISTRY),
  networks: list(NETWORK),
  volumes: list(NAMED_VOLUME),
  removeVolumesOnDelete: boolean,
  edge: EDGE,
  dockerContext: boolean,
};

const CLOUD_PROPERTIES: Record<string, JsonSchema> = {
  ...HOST_PROPERTIES,
  sshAllowedCidrs: list(string),
  allowSshFromAnywhere: boolean,
};

export const AWS_HOST_SCHEMA = record(
  {
    ...CLOUD_PROPERTIES,
    instanceType: string,
    ami: input(string),
    subnetId: input(string),
    vpcCidr: string,
    subnetCidr: string,
    availabilityZone: input(string),
    associatePublicIp: boolean,
    rootVolumeSizeGb: wholeNumber(8, 16384),
    dockerVolumeSizeGb: wholeNumber(0, 16384),
    kmsKeyId: input(string),
    containersNeedImds: boolean,
    egressCidrs: list(string),
    securityGroupIds: list(input(string)),
    tags: map(string),
    sshAccess: oneOf(["direct", "session"]),
    ssmEndpoints: boolean,
    containerLogs: oneOf(["host", "cloud"]),
    logRetentionDays: wholeNumber(0, 3653),
    ecrRepositories: list(string),
  },
  ["sshPublicKey"],
);

export const AZURE_HOST_SCHEMA = record(
  {
    ...CLOUD_PROPERTIES,
    vmSize: string,
    image: record(
      {
        publisher: string,
        offer: string,
        sku: string,
        version: string,
        trustedLaunch: boolean,
      },
      ["publisher", "offer", "sku"],
    ),
    imageId: input(string),
    resourceGroupName: input(string),
    location: input(string),
    subnetId: input(string),
    vnetCidr: string,
    subnetCidr: string,
    publicIp: boolean,
    trustedLaunch: boolean,
    encryptionAtHost: boolean,
    osDiskSizeGb: wholeNumber(30, 4095),
    dockerDiskSizeGb: wholeNumber(0, 32767),
    diskSku: oneOf(["Premium_LRS", "StandardSSD_LRS", "Standard_LRS"]),
    swarmPeers: record({ applicationSecurityGroupId: input(string), encryptedOverlay: boolean }, [
      "applicationSecurityGroupId",
    ]),
    tags: map(string),
    acrRegistries: list(string),
    sshAccess: oneOf(["direct", "session"]),
    bastion: record({ name: string, resourceGroupName: string, subnetCidr: string }, [
      "name",
      "resourceGroupName",
      "subnetCidr",
    ]),
    bastionSubnetCidr: string,
    containerLogs: oneOf(["host", "cloud"]),
    // The range is the target's to word (azure/container-logs.ts), as AWS's list is.
    logRetentionDays: wholeNumber(0, 3653),
  },
  ["sshPublicKey"],
);

export const LOCAL_HOST_SCHEMA = record(
  {
    ...HOST_PROPERTIES,
    image: input(string),
    kernel: string,
    initrd: string,
    kernelArgs: string,
    memoryMb: { type: "integer" },
    cpus: { type: "integer" },
    diskSizeGb: { type: "integer" },
    dockerDiskSizeGb: { type: "integer" },
    sshPort: { type: "integer" },
    accelerator: oneOf(["auto", "kvm", "tcg"]),
    privateNetwork: record({ group: string, port: { type: "integer" }, address: string }, [
      "group",
      "port",
      "address",
    ]),
    forwardPorts: list({ type: "integer" }),
  },
  ["sshPublicKey"],
);
