import { invalidField } from "../http/problem";

type Key = Record<string, unknown>;

/** Cursors are the last key, base64url JSON: opaque to clients, and checked to stay in the caller's partition. */
export function encodeCursor(key: Key | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;
}

export function decodeCursor(
  cursor: string | undefined,
  partition: { name: string; value: string },
): Key | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidField("cursor", "is not a cursor this API gave out", 400);
  }
  const valid =
    typeof key === "object" &&
    key !== null &&
    (key as Key)[partition.name] === partition.value &&
    Object.values(key).every((v) => typeof v === "string");
  if (!valid) throw invalidField("cursor", "is not a cursor this API gave out", 400);
  return key as Key;
}
