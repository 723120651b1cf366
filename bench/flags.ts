/** `--name N` from the command line: a whole number above 0, or `fallback` when absent. */
export function countFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: a whole number above 0`);
  return value;
}
