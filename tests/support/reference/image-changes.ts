import type * as pulumi from "@pulumi/pulumi";
import type { AwsDockerHostImageArgs } from "../../../components/aws/aws-docker-host-image";
import type { AzureDockerHostImageArgs } from "../../../components/azure/azure-docker-host-image";
import type { DockerHostImageArgs } from "../../../components/host/image-args";
import type { LocalDockerHostImageArgs } from "../../../components/local/local-docker-host-image";
import type { ChangeRun } from "./field-changes";
import { hostRuns, type HostChange } from "./host-changes";
import { file, KERNEL_CHANGES } from "./local-host-changes";

// The bakes' inputs, one change each: whether a change makes a new image (the AMI build, the
// Azure template, the local bake replaced) or leaves the bake as it is.

const BASE: Record<keyof DockerHostImageArgs, HostChange<DockerHostImageArgs>> = {
  os: { change: { os: "ubuntu-24.04" } },
  arch: { change: { arch: "arm64" } },
  docker: { change: { docker: { version: "27.3.1" } } },
  hardening: { change: { hardening: "strict" } },
  selinux: { deployed: { os: "rhel-9" }, change: { selinux: "permissive" }, note: "on `rhel-9`" },
};

type Changes<A> = Record<keyof A, HostChange<A>>;
const base = <A>() => BASE as unknown as Record<keyof DockerHostImageArgs, HostChange<A>>;

export const AWS_IMAGE_CHANGES: Changes<AwsDockerHostImageArgs> = {
  ...base<AwsDockerHostImageArgs>(),
  parentAmi: { change: { parentAmi: "ami-0fedcba9876543210" } },
  instanceType: { change: { instanceType: "t3.large" } },
  subnetId: {
    change: { subnetId: "subnet-0123456789abcdef0", securityGroupIds: ["sg-0123456789abcdef0"] },
    note: "with `securityGroupIds`",
  },
  securityGroupIds: {
    deployed: { subnetId: "subnet-0123456789abcdef0", securityGroupIds: ["sg-0123456789abcdef0"] },
    change: { securityGroupIds: ["sg-0fedcba9876543210"] },
    note: "in a subnet of yours",
  },
  tags: { change: { tags: { team: "ops" } } },
};

export const AZURE_IMAGE_CHANGES: Changes<AzureDockerHostImageArgs> = {
  ...base<AzureDockerHostImageArgs>(),
  // The Azure bake's default OS is Ubuntu's.
  os: { change: { os: "debian-12" } },
  resourceGroupName: { change: { resourceGroupName: "images-2" } },
  location: { change: { location: "northeurope" } },
  vmSize: { change: { vmSize: "Standard_D4s_v5" } },
  tags: { change: { tags: { team: "ops" } } },
};

export const LOCAL_IMAGE_CHANGES: Changes<LocalDockerHostImageArgs> = {
  ...base<LocalDockerHostImageArgs>(),
  arch: { change: { arch: "arm64" } },
  image: { change: { image: file("debian-12-2026-11.qcow2") }, shown: "another image file" },
  ...(KERNEL_CHANGES as Pick<Changes<LocalDockerHostImageArgs>, keyof typeof KERNEL_CHANGES>),
  memoryMb: { change: { memoryMb: 4096 } },
  cpus: { change: { cpus: 4 } },
  accelerator: { change: { accelerator: "tcg" } },
  directory: { change: { directory: "/images/other" } },
  timeoutSeconds: { change: { timeoutSeconds: 3600 } },
};

const output = (o: pulumi.Output<unknown>) => [o];

export const imageRuns = {
  AwsDockerHostImage: (): ChangeRun[] =>
    hostRuns<AwsDockerHostImageArgs>({ os: "debian-12" }, AWS_IMAGE_CHANGES, (m, args) =>
      output(new m.AwsDockerHostImage("ai", args).amiId),
    ),
  AzureDockerHostImage: (): ChangeRun[] =>
    hostRuns<AzureDockerHostImageArgs>(
      { resourceGroupName: "images-rg", location: "westeurope" },
      AZURE_IMAGE_CHANGES,
      (m, args) => output(new m.AzureDockerHostImage("zi", args).imageId),
    ),
  LocalDockerHostImage: (): ChangeRun[] =>
    hostRuns<LocalDockerHostImageArgs>(
      { directory: "/images/baked" },
      LOCAL_IMAGE_CHANGES,
      (m, args) => output(new m.LocalDockerHostImage("li", args).imagePath),
    ),
};

/** The resource whose replacement is a new image, per bake. */
export const BAKE_RESOURCE = {
  AwsDockerHostImage: "ai-image",
  AzureDockerHostImage: "zi-template",
  LocalDockerHostImage: "li-bake",
};
