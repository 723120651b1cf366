import * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import { hostCommand, type HostCommand } from "../remote/host-command";
import type { ContainerSpec } from "../core/container-spec";
import type { EdgeSpec } from "../core/edge-spec";
import { DEFAULT_PROXY_PORT, edgeHostDir, renderCaddyfile, type EdgeRoute } from "./edge-config";
import { edgePayload, edgeFilesScript, type EdgeFile } from "./edge-files";
import { unshipScript } from "./shipped-files";
import { serviceContainer, type ContainerContext } from "./service-container";

// The edge's resources, after the proxied containers: the command that writes its routes (and
// reloads the running edge), then the edge container, which reads them as it starts.
//
// The order of a deploy that replaces a proxied container follows from them: the new container
// is created beside the old one (service-container.ts), its health gate passes, the routes
// command's input (the new container's name) changed, so it runs its update, which switches the
// edge; the old container is deleted last (the engine's create-before-delete: "first creates a
// new instance of the resource, then updates all dependent resources to point to the new one,
// and finally after all of that, deletes the old": pulumi v3.248.0 step_generator.go). A new
// container that never turns healthy fails its gate: the routes are not run, and the old one
// keeps serving. docs/lifecycle.md shows the steps, derived from these registrations.

export interface EdgeResources {
  routes: HostCommand;
  container: docker.Container;
}

export function edgeResources(
  ctx: ContainerContext,
  ready: pulumi.Input<string> | undefined,
  proxied: ContainerSpec[],
  edgeContainer: ContainerSpec,
  edge: EdgeSpec | undefined,
): EdgeResources {
  const { component, parent } = ctx;
  const certificates = edge?.certificates ?? [];
  const ownCertificates = new Map<string, number>();
  certificates.forEach((c, i) => c.hosts.forEach((h) => ownCertificates.set(h, i)));
  const routes = pulumi.all(proxied.map((c) => ctx.created.get(c.name)!.name)).apply((names) =>
    proxied.map((c, i): EdgeRoute => ({
      host: c.proxy!.host,
      ...(c.proxy!.pathPrefix !== undefined ? { pathPrefix: c.proxy!.pathPrefix } : {}),
      upstream: `${names[i]}:${c.proxy!.port ?? DEFAULT_PROXY_PORT}`,
    })),
  );
  const files = pulumi
    .all([routes, pulumi.all(certificates.map((c) => pulumi.all([c.certificate, c.key])))])
    .apply(([routeList, pems]): EdgeFile[] => [
      {
        name: "Caddyfile",
        content: renderCaddyfile({
          routes: routeList,
          edge: edge ?? {},
          ownCertificates,
          strict: ctx.strict,
        }),
      },
      ...(edge?.acmeCaRootPem ? [{ name: "acme-ca-root.pem", content: edge.acmeCaRootPem }] : []),
      ...pems.flatMap(([certificate, key], i) => [
        { name: `certificate-${i}.pem`, content: certificate },
        { name: `key-${i}.pem`, content: key, privateKey: true },
      ]),
    ]);
  const dir = edgeHostDir(component);
  const script = edgeFilesScript(dir);
  const routesCommand = hostCommand(
    `${component}-edge-routes`,
    {
      connection: ctx.connection,
      access: ctx.access,
      // Run once the host's gate has passed, as the engine provider is used.
      create: pulumi.output(ready ?? "").apply(() => script),
      // No triggers: new routes are an update in place (a replacement's delete would run after
      // the new create and remove the files). pulumi-command v1.2.1 common/inputs.go: "If an
      // `update` command isn't provided, then `create` will also be run when the resource's
      // inputs are modified"; `update` is given to say so.
      update: script,
      delete: unshipScript(dir),
      // A certificate's key may be in it: a secret in state whenever a certificate is given
      // (whatever form its key came in), never on a command line.
      stdin: certificates.length
        ? pulumi.secret(files.apply(edgePayload))
        : files.apply(edgePayload),
    },
    {
      parent,
      // The switch waits for every proxied container to be healthy.
      dependsOn: proxied.map((c) => ctx.startedWhen.get(c.name)!),
    },
  );
  const container = serviceContainer(ctx, edgeContainer, [routesCommand]);
  return { routes: routesCommand, container };
}
