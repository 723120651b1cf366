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
