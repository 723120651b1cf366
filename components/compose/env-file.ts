import { substitute, type Variables } from "./interpolate";

// A `.env` or `env_file` file as Docker Compose reads it (docs.docker.com/compose/env-file/,
// "Syntax"): `#` lines and blank lines skipped; `VAR=VAL`, an optional `export `; an unquoted
// value ends at a " #" comment and is trimmed (`VAL#x` keeps its "#"); a double-quoted value
// takes \n, \r, \t, \\ and \" and may span lines; a single-quoted value is literal (only \' is
// an escape); unquoted and double-quoted values are interpolated, from the entries above them and
// then `outer`. Written here because the common dotenv parsers end an unquoted value at any "#"
// (a password `pa#ss` would lose its tail), where Compose does not. Pure.

export interface EnvFile {
  values: Map<string, string>;
  problems: string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"' };

/** `text` (the file's content) as entries; `file` names it in problems. */
export function parseEnvFile(text: string, file: string, outer?: Variables): EnvFile {
  const values = new Map<string, string>();
  const problems: string[] = [];
  const src = text.replace(/\r\n/g, "\n");
  let i = 0;
  let line = 1;
  const lookup = (): Variables => ({
    values: new Map([...(outer?.values ?? []), ...values]),
    from: outer ? `${file} or ${outer.from}` : file,
  });
  while (i < src.length) {
    const eol = src.indexOf("\n", i) < 0 ? src.length : src.indexOf("\n", i);
    const raw = src.slice(i, eol);
    const at = line;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      i = eol + 1;
      line++;
      continue;
    }
    const eq = raw.indexOf("=");
    const key = (eq < 0 ? trimmed : raw.slice(0, eq).trim()).replace(/^export\s+/, "");
    // A name alone (`VAR`): "`=VAL` may be omitted, in such cases the variable is unset"
    // (compose-spec 05-services.md, "env_file format"). dockerhost never reads the shell.
    if (eq < 0 && KEY.test(key)) {
      i = eol + 1;
      line++;
      continue;
    }
    if (eq < 0 || !KEY.test(key)) {
      problems.push(
        `${file}:${at}: ${JSON.stringify(key)} is not a variable name. Use letters, digits and "_", starting with a letter or "_".`,
      );
      i = eol + 1;
      line++;
      continue;
    }
    let j = eq + 1 + i;
    while (src[j] === " " || src[j] === "\t") j++;
    const quote = src[j];
    let value: string;
    let interpolate = true;
    if (quote === '"' || quote === "'") {
      let k = j + 1;
      value = "";
      while (k < src.length && src[k] !== quote) {
        if (src[k] === "\\" && quote === '"' && src[k + 1] in ESCAPES) {
          value += ESCAPES[src[k + 1]];
          k += 2;
        } else if (src[k] === "\\" && quote === "'" && src[k + 1] === "'") {
          value += "'";
          k += 2;
        } else {
          if (src[k] === "\n") line++;
          value += src[k++];
        }
      }
      if (k >= src.length) {
        problems.push(`${file}:${at}: ${key}'s value opens a ${quote} quote that never closes.`);
        break;
      }
      const after = src.slice(k + 1, src.indexOf("\n", k) < 0 ? src.length : src.indexOf("\n", k));
      if (after.trim() !== "" && !after.trim().startsWith("#"))
        problems.push(
          `${file}:${at}: ${key}: ${JSON.stringify(after.trim())} follows the closing quote; only a # comment may.`,
        );
      interpolate = quote === '"';
      i = k + 1 + after.length + 1;
    } else {
      const rest = src.slice(j, eol);
      const comment = /[ \t]#/.exec(rest);
      value = (comment ? rest.slice(0, comment.index) : rest).trim();
      i = eol + 1;
    }
    line++;
    if (interpolate) {
      const s = substitute(value, lookup());
      for (const p of s.problems) problems.push(`${file}:${at}: ${key}: ${p}`);
      value = s.text;
    }
    values.set(key, value);
  }
  return { values, problems };
}
