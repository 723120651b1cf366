import type { ComposeOptions } from "../compose/compose-services";
import { readComposeProject } from "../compose/compose-services";
import { composeSwarmApp, type ComposeSwarmApp } from "../compose/compose-swarm";
import { composeKeysOf } from "../compose/compose-swarm-parts";
import { DockerHostConfigError } from "../core/config-error";
import { swarmServicesProblems } from "./validate-swarm-services";

// composeSwarmServices: a compose file read as swarm services (compose/) and then checked as
// SwarmServices checks its args, each problem named by the file's own keys. Here, not in the
// reader, because the checks are SwarmServices' own.

/** A compose file as SwarmServices' services and networks: `{ ...composeSwarmServices(file) }`. */
export function composeSwarmServices(file: string, options: ComposeOptions = {}): ComposeSwarmApp {
  // The deploy keys are read here; on one host they are refused as unknown (compose-keys.ts).
  const { read, source } = readComposeProject(file, { swarm: true });
  const { app, problems } = composeSwarmApp(read.doc, source, options);
  if (read.problems.length || problems.length)
    throw new DockerHostConfigError([...read.problems, ...problems]);
  const later = swarmServicesProblems(app).map(
    (p) => `${file}: ${composeKeysOf(p, app.services, app.networks)}`,
  );
  if (later.length) throw new DockerHostConfigError(later);
  return app;
}
