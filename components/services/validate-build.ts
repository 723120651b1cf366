import type { ContainerSpec } from "../core/container-spec";
import { buildPathProblems } from "./build-context";
import { buildSecretProblems } from "./validate-build-secrets";
import { imageReferenceProblem } from "../core/docker-grammar";

// A container's image: a reference to pull, or a build on the host; exactly one. Checked at
// preview, the build's paths included, so nothing reaches the engine that could not build.

const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;

export function imageSourceProblems(c: ContainerSpec, field: string, cwd?: string): string[] {
  const hasImage = c.image !== undefined && c.image !== "";
  if (hasImage && c.build)
    return [
      `${field}: gives both image and build. Give image to pull one, or build to build one on the host.`,
    ];
  if (!hasImage && !c.build)
    return [
      `${field}.image: required, or give build: { context: "./dir" } to build the image on the host.`,
    ];
  if (!c.build) {
    const problem = typeof c.image === "string" ? imageReferenceProblem(c.image) : undefined;
    return problem ? [`${field}.image: ${problem}`] : [];
  }
  const at = `${field}.build`;
  const problems = Object.keys(c.build.args ?? {})
    .filter((key) => !ARG_NAME.test(key))
    .map(
      (key) =>
        `${at}.args: ${JSON.stringify(key)} is not an ARG name. Use letters, digits and "_", not starting with a digit.`,
    );
  if (c.build.target !== undefined && !STAGE_NAME.test(c.build.target))
    problems.push(
      `${at}.target: ${JSON.stringify(c.build.target)} is not a stage name (FROM ... AS <name>). Use letters, digits, "_", "." and "-", starting with a letter.`,
    );
  return [
    ...problems,
    ...buildPathProblems(c.build, at, cwd),
    ...buildSecretProblems(c.build, at, cwd),
  ];
}
