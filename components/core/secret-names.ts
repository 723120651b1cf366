// Environment variables whose names say they hold a secret. Given as plain text in `env`, such a
// value lands unmarked in Pulumi's state (and in `docker inspect`): `secretEnv` keeps it a Pulumi
// secret end to end. Pure.

/** The names a reader takes for secrets: *PASSWORD*, *TOKEN*, *SECRET*, *_KEY (any case). */
export const SECRET_LOOKING_NAME = /PASSWORD|TOKEN|SECRET|_KEY$/i;

/**
 * One message per `env` entry whose name looks secret and whose value is plain text (a bare
 * string; a Pulumi output may be a secret and is left alone). `field` names the entry's owner as
 * the user wrote it (`containers[0]`), `fix` says where the value belongs instead.
 */
export function plainSecretEnvProblems(
  env: Record<string, unknown> | undefined,
  field: string,
  fix: (name: string) => string,
): string[] {
  return Object.entries(env ?? {})
    .filter(([name, value]) => SECRET_LOOKING_NAME.test(name) && typeof value === "string")
    .map(
      ([name]) =>
        `${field}.env.${name}: the name says it is a secret, but the value is plain text, so it lands unmarked in the stack's state. ${fix(name)}`,
    );
}

/**
 * One message per build arg whose name looks secret: an ARG's value is in the image's history
 * (`docker history`) and in the stack's state, whatever it is wrapped in. `field` is the build's
 * place as the user wrote it (`containers[0].build`).
 */
export function secretBuildArgProblems(
  args: Record<string, unknown> | undefined,
  field: string,
): string[] {
  return Object.keys(args ?? {})
    .filter((name) => SECRET_LOOKING_NAME.test(name))
    .map(
      (name) =>
        `${field}.args.${name}: the name says it is a secret, but a build arg stays readable in the image's history and the stack's state. Pass it as a build secret instead: ${field}.secrets.${name}: { env: "${name}" }, read in the Dockerfile with RUN --mount=type=secret,id=${name} (the value is /run/secrets/${name}).`,
    );
}
