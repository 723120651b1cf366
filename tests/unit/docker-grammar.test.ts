import { about } from "../support/about";
import { describe, expect, it } from "@jest/globals";
import {
  durationProblem,
  hostIpProblem,
  imageReferenceProblem,
  userProblem,
  volumeNameProblem,
} from "../../components/core/docker-grammar";

describe("Docker's grammars", () => {
  const images: [string, boolean][] = [
    ["nginx", true],
    ["nginx:1.27", true],
    ["nginxinc/nginx-unprivileged:1.27-alpine", true],
    ["ghcr.io/org/app:2.1", true],
    ["localhost:5000/app", true],
    ["[2001:db8::1]:5000/app:1", true],
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v3", true],
    [`app@sha256:${"a".repeat(64)}`, true],
    [`app:1@sha256:${"a".repeat(64)}`, true],
    ["my__app", true],
    ["Nginx", false],
    ["nginx:", false],
    [":1.27", false],
    ["nginx::1", false],
    ["app@sha256:abc", false],
    ["-app", false],
    ["app/", false],
    ["app with space", false],
    [`app:${"t".repeat(129)}`, false],
  ];
  for (const [image, ok] of images) {
    it(`image ${JSON.stringify(image)} ${ok ? "passes" : "is refused"}`, () =>
      expect(imageReferenceProblem(image) === undefined).toBe(ok));
  }
  it("says why, and hints at lowercase", () => {
    expect(imageReferenceProblem("ghcr.io/Org/App")).toBe(
      '"ghcr.io/Org/App" is not an image reference. Repository names are lowercase. Use e.g. "nginx:1.27", "ghcr.io/org/app:2.1" or "name@sha256:<digest>".',
    );
    expect(imageReferenceProblem(`${"a".repeat(256)}:1`)).toBe(
      "the repository name is 256 characters; Docker allows 255.",
    );
  });

  const durations: [string, boolean][] = [
    ["30s", true],
    ["1m30s", true],
    ["500ms", true],
    ["1.5h", true],
    [".5s", true],
    ["0s", true],
    ["30", false],
    ["30 s", false],
    ["1d", false],
    ["", false],
    ["-1s", false],
  ];
  for (const [value, ok] of durations) {
    it(`duration ${JSON.stringify(value)} ${ok ? "passes" : "is refused"}`, () =>
      expect(durationProblem(value) === undefined).toBe(ok));
  }
  it("duration message", () =>
    expect(durationProblem("30")).toBe(
      '"30" is not a duration. Use Go\'s form, e.g. "30s", "1m30s" or "500ms".',
    ));

  it("host IPs", () => {
    expect(hostIpProblem("127.0.0.1")).toBe(undefined);
    expect(hostIpProblem("::1")).toBe(undefined);
    expect(hostIpProblem("localhost")).toBe(
      '"localhost" is not an IP address. Use e.g. "127.0.0.1", or leave it out to bind all addresses.',
    );
  });

  it("users", () => {
    for (const ok of ["app", "1000", "1000:1000", "app:staff", "_svc", "nobody"])
      expect(about(ok, userProblem(ok))).toStrictEqual(about(ok, undefined));
    expect(userProblem("App User")).toBe(
      '"App User" is not a user. Use a name or uid, optionally with a group: "app", "1000" or "1000:1000".',
    );
    expect(userProblem("1000:")).not.toBe(undefined);
  });

  it("volume names", () => {
    expect(volumeNameProblem("pgdata")).toBe(undefined);
    expect(volumeNameProblem("app_db.v2")).toBe(undefined);
    expect(volumeNameProblem("a")).toBe(
      '"a" is not a volume name. Use at least two of letters, digits, "_", "." and "-", starting with a letter or digit.',
    );
    expect(volumeNameProblem("/srv/data")).not.toBe(undefined);
  });
});
