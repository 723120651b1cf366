import type {
  DockerHostArgs,
  DockerHostImageArgs,
  LocalDockerHostArgs,
  LocalDockerHostImageArgs,
} from "../components";

// `dockerhost:bakeImage: true`: the stack bakes the host's install half first and boots the host
// from it. The image is given exactly the host settings that decide what is installed.

export function imageArgsOf(args: DockerHostArgs): DockerHostImageArgs {
  return {
    os: args.os,
    arch: args.arch,
    docker: { source: args.docker?.source, version: args.docker?.version },
    hardening: args.hardening,
    selinux: args.selinux,
  };
}

/** The local bake also boots the host's base image, with its accelerator. */
export function localImageArgsOf(args: LocalDockerHostArgs): LocalDockerHostImageArgs {
  return {
    ...imageArgsOf(args),
    ...(typeof args.image === "string" ? { image: args.image } : {}),
    ...(args.accelerator ? { accelerator: args.accelerator } : {}),
  };
}
