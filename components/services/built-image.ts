import * as path from "node:path";
import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { BuildSpec, ContainerSpec } from "../core/container-spec";
import { buildDigest, buildPaths, builtImageName } from "./build-context";

// An image built by the host's engine over the provider's pinned ssh:// connection, never
// pushed. Its name carries the build digest: the provider builds again only when the context,
// the Dockerfile, the arguments or the secrets' sources change, and the container follows the
// image's id.
//
// A build with secrets is a docker.RemoteImage, the resource of @pulumi/docker that builds with
// secrets and pushes nothing (docker.Image's build has none: pulumi-docker provider/image.go's
// Build struct, and pulumi/pulumi-docker#539 "Add support for --secret from buildx" closed as
// won't fix; RegistryImage has the same build block but pushes). RemoteImage is the bridged
// kreuzwerker/terraform-provider-docker docker_image (v4.5.0 since pulumi-docker v5.1.0). Its
// schema says secrets are "Only available when you use a buildx builder"; its code passes them on
// the legacy path too, as follows:
// - its state holds a secret's id and its source's name (internal/provider/
//   resource_docker_image.go: `id`, `env`, `src`), never the value;
// - by default it builds with the buildx library, whose builder opens its own client from the
//   docker CLI's current context (buildx builder/node.go, util/dockerutil/api.go NewClientAPI),
//   not the provider's host and sshOpts: it would build on another engine than the pinned one;
// - `useLegacyBuilder: true` (legacyBuildDockerImage) builds through the engine API on the
//   provider's own client, the ssh:// connection with its pinned options (config.go,
//   GetConnectionHelperWithSSHOpts), and still with BuildKit where the engine's API is 1.39 or
//   newer (enableBuildKitIfSupported: a session over `/session`, to which the secrets are added
//   with buildkit's secretsprovider);
// - the value is read when the engine asks for it, in the provider's process on the deployer
//   (buildkit session/secrets/secretsprovider/store.go, GetSecret: os.Getenv or ReadFile), and
//   goes to the engine over that session only. A RUN --mount=type=secret sees it for that step;
//   it is in no layer (docs.docker.com, build/building/secrets: build args "persist in the final
//   image", a secret mount does not).

/** Relative to the program's directory, as the provider reads them: another checkout keeps the state. */
const relative = (p: string) => path.relative(process.cwd(), p) || ".";

export function builtImage(
  component: string,
  spec: ContainerSpec,
  platform: string,
  provider: docker.Provider,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const build = spec.build!;
  const imageName = builtImageName(component, spec.name, buildDigest(build, platform));
  const { context, dockerfile } = buildPaths(build);
  const resourceName = `${component}-${spec.name}-image`;
  if (Object.keys(build.secrets ?? {}).length)
    return new docker.RemoteImage(
      resourceName,
      {
        name: imageName,
        // Kept on the host when replaced: the old container may still be using it.
        keepLocally: true,
        build: {
          context: relative(context),
          dockerfile: relative(dockerfile),
          platform,
          useLegacyBuilder: true,
          secrets: buildSecrets(build),
          ...(build.args ? { buildArgs: build.args } : {}),
          ...(build.target ? { target: build.target } : {}),
        },
      },
      { parent, provider },
    ).imageId;
  return new docker.Image(
    resourceName,
    {
      imageName,
      skipPush: true,
      // A preview only reads: the host's engine is not asked to build anything.
      buildOnPreview: false,
      build: {
        context: relative(context),
        dockerfile: relative(dockerfile),
        platform,
        builderVersion: "BuilderBuildKit",
        ...(build.args ? { args: build.args } : {}),
        ...(build.target ? { target: build.target } : {}),
      },
    },
    { parent, provider },
  ).repoDigest;
}

/** The provider's secrets: each id with the name of its source, sorted by id. */
export function buildSecrets(build: BuildSpec): docker.types.input.RemoteImageBuildSecret[] {
  return Object.entries(build.secrets ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, source]) =>
      source.file !== undefined
        ? { id, src: relative(path.resolve(source.file)) }
        : { id, env: String(source.env) },
    );
}
