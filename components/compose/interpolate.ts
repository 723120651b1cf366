// Compose's variable interpolation (the Compose Specification, "Interpolation"; the same grammar
// docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/ gives):
// `$VAR` and `${VAR}`; `${VAR:-default}` when unset or empty, `${VAR-default}` when unset;
// `${VAR:?error}` / `${VAR?error}` to require one; `${VAR:+other}` / `${VAR+other}` for a value
// when set; defaults may hold interpolation themselves; `$$` is a literal "$". A "$" that starts
// none of these (`$(...)`, a trailing "$") stays as written.
//
// The values come from the variables handed in (the `.env` beside the compose file), never the
// deployer's shell: a deploy must mean the same on every machine. A variable that is needed and
// not there is a problem, where Compose would put an empty string and warn. Pure.

export interface Variables {
  /** The variables' values by name. */
  values: ReadonlyMap<string, string>;
  /** Where they come from, for the messages ("compose/.env"). */
  from: string;
}

export interface Substituted {
  text: string;
  /** The variables whose values went into the text. */
  used: string[];
  /** Each refusal, without the place (the caller prefixes where the text was). */
  problems: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR = /^(:-|-|:\?|\?|:\+|\+)/;

/** The index of the "}" that closes the "${" whose body starts at `from`, or -1. */
function closing(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "$") i++;
    else if (text[i] === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** One text with its variables substituted. */
export function substitute(text: string, vars: Variables): Substituted {
  const used: string[] = [];
  const problems: string[] = [];
  const missing = (name: string) =>
    problems.push(
      `\${${name}} is not set. dockerhost reads variables from ${vars.from} only, never your shell: add ${name}=... there, or give a default: \${${name}:-...}.`,
    );
  const value = (name: string): string | undefined => {
    const v = vars.values.get(name);
    if (v !== undefined) used.push(name);
    return v;
  };
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (next === "{") {
      const end = closing(text, i + 2);
      if (end < 0) {
        problems.push(`${JSON.stringify(text)} opens "\${" without its "}".`);
        return { text, used, problems };
      }
      const body = text.slice(i + 2, end);
      out += braced(body);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (name) {
      const v = value(name);
      if (v === undefined) missing(name);
      out += v ?? "";
      i += 1 + name.length;
      continue;
    }
    out += "$"; // `$(`, `$1`, a trailing "$": as written
    i++;
  }
  return { text: out, used, problems };

  function braced(body: string): string {
    const name = NAME.exec(body)?.[0];
    const rest = name ? body.slice(name.length) : body;
    const op = OPERATOR.exec(rest)?.[0];
    if (!name || (rest && !op)) {
      problems.push(
        `"\${${body}}" is not a variable Compose reads: write \${NAME} or \${NAME:-default}.`,
      );
      return "";
    }
    const word = rest.slice(op?.length ?? 0);
    const inner = () => {
      const s = substitute(word, vars);
      used.push(...s.used);
      problems.push(...s.problems);
      return s.text;
    };
    const set = vars.values.has(name);
    const filled = set && vars.values.get(name) !== "";
    switch (op) {
      case undefined: {
        const v = value(name);
        if (v === undefined) missing(name);
        return v ?? "";
      }
      case ":-":
        return filled ? value(name)! : inner();
      case "-":
        return set ? value(name)! : inner();
      case ":?":
      case "?":
        if (op === ":?" ? filled : set) return value(name)!;
        problems.push(`\${${name}} is required: ${inner() || `set ${name} in ${vars.from}`}.`);
        return "";
      case ":+":
        return filled ? inner() : "";
      default: // "+"
        return set ? inner() : "";
    }
  }
}

/** Where in the document a value sits, as the user reads it: services.web.environment.A. */
export type DocPath = (string | number)[];

export function shownPath(at: DocPath): string {
  return at.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("");
}

export interface InterpolatedDoc {
  doc: unknown;
  problems: string[];
  /** Each value's path (shownPath) mapped to the variables that went into it. */
  used: Map<string, string[]>;
}

/** Every string value of a parsed compose document (not its keys), substituted. */
export function interpolateDocument(doc: unknown, vars: Variables, file: string): InterpolatedDoc {
  const problems: string[] = [];
  const used = new Map<string, string[]>();
  const walk = (value: unknown, at: DocPath): unknown => {
    if (typeof value === "string") {
      const s = substitute(value, vars);
      for (const p of s.problems) problems.push(`${file}: ${shownPath(at)}: ${p}`);
      if (s.used.length) used.set(shownPath(at), [...new Set(s.used)]);
      return s.text;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, i]));
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, k.startsWith("x-") ? v : walk(v, [...at, k])]),
      );
    return value;
  };
  return { doc: walk(doc, []), problems, used };
}
