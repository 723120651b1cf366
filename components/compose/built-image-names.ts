import { asMap } from "./compose-values";

/**
 * A service that runs, by its `image` name, what another service builds (`build` with that
 * `image`): Compose tags the build with the name, dockerhost tags builds by their context's
 * digest, so the name would be pulled from a registry that never had it. One problem per such
 * service, at its `image`, naming the service that builds it.
 */
export function builtImageNameProblems(services: Record<string, unknown>, file: string): string[] {
  const builders = new Map<string, string>();
  for (const [name, svc] of Object.entries(services)) {
    const { build, image } = asMap(svc);
    if (build !== undefined && typeof image === "string" && !builders.has(image))
      builders.set(image, name);
  }
  return Object.entries(services).flatMap(([name, svc]) => {
    const { build, image } = asMap(svc);
    const builder = typeof image === "string" ? builders.get(image) : undefined;
    if (build !== undefined || builder === undefined) return [];
    return [
      `${file}: services.${name}.image: ${JSON.stringify(image)} is the image services.${builder} builds; dockerhost names each build after its context's digest, so no image has that name on the host. Give services.${name} the same build: as services.${builder}, or push the image to a registry and name it there.`,
    ];
  });
}
