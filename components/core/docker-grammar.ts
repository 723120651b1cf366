import { isIP } from "node:net";

// The grammars Docker itself parses these values with, so a typo is refused at preview instead
// of by the engine halfway through a deploy. Pure.

// distribution/reference's grammar (reference/regexp.go in github.com/distribution/reference):
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [domain '/'] path-component ['/' path-component]*
const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const HOST = `(?:${DOMAIN_NAME}|\\[(?:[a-fA-F0-9:]+)\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
/** distribution/reference's NameTotalLengthMax. */
const NAME_MAX = 255;

/** Why `image` is not an image reference Docker accepts, or undefined. */
export function imageReferenceProblem(image: string): string | undefined {
  const m = REFERENCE.exec(image);
  if (!m) {
    const hint = /[A-Z]/.test(image.split("/").pop() ?? "")
      ? " Repository names are lowercase."
      : "";
    return `${JSON.stringify(image)} is not an image reference.${hint} Use e.g. "nginx:1.27", "ghcr.io/org/app:2.1" or "name@sha256:<digest>".`;
  }
  if (m[1].length > NAME_MAX)
    return `the repository name is ${m[1].length} characters; Docker allows ${NAME_MAX}.`;
  return undefined;
}

/** Go's time.ParseDuration, which Docker uses for healthcheck times: "30s", "1m30s", "500ms". */
const DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;

export function durationProblem(value: string): string | undefined {
  if (DURATION.test(value)) return undefined;
  return `${JSON.stringify(value)} is not a duration. Use Go's form, e.g. "30s", "1m30s" or "500ms".`;
}

/** A host address to bind a published port to. */
export function hostIpProblem(value: string): string | undefined {
  if (isIP(value) !== 0) return undefined;
  return `${JSON.stringify(value)} is not an IP address. Use e.g. "127.0.0.1", or leave it out to bind all addresses.`;
}

// docker run --user: name or uid, with an optional group or gid.
const USER = /^(?:[a-z_][a-z0-9_-]*\$?|\d+)(?::(?:[a-z_][a-z0-9_-]*\$?|\d+))?$/;

export function userProblem(value: string): string | undefined {
  if (USER.test(value)) return undefined;
  return `${JSON.stringify(value)} is not a user. Use a name or uid, optionally with a group: "app", "1000" or "1000:1000".`;
}

/** Docker's volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (volume/validate in moby). */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function volumeNameProblem(value: string): string | undefined {
  if (VOLUME_NAME.test(value)) return undefined;
  return `${JSON.stringify(value)} is not a volume name. Use at least two of letters, digits, "_", "." and "-", starting with a letter or digit.`;
}
