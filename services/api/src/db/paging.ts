import { invalidField } from "../errors";

type Key = Record<string, unknown>;

/** Cursors are base64url JSON: opaque to clients, and checked to stay in the caller's partition. */
export function encodeCursor(value: object | undefined): string | undefined {
  return value ? Buffer.from(JSON.stringify(value)).toString("base64url") : undefined;
}

export const badCursor = () =>
  invalidField("cursor", "is not a cursor this API gave out for this query", "malformed");

/** The cursor's JSON; what it must contain is for the caller to check. */
export function parseCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
}

/** A last-evaluated key, accepted only when it lies in the given partition. */
export function decodeCursor(
  cursor: string | undefined,
  partition: { name: string; value: string },
): Key | undefined {
  if (cursor === undefined) return undefined;
  const key = parseCursor(cursor);
  const valid =
    typeof key === "object" &&
    key !== null &&
    (key as Key)[partition.name] === partition.value &&
    Object.values(key).every((v) => typeof v === "string");
  if (!valid) throw badCursor();
  return key as Key;
}
