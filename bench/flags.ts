/** `--name N` from the command line: a whole number above 0, or `fallback` when absent. */
export function countFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: a whole number above 0`);
  return value;
}

/** `--rows a,b`: only these of `all` rows, in their own order (every row when absent). */
export function rowsFlag<R extends string>(all: readonly R[]): R[] {
  const at = process.argv.indexOf("--rows");
  if (at < 0) return [...all];
  const asked = (process.argv[at + 1] ?? "").split(",");
  const unknown = asked.filter((r) => !(all as readonly string[]).includes(r));
  if (unknown.length)
    throw new Error(`--rows takes some of ${all.join(",")}; not ${unknown.join(",")}`);
  return all.filter((r) => asked.includes(r));
}
