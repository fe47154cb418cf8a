import { parseArgs } from "node:util";

/** `--name N` flags of a bench command, whole numbers, each with its default. */
export function intFlags<T extends Record<string, number>>(defaults: T, optional: string[] = []) {
  const options = Object.fromEntries(
    [...Object.keys(defaults), ...optional].map((k) => [k, { type: "string" as const }]),
  );
  const { values } = parseArgs({ options, allowPositionals: false });
  const out: Record<string, number | undefined> = { ...defaults };
  for (const [k, v] of Object.entries(values)) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      console.error(`--${k} must be a whole number, not "${v}"`);
      process.exit(2);
    }
    out[k] = n;
  }
  return out as T & Record<string, number | undefined>;
}
