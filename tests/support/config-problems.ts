import assert from "node:assert/strict";
import { DockerHostConfigError } from "../../components/bootstrap/validate-host";

/** What a constructor refuses at preview, or [] when it accepts; any other error fails the test. */
export function configProblems(construct: () => unknown): string[] {
  try {
    construct();
    return [];
  } catch (e) {
    assert.ok(e instanceof DockerHostConfigError, String(e));
    return e.problems;
  }
}
