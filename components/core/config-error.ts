/** Bad input, found before any cloud call: every problem names its field and the fix. */
export class DockerHostConfigError extends Error {
  /**
   * Marks it as a Pulumi RunError (the SDK checks this field, so no Pulumi import is needed
   * here): `pulumi preview` prints the problems alone, without a stack trace.
   */
  readonly __pulumiRunError = true;

  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "DockerHostConfigError";
  }
}
