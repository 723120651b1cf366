import * as fs from "node:fs";
import * as path from "node:path";
import type { BuildSpec } from "../core/container-spec";
import { buildPaths, contextEntries } from "./build-context";

// A build's secrets, checked at preview: each id usable in `RUN --mount=type=secret,id=<id>`,
// each value's source on this machine, and no secret file that the context would carry to the
// engine (and a COPY into a layer) anyway. Pure but for reading the environment and the disk.

// BuildKit parses `--secret id=<id>,env=<name>` as CSV: "," and "=" cannot be in an id.
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const mountHint = (id: string) =>
  `RUN --mount=type=secret,id=${id} ... (the value is /run/secrets/${id})`;

export function buildSecretProblems(
  build: BuildSpec,
  at: string,
  cwd: string = process.cwd(),
  environment: NodeJS.ProcessEnv = process.env,
): string[] {
  const problems: string[] = [];
  for (const [id, source] of Object.entries(build.secrets ?? {})) {
    const field = `${at}.secrets.${id}`;
    if (!SECRET_ID.test(id)) {
      problems.push(
        `${at}.secrets: ${JSON.stringify(id)} is not a secret id. Use letters, digits, "_", "." and "-" (the Dockerfile names it: ${mountHint("<id>")}).`,
      );
      continue;
    }
    const { env, file } = source ?? {};
    if ((env === undefined) === (file === undefined)) {
      problems.push(
        `${field}: give exactly one of env (an environment variable of the deployer, e.g. { env: ${JSON.stringify(id.toUpperCase().replace(/[^A-Z0-9_]/g, "_"))} }) or file (a file on the deployer, relative to the program's directory).`,
      );
      continue;
    }
    if (env !== undefined) {
      if (!ENV_NAME.test(env))
        problems.push(
          `${field}.env: ${JSON.stringify(env)} is not an environment variable name. Use letters, digits and "_", not starting with a digit.`,
        );
      else if (environment[env] === undefined)
        problems.push(
          `${field}.env: ${env} is not set here, and the build reads it from the environment of the process running pulumi up. Export it first (export ${env}=...; in CI, from the pipeline's secret store).`,
        );
      continue;
    }
    problems.push(...secretFileProblems(build, String(file), field, cwd));
  }
  return problems;
}

function secretFileProblems(build: BuildSpec, file: string, field: string, cwd: string): string[] {
  const full = path.resolve(cwd, file);
  if (!fs.existsSync(full) || !fs.statSync(full).isFile())
    return [
      `${field}.file: ${JSON.stringify(file)} is not a file (looked for ${full}). Give the secret file's path relative to the program's directory.`,
    ];
  const { context } = buildPaths(build, cwd);
  const inContext = path.relative(context, full);
  if (
    !inContext.startsWith("..") &&
    !path.isAbsolute(inContext) &&
    fs.existsSync(context) &&
    contextEntries(context).includes(inContext.split(path.sep).join("/"))
  )
    return [
      `${field}.file: ${JSON.stringify(file)} is inside the build context, so the engine is sent it with the context and a COPY would put it in a layer. Keep it outside ${JSON.stringify(build.context)}, or list ${JSON.stringify(inContext.split(path.sep).join("/"))} in its .dockerignore.`,
    ];
  return [];
}
