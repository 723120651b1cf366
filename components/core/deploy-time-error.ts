import * as pulumi from "@pulumi/pulumi";

/**
 * A problem in the user's args that shows only once a value is known at deploy (an address the
 * cloud assigns, an image name from another stack's output).
 *
 * Thrown inside the apply that feeds a child's input, an error reaches the user through the
 * SDK's serialization of that input, which prefixes the child's internal property and rethrows
 * the same error (`err.message = \`error serializing property "${k}": ...\``: @pulumi/pulumi
 * runtime/rpc.js, serializeFilteredProperties). That names `create` or `name`, not the field the
 * user wrote. This error keeps its own message, and as a ResourceError without its stack it is
 * reported on the component (cmd/run/run.js, uncaughtHandler: `log.error(message, err.resource)`).
 */
export class DeployTimeConfigError extends pulumi.ResourceError {
  constructor(
    readonly problems: string[],
    resource: pulumi.Resource,
  ) {
    super(problems.join("\n"), resource, true);
    this.name = "DeployTimeConfigError";
    const message = problems.join("\n");
    // The SDK's prefix is dropped; the problems already say which field and what to do.
    Object.defineProperty(this, "message", {
      get: () => message,
      set: () => undefined,
      configurable: true,
    });
  }
}

/** The value once known, or a DeployTimeConfigError on `resource` when it has problems. */
export function checkedAtDeploy<T>(
  value: pulumi.Input<T>,
  problems: (known: pulumi.Unwrap<T>) => string[],
  resource: pulumi.Resource,
): pulumi.Output<pulumi.Unwrap<T>> {
  return pulumi.output(value).apply((known) => {
    const found = problems(known);
    if (found.length) throw new DeployTimeConfigError(found, resource);
    return known;
  });
}
