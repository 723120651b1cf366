import { describe, expect, it, jest } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { TEST_CONNECTION, useMocks } from "../support/pulumi-mocks";

useMocks();
import { plainSecretEnvProblems, secretBuildArgProblems } from "../../components/core/secret-names";
import { DockerServices } from "../../components/services/docker-services";
import { SwarmServices } from "../../components/swarm/swarm-services";
import { configProblems } from "../support/config-problems";

const FIX = (n: string) => `Move it to secretEnv (${n}).`;
const said = (name: string, field = "containers[0]") =>
  `${field}.env.${name}: the name says it is a secret, but the value is plain text, so it lands unmarked in the stack's state. Move it to secretEnv (${name}).`;

describe("env names that say they are secrets", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ["a password", { DB_PASSWORD: "hunter2" }, [said("DB_PASSWORD")]],
    ["a token, any case", { npm_token: "x" }, [said("npm_token")]],
    ["a secret", { CLIENT_SECRET: "x", SECRET: "y" }, [said("CLIENT_SECRET"), said("SECRET")]],
    ["a key", { API_KEY: "x" }, [said("API_KEY")]],
    ["plain names", { NODE_ENV: "production", KEYBOARD: "us", LOG_LEVEL: "info" }, []],
    ["a Pulumi secret", { DB_PASSWORD: pulumi.secret("x") }, []],
    ["a key that is only a prefix", { KEY_ID_FORMAT: "long" }, []],
  ])("%s", (_what, env, expected) => {
    expect(plainSecretEnvProblems(env, "containers[0]", FIX)).toStrictEqual(expected);
  });

  const MOVE =
    "Move it to secretEnv (DB_PASSWORD: pulumi.secret(...) or config.requireSecret(...)).";
  const message = `containers[0].env.DB_PASSWORD: the name says it is a secret, but the value is plain text, so it lands unmarked in the stack's state. ${MOVE}`;

  it("DockerServices warns at preview with the fix", () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      new DockerServices("w1", {
        connection: TEST_CONNECTION,
        containers: [{ name: "api", image: "nginx:1.27", env: { DB_PASSWORD: "hunter2" } }],
      });
      expect(warn.mock.calls.map((c) => c[0])).toStrictEqual([message]);
    } finally {
      warn.mockRestore();
    }
  });

  it("DockerServices refuses it under strict, beside its other problems", () => {
    const problems = configProblems(
      () =>
        new DockerServices("w2", {
          connection: TEST_CONNECTION,
          strictContainers: true,
          containers: [
            {
              name: "api",
              image: "nginx@sha256:" + "a".repeat(64),
              user: "101",
              healthcheck: { test: ["NONE"] },
              env: { DB_PASSWORD: "hunter2" },
            },
          ],
        }),
    );
    expect(problems).toStrictEqual([message]);
  });

  it("DockerServices warns of a build arg named like a secret, beside the env one", () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      new DockerServices("w4", {
        connection: TEST_CONNECTION,
        containers: [
          {
            name: "api",
            build: { context: "tests/fixtures/web-build", args: { NPM_TOKEN: "t" } },
            env: { DB_PASSWORD: "hunter2" },
          },
        ],
      });
      expect(warn.mock.calls.map((c) => c[0])).toStrictEqual([
        message,
        secretBuildArgProblems({ NPM_TOKEN: "t" }, "containers[0].build")[0],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it("SwarmServices warns with the Docker-secret fix", () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      new SwarmServices("w3", {
        connection: TEST_CONNECTION,
        services: [{ name: "api", image: "nginx:1.27", replicas: 2, env: { API_TOKEN: "t" } }],
      });
      expect(warn.mock.calls.map((c) => c[0])).toStrictEqual([
        "services[0].env.API_TOKEN: the name says it is a secret, but the value is plain text, so it lands unmarked in the stack's state. Move it to secretEnv (a Docker secret, read by the service at /run/secrets/API_TOKEN).",
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});
