import type { ConfigSource } from "../../stacks/config";

/** A stack's config as the CLI hands it over: structured values as JSON text, `secret` keys secret. */
export function configSource(values: Record<string, unknown>, secret: string[] = []): ConfigSource {
  const text: Record<string, string> = {};
  for (const [k, v] of Object.entries(values))
    text[k] = typeof v === "string" ? v : JSON.stringify(v);
  return {
    project: "dockerhost",
    get: (key) => text[key],
    isSecret: (key) => secret.includes(key),
    keys: () => Object.keys(text).map((k) => `dockerhost:${k}`),
  };
}
