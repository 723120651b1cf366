import { describe, expect, it } from "@jest/globals";
import * as path from "node:path";
import { composeApp } from "../../components/compose/compose-services";
import { readComposeText } from "../../components/compose/compose-file";
import { edgeProblems } from "../../components/services/validate-edge";

// A compose service served by the host's edge: `x-dockerhost.proxy` read into `proxy`, its shape
// refused by compose key; the edge's own rules then apply to the spec as to any other.

const ROOT = path.join(__dirname, "..", "..");
const SOURCE = { file: "compose.yaml", dir: path.join(ROOT, "app"), cwd: ROOT };
const NO_VARIABLES = { values: new Map<string, string>(), from: "app/.env" };

function read(yaml: string) {
  const text = readComposeText(yaml, "compose.yaml", NO_VARIABLES);
  expect(text.problems).toStrictEqual([]);
  return composeApp(text.doc, { ...SOURCE, used: text.used }, {});
}

const service = (ext: string) => `
services:
  web:
    image: nginx:1.27
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"]
${ext}
`;

describe("x-dockerhost.proxy", () => {
  it("becomes the container's proxy (a quoted port read as a number), and passes the edge's checks", () => {
    const { app, problems } = read(
      service(
        '    x-dockerhost:\n      proxy: { host: app.example.com, pathPrefix: /api, port: "8080" }',
      ),
    );
    expect(problems).toStrictEqual([]);
    expect(app.containers[0]!.proxy).toStrictEqual({
      host: "app.example.com",
      pathPrefix: "/api",
      port: 8080,
    });
    expect(edgeProblems({ containers: app.containers, strict: false })).toStrictEqual([]);
  });

  it("a service without it is not proxied", () => {
    expect(read(service("")).app.containers[0]!.proxy).toBe(undefined);
  });

  it.each([
    [
      "    x-dockerhost: yes",
      [
        'compose.yaml: services.web.x-dockerhost: must be a map, e.g. { proxy: { host: "app.example.com" } }.',
      ],
    ],
    [
      "    x-dockerhost:\n      proxi: { host: app.example.com }",
      [
        "compose.yaml: services.web.x-dockerhost.proxi: is not a dockerhost setting of a service. Use proxy.",
      ],
    ],
    [
      "    x-dockerhost:\n      proxy: app.example.com",
      [
        'compose.yaml: services.web.x-dockerhost.proxy: must be a map with the host it answers, e.g. { host: "app.example.com" }.',
      ],
    ],
    [
      "    x-dockerhost:\n      proxy: { host: app.example.com, path: /api, port: web, pathPrefix: 3 }",
      [
        "compose.yaml: services.web.x-dockerhost.proxy.path: is not a proxy setting. Use host, pathPrefix, port.",
        'compose.yaml: services.web.x-dockerhost.proxy.pathPrefix: must be a text, e.g. "/api".',
        "compose.yaml: services.web.x-dockerhost.proxy.port: must be a number: the port the service listens on.",
      ],
    ],
  ])("refuses %j by its key", (ext, expected) => {
    expect(read(service(ext)).problems).toStrictEqual(expected);
  });
});
