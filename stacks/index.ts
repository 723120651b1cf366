import * as pulumi from "@pulumi/pulumi";
import { AwsDockerHost } from "../components/aws/aws-docker-host";
import { AzureDockerHost } from "../components/azure/azure-docker-host";
import { LocalDockerHost } from "../components/local/local-docker-host";
import type { AcceleratorPreference } from "../components/local/accelerator";
import type { Arch, HardeningProfile, OsName, SelinuxMode } from "../components/bootstrap/types";
import { readCloud, readContainers, readRegistries, readSshPublicKey } from "./config";

// The stack `pulumi up` runs: one host on the configured cloud, with the configured containers.

const project = pulumi.getProject();
const config = new pulumi.Config();
const cloud = readCloud(config, project);
const hostName = config.get("hostName") ?? "app";

const shared = {
  os: config.get<OsName>("os"),
  arch: config.get<Arch>("arch"),
  hardening: config.get<HardeningProfile>("hardening"),
  selinux: config.get<SelinuxMode>("selinux"),
  sshPublicKey: readSshPublicKey(config, project, cloud),
  sshPrivateKey: config.getSecret("sshPrivateKey"),
  docker: {
    version: config.get("dockerVersion") || undefined,
    registryMirrors: config.getObject<string[]>("registryMirrors"),
  },
  containers: readContainers(config, project),
  registries: readRegistries(config, project),
};

const firewall = () => ({
  sshAllowedCidrs: config.requireObject<string[]>("sshAllowedCidrs"),
  allowSshFromAnywhere: config.getBoolean("allowSshFromAnywhere") ?? false,
});

const host = (() => {
  switch (cloud) {
    case "aws":
      return new AwsDockerHost(hostName, {
        ...shared,
        ...firewall(),
        instanceType: config.get("instanceType") || undefined,
        dockerVolumeSizeGb: config.getNumber("dockerVolumeSizeGb"),
      });
    case "azure":
      return new AzureDockerHost(hostName, {
        ...shared,
        ...firewall(),
        vmSize: config.get("vmSize") || undefined,
        dockerDiskSizeGb: config.getNumber("dockerVolumeSizeGb"),
        trustedLaunch: config.getBoolean("trustedLaunch"),
      });
    case "local":
      return new LocalDockerHost(hostName, {
        ...shared,
        image: config.get("localImage") || undefined,
        sshPort: config.getNumber("localSshPort"),
        memoryMb: config.getNumber("localMemoryMb"),
        cpus: config.getNumber("localCpus"),
        accelerator: config.get<AcceleratorPreference>("localAccelerator"),
        dockerDiskSizeGb: config.getNumber("dockerVolumeSizeGb"),
      });
  }
})();

export const publicIp = host.publicIp;
export const dockerHost = host.dockerHost;
export const sshCommand = host.sshCommand;
export const endpoints = host.endpoints;
export const dockerVersion = host.ready;
