import { serviceEffect } from "../support/reference/on-change";
import { describeOnChange } from "../support/reference/on-change-test";
import {
  SERVICE_CHANGES,
  SWARM_SERVICES_CHANGES,
  serviceFieldRuns,
  swarmServicesRuns,
} from "../support/reference/swarm-services-changes";

// docs/reference/on-change.md, SwarmServices and SwarmServiceSpec: what a change of each of an
// app's inputs, and of each field of a service, does to it as deployed on a swarm.
// DOCKERHOST_WRITE_REFERENCE=1 writes the sections (jest -i: one file at a time).

const DEPLOYED =
  "A SwarmServices app `app` on a swarm's manager: `web` (`ghcr.io/example/web:2`, two replicas, port 80 on the routing mesh) beside `db`.";

describeOnChange("dev", [
  {
    heading: "SwarmServices",
    fields: Object.keys(SWARM_SERVICES_CHANGES),
    deployed: DEPLOYED,
    runs: swarmServicesRuns,
    effect: serviceEffect,
  },
  {
    heading: "SwarmServiceSpec",
    fields: Object.keys(SERVICE_CHANGES),
    deployed: `A change of \`web\`'s field. ${DEPLOYED}`,
    runs: serviceFieldRuns,
    effect: serviceEffect,
  },
]);
