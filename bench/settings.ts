/** A whole-number setting from the environment; a wrong one stops the bench with its name. */
export function positiveInt(name: string, fallback: number, zeroOk = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) {
    console.error(`${name} must be a whole number${zeroOk ? "" : " above 0"}, not "${raw}"`);
    process.exit(2);
  }
  return n;
}
