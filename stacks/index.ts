import * as pulumi from "@pulumi/pulumi";
import { AwsDockerHost } from "../components/aws/aws-docker-host";
import { AzureDockerHost } from "../components/azure/azure-docker-host";
import type { Arch, HardeningProfile, OsName, SelinuxMode } from "../components/bootstrap/types";
import { readCloud, readContainers, readRegistries } from "./config";

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
  sshPublicKey: config.require("sshPublicKey"),
  sshPrivateKey: config.getSecret("sshPrivateKey"),
  sshAllowedCidrs: config.requireObject<string[]>("sshAllowedCidrs"),
  allowSshFromAnywhere: config.getBoolean("allowSshFromAnywhere") ?? false,
  docker: {
    version: config.get("dockerVersion") || undefined,
    registryMirrors: config.getObject<string[]>("registryMirrors"),
  },
  containers: readContainers(config, project),
  registries: readRegistries(config, project),
};

const host = (() => {
  switch (cloud) {
    case "aws":
      return new AwsDockerHost(hostName, {
        ...shared,
        instanceType: config.get("instanceType") || undefined,
        dockerVolumeSizeGb: config.getNumber("dockerVolumeSizeGb"),
      });
    case "azure":
      return new AzureDockerHost(hostName, {
        ...shared,
        vmSize: config.get("vmSize") || undefined,
        dockerDiskSizeGb: config.getNumber("dockerVolumeSizeGb"),
        trustedLaunch: config.getBoolean("trustedLaunch"),
      });
  }
})();

export const publicIp = host.publicIp;
export const dockerHost = host.dockerHost;
export const sshCommand = host.sshCommand;
export const endpoints = host.endpoints;
export const dockerVersion = host.ready;
