// The shapes a compose file writes one value in (a map or a KEY=value list, a size with a unit),
// read into one form each; service-reader.ts and compose-services.ts read the keys with them.

export type Doc = Record<string, unknown>;
export const isMap = (v: unknown): v is Doc =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const asMap = (v: unknown): Doc => (isMap(v) ? v : {});

/** A compose map or `KEY=value` list as a map; a list item without "=" has the value null. */
export function keyValues(value: unknown): Record<string, string | null> {
  if (Array.isArray(value))
    return Object.fromEntries(
      value.map((item) => {
        const text = String(item);
        const eq = text.indexOf("=");
        return eq < 0 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  return Object.fromEntries(
    Object.entries(asMap(value)).map(([k, v]) => [k, v === null ? null : String(v)]),
  );
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i;
const UNIT: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "256m", "1g", or a number of bytes, as whole MiB (rounded up). */
export function composeMemoryMb(value: unknown): number | undefined {
  const m = SIZE.exec(String(value).trim());
  if (!m) return undefined;
  return Math.ceil((Number(m[1]) * UNIT[(m[2] ?? "b").toLowerCase()]) / 1024 ** 2);
}

/** A number, or a numeric string as interpolation gives it; undefined for anything else. */
export function wholeNumber(value: unknown): number | undefined {
  const text = String(value).trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
