/** The operations of the app's OpenAPI document, and a plausible example of each one's input. */

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read as plain JSON
type Json = any;

export interface Param {
  name: string;
  in: "path" | "query" | "header";
  schema: Json;
}

export interface Operation {
  method: string;
  path: string;
  params: Param[];
  /** Content types of the request body, with each one's schema. */
  bodies: Record<string, Json>;
  secured: boolean;
}

export function operations(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const bodies: Record<string, Json> = {};
      for (const [type, content] of Object.entries((op.requestBody?.content ?? {}) as Record<string, Json>)) {
        bodies[type] = content.schema ?? {};
      }
      out.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []) as Param[],
        bodies,
        secured: Boolean(op.security?.length),
      });
    }
  }
  return out;
}

function resolve(doc: Json, schema: Json): Json {
  let s = schema;
  for (let i = 0; i < 10 && s?.$ref; i++) {
    const path = String(s.$ref).replace(/^#\//, "").split("/");
    s = path.reduce((node: Json, key: string) => node?.[key], doc);
  }
  return s ?? {};
}

/** Values the fields of this app's documents take; a field not named here gets one from its schema. */
export type Known = Record<string, unknown>;

/** A valid-looking value for a schema: the fuzzer mutates from here, so deep checks are reached too. */
export function example(doc: Json, schema: Json, known: Known, name = "", depth = 0): unknown {
  const s = resolve(doc, schema);
  if (name && name in known) return known[name];
  if (depth > 6) return undefined;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.const !== undefined) return s.const;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(s[key])) {
      const first = s[key].find((x: Json) => resolve(doc, x).type !== "null") ?? s[key][0];
      return example(doc, first, known, name, depth + 1);
    }
  }
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const required = new Set<string>(s.required ?? []);
      for (const [key, prop] of Object.entries((s.properties ?? {}) as Record<string, Json>)) {
        if (!required.has(key) && !(key in known)) continue;
        const v = example(doc, prop, known, key, depth + 1);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }
    case "array": {
      const n = Math.max(1, s.minItems ?? 1);
      return Array.from({ length: Math.min(n, 3) }, () => example(doc, s.items ?? {}, known, "", depth + 1));
    }
    case "integer":
    case "number":
      return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 1_000, 1_000));
    case "boolean":
      return false;
    case "string": {
      const pattern = String(s.pattern ?? "");
      if (pattern.includes("{4}-\\d{2}-\\d{2}")) return "2024-03-10";
      if (pattern.includes("{4}-\\d{2}") || /month/i.test(name)) return "2024-03";
      if (pattern.includes("0-9A-HJKMNP-TV-Z")) return "01HZZZZZZZZZZZZZZZZZZZZZZZ";
      if (s.format === "date-time") return "2024-03-10T12:00:00.000Z";
      if (s.format === "email") return "someone@example.com";
      return "fuzz";
    }
    default:
      return undefined;
  }
}
