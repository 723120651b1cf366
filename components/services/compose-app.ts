import {
  composeApp,
  readComposeProject,
  type ComposeApp,
  type ComposeOptions,
} from "../compose/compose-services";
import { DockerHostConfigError } from "../core/config-error";
import { containersProblems } from "./validate-containers";

// composeServices: a compose file read (compose/, which knows no service) and then checked as
// DockerServices checks its args, each problem named by the file's own keys. Here, not in the
// reader, because the checks are DockerServices' own.

/** The same checks DockerServices runs, named by the compose file's keys. */
function specProblems(app: ComposeApp, file: string): string[] {
  const rename = (text: string): string =>
    text
      .replace(
        /containers\[(\d+)\]/g,
        (_, i: string) => `services.${app.containers[Number(i)].name}`,
      )
      .replace(/^networks\[(\d+)\]/, (_, i: string) => `networks.${app.networks[Number(i)].name}`)
      .replace(/^volumes\[(\d+)\]/, (_, i: string) => `volumes.${app.volumes[Number(i)].name}`);
  return containersProblems({ ...app, selinuxRelabel: false }).map((p) => `${file}: ${rename(p)}`);
}

/**
 * Reads a compose file (the Compose Specification) into DockerServices' containers, networks
 * and volumes. Paths are relative to the program's directory; build contexts in the file are
 * relative to the file, as compose reads them. Throws, naming each key, on anything dockerhost
 * would not deploy as the file says.
 */
export function composeServices(file: string, options: ComposeOptions = {}): ComposeApp {
  const { read, source } = readComposeProject(file);
  // Every stage's problems at once: the mapping reads what the file holds even when the schema
  // refused part of it.
  const { app, problems } = composeApp(read.doc, source, options);
  if (read.problems.length || problems.length)
    throw new DockerHostConfigError([...read.problems, ...problems]);
  const later = specProblems(app, file);
  if (later.length) throw new DockerHostConfigError(later);
  return app;
}
