import type { ConfigSource } from "./config";
import { isObject } from "./is-object";
import { STACK_CONFIG_KEYS } from "./known-keys";
import { isUnsetDefault } from "./unset-defaults";

// One config key at a time, as text, numbers, flags, structures or secrets: each problem is
// collected with its key and the command that fixes it, so the stack reports them all at once.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Reads keys one by one, collecting every problem instead of stopping at the first. */
export class Reader {
  readonly problems: string[] = [];

  constructor(private readonly source: ConfigSource) {}

  key(name: string): string {
    return `${this.source.project}:${name}`;
  }

  text(name: string): string | undefined {
    // A key read here and missing from the list would be refused as unknown: fail loudly in tests.
    if (!(STACK_CONFIG_KEYS as readonly string[]).includes(name))
      throw new Error(`stacks/known-keys.ts does not list the key "${name}" that the stack reads`);
    const value = this.source.get(name);
    return value === undefined || value === "" || isUnsetDefault(name, value) ? undefined : value;
  }

  wholeNumber(name: string): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (/^-?\d+$/.test(value.trim())) return Number(value);
    this.problems.push(
      `${this.key(name)}: ${JSON.stringify(value)} is not a whole number. Set it with: pulumi config set ${name} <number>`,
    );
    return undefined;
  }

  flag(name: string): boolean | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (value === "true" || value === "false") return value === "true";
    this.problems.push(
      `${this.key(name)}: ${JSON.stringify(value)} is not true or false. Set it with: pulumi config set ${name} true`,
    );
    return undefined;
  }

  /** A structured value (YAML in the stack file, JSON text here). */
  structured(name: string, example: string): Json | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value) as Json;
    } catch {
      this.problems.push(
        `${this.key(name)}: ${JSON.stringify(value)} is not ${example}. Write it as YAML in the stack file, or: pulumi config set --path '${name}...' <value>`,
      );
      return undefined;
    }
  }

  list(name: string): Json[] | undefined {
    const value = this.structured(name, 'a list (e.g. ["203.0.113.7/32"])');
    if (value === undefined || Array.isArray(value)) return value;
    this.problems.push(`${this.key(name)}: must be a list, e.g. ["203.0.113.7/32"].`);
    return undefined;
  }

  map(name: string): Record<string, Json> | undefined {
    const value = this.structured(name, "a map of keys to values");
    if (value === undefined || isObject(value)) return value as Record<string, Json> | undefined;
    this.problems.push(`${this.key(name)}: must be a map of keys to values.`);
    return undefined;
  }

  /** Whether the key was set with --secret (a `--path` secret inside a map makes the whole key one). */
  isSecret(name: string): boolean {
    return this.source.isSecret(name);
  }

  /** A value that must be set with --secret, or the stack file holds it in plain text. */
  secret(name: string, howToSet: string): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (!this.source.isSecret(name)) {
      this.problems.push(
        `${this.key(name)}: stored as plain text in the stack file. Remove it and set it as a secret: ${howToSet}`,
      );
      return undefined;
    }
    return value;
  }

  /**
   * A secret structured value. `set`: the key is there at all; `value`: its parsed JSON (the raw
   * text where it does not parse), undefined where it was refused as plain text.
   */
  secretStructured(name: string, howToSet: string): { set: boolean; value?: unknown } {
    const set = this.text(name) !== undefined;
    const raw = this.secret(name, howToSet);
    if (raw === undefined) return { set };
    try {
      return { set, value: JSON.parse(raw) as unknown };
    } catch {
      return { set, value: raw };
    }
  }
}
