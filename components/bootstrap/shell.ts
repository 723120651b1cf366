// Shell text is built from small named pieces; these two helpers are the only place that
// decides how a value becomes a shell word or a script.

/** Quotes a value as one POSIX shell word. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/** A POSIX sh script that stops at the first failing command. */
export function shellScript(purpose: string, lines: string[]): string {
  return ["#!/bin/sh", `# dockerhost: ${purpose}`, "set -eu", ...lines, ""].join("\n");
}

/** A line that prints to stderr and fails the script with a message for the operator. */
export function fail(message: string): string {
  return `{ echo ${shellQuote(`dockerhost: ${message}`)} >&2; exit 1; }`;
}
