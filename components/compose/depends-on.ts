import { asMap } from "./compose-values";

// A service's `depends_on` as Compose reads it: the short form and `condition: service_started`
// order the start only (startAfter); only `service_healthy` waits until healthy (dependsOn);
// `service_completed_successfully` waits until the other has run to its end and exited 0
// (afterCompleted; that service is then a one-off job). The Compose Specification
// (05-services.md, depends_on, long syntax): "service_started: An equivalent of the short syntax
// described above". A long-form entry without a condition is read as that too.

/** The two kinds of start order a container spec takes. */
export interface StartOrder {
  dependsOn?: string[];
  startAfter?: string[];
  afterCompleted?: string[];
}

export function readDependsOn(
  value: unknown,
  problem: (key: string, text: string) => void,
  /** The app's services (those of the active profiles). */
  present: ReadonlySet<string>,
): StartOrder {
  if (value === undefined) return {};
  if (Array.isArray(value)) return { startAfter: value.map(String) };
  const healthy: string[] = [];
  const started: string[] = [];
  const completed: string[] = [];
  for (const [name, opts] of Object.entries(asMap(value))) {
    // `required: false`: "Compose only warns you when the dependency service isn't started or
    // available" (compose-spec 05-services.md, depends_on): one the app does not run (another
    // profile's) is no dependency; one it runs keeps its order.
    if (asMap(opts).required === false && !present.has(name)) continue;
    const condition = asMap(opts).condition ?? "service_started";
    if (condition === "service_healthy") healthy.push(name);
    else if (condition === "service_started") started.push(name);
    else if (condition === "service_completed_successfully") completed.push(name);
    else
      problem(
        `depends_on.${name}.condition`,
        `${JSON.stringify(condition)} is not a condition. Use service_started, service_healthy or service_completed_successfully.`,
      );
  }
  return {
    ...(healthy.length ? { dependsOn: healthy } : {}),
    ...(started.length ? { startAfter: started } : {}),
    ...(completed.length ? { afterCompleted: completed } : {}),
  };
}
