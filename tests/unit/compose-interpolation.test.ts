import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseEnvFile } from "../../components/compose/env-file";
import { interpolateDocument, substitute } from "../../components/compose/interpolate";

// Compose's interpolation and .env syntax, each rule with the example its documentation gives
// (the Compose Specification, "Interpolation"; docs.docker.com/compose/env-file/, "Syntax").

const vars = {
  values: new Map([
    ["TAG", "1.27"],
    ["EMPTY", ""],
    ["DB_PASSWORD", "s3cret"],
  ]),
  from: "compose/.env",
};

describe("Compose's interpolation", () => {
  it.each<[string, string, string[]]>([
    ["nginx:${TAG}", "nginx:1.27", ["TAG"]],
    ["nginx:$TAG", "nginx:1.27", ["TAG"]],
    ["${UNSET:-8080}", "8080", []],
    ["${EMPTY:-8080}", "8080", []],
    ["${EMPTY-8080}", "", ["EMPTY"]],
    ["${UNSET-8080}", "8080", []],
    ["${UNSET:-${TAG}}", "1.27", ["TAG"]],
    ["${UNSET:-${ALSO:-x}}", "x", []],
    ["${TAG:+set}", "set", []],
    ["${EMPTY:+set}", "", []],
    ["${EMPTY+set}", "set", []],
    ["${UNSET+set}", "", []],
    ["$$HOME and $${TAG}", "$HOME and ${TAG}", []],
    ["echo $(date) costs 5$", "echo $(date) costs 5$", []],
    ["postgres://app:${DB_PASSWORD}@db/app", "postgres://app:s3cret@db/app", ["DB_PASSWORD"]],
    ["{TAG} $1", "{TAG} $1", []],
  ])("%j is %j", (text, expected, used) => {
    expect(substitute(text, vars)).toStrictEqual({ text: expected, used, problems: [] });
  });

  it.each<[string, string]>([
    [
      "${UNSET}",
      "${UNSET} is not set. dockerhost reads variables from compose/.env only, never your shell: add UNSET=... there, or give a default: ${UNSET:-...}.",
    ],
    [
      "$UNSET",
      "${UNSET} is not set. dockerhost reads variables from compose/.env only, never your shell: add UNSET=... there, or give a default: ${UNSET:-...}.",
    ],
    ["${EMPTY:?give the tag}", "${EMPTY} is required: give the tag."],
    ["${UNSET?}", "${UNSET} is required: set UNSET in compose/.env."],
    ["${1BAD}", '"${1BAD}" is not a variable Compose reads: write ${NAME} or ${NAME:-default}.'],
    ["${TAG", '"${TAG" opens "${" without its "}".'],
  ])("%j is refused", (text, problem) => {
    expect(substitute(text, vars).problems).toStrictEqual([problem]);
  });

  it("substitutes values, never keys, names each problem by its path, and records what each value used", () => {
    const doc = {
      services: {
        web: {
          image: "nginx:${TAG}",
          environment: ["DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app", "X=${NOPE}"],
          labels: { "${TAG}": "kept" },
        },
      },
      "x-defaults": { image: "${NOT_READ}" },
    };
    const r = interpolateDocument(doc, vars, "compose.yaml");
    expect(r.doc).toStrictEqual({
      services: {
        web: {
          image: "nginx:1.27",
          environment: ["DATABASE_URL=postgres://app:s3cret@db/app", "X="],
          labels: { "${TAG}": "kept" },
        },
      },
      "x-defaults": { image: "${NOT_READ}" },
    });
    expect(r.problems).toStrictEqual([
      "compose.yaml: services.web.environment[1]: ${NOPE} is not set. dockerhost reads variables from compose/.env only, never your shell: add NOPE=... there, or give a default: ${NOPE:-...}.",
    ]);
    expect([...r.used]).toStrictEqual([
      ["services.web.image", ["TAG"]],
      ["services.web.environment[0]", ["DB_PASSWORD"]],
    ]);
  });
});

describe("a .env file as Compose reads it", () => {
  const read = (text: string) => {
    const r = parseEnvFile(text, "compose/.env");
    return { values: Object.fromEntries(r.values), problems: r.problems };
  };

  it("reads each syntax rule the way docs.docker.com/compose/env-file/ gives it", () => {
    expect(
      read(
        [
          "# a comment",
          "",
          "A=VAL",
          'B="VAL"',
          "C='VAL'",
          "D=VAL # comment",
          "E=VAL# not a comment",
          'F="VAL # not a comment"',
          'G="VAL" # comment',
          "H='$OTHER'",
          "I='${OTHER}'",
          "J='Let\\'s go!'",
          'K="{\\"hello\\": \\"json\\"}"',
          'L="some\\tvalue"',
          "M='some\\tvalue'",
          "export N=exported",
          "O=${A}-${UNSET:-d}",
          'P="multi',
          'line"',
          "Q=",
          "  R = spaced  ",
        ].join("\n"),
      ),
    ).toStrictEqual({
      values: {
        A: "VAL",
        B: "VAL",
        C: "VAL",
        D: "VAL",
        E: "VAL# not a comment",
        F: "VAL # not a comment",
        G: "VAL",
        H: "$OTHER",
        I: "${OTHER}",
        J: "Let's go!",
        K: '{"hello": "json"}',
        L: "some\tvalue",
        M: "some\\tvalue",
        N: "exported",
        O: "VAL-d",
        P: "multi\nline",
        Q: "",
        R: "spaced",
      },
      problems: [],
    });
  });

  it("names each problem with its line; a name alone is unset (compose-spec: `=VAL` may be omitted)", () => {
    const lonely = read('A=1\nLONELY\n1X=2\nB="never closed\n');
    expect("LONELY" in lonely.values).toBe(false);
    expect(lonely.problems).toStrictEqual([
      'compose/.env:3: "1X" is not a variable name. Use letters, digits and "_", starting with a letter or "_".',
      "compose/.env:4: B's value opens a \" quote that never closes.",
    ]);
    expect(read("A=${MISSING}\n").problems).toStrictEqual([
      "compose/.env:1: A: ${MISSING} is not set. dockerhost reads variables from compose/.env only, never your shell: add MISSING=... there, or give a default: ${MISSING:-...}.",
    ]);
  });
});

describe("the Compose Specification's schema", () => {
  it("is the pinned dclint's copy of compose-spec's schema/compose-spec.json, byte for byte", () => {
    const root = path.join(__dirname, "..", "..");
    const shipped = path.join(path.dirname(require.resolve("dclint/package.json")), "schemas");
    expect(fs.readFileSync(path.join(root, "components/compose/compose-spec.schema.json"))).toEqual(
      fs.readFileSync(path.join(shipped, "compose.schema.json")),
    );
  });
});
