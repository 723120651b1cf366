import { DockerHostConfigError } from "../../components/core/config-error";

/** What a constructor refuses at preview, or [] when it accepts; any other error fails the test. */
export function configProblems(construct: () => unknown): string[] {
  try {
    construct();
    return [];
  } catch (e) {
    if (!(e instanceof DockerHostConfigError)) throw e;
    return e.problems;
  }
}
