/**
 * The hostile values the fuzzer puts where the OpenAPI document expects something sensible. Each is
 * named, so a finding says what was sent without printing a megabyte.
 */

export interface Hostile {
  name: string;
  value: unknown;
}

const MB = 1024 * 1024;

/** 10,000 levels of nesting, as JSON text: JSON.stringify of such a value would itself recurse. */
export const DEEP_ARRAY_JSON = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
export const DEEP_OBJECT_JSON = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;

export const HOSTILE_VALUES: Hostile[] = [
  { name: "null", value: null },
  { name: "true", value: true },
  { name: "empty array", value: [] },
  { name: "empty object", value: {} },
  { name: "array of junk", value: [1, "a", null, {}] },
  { name: "1e308", value: 1e308 },
  { name: "-1e308", value: -1e308 },
  { name: "-0", value: -0 },
  { name: "'NaN'", value: "NaN" },
  { name: "'Infinity'", value: "Infinity" },
  { name: "MAX_SAFE+1", value: Number.MAX_SAFE_INTEGER + 1 },
  { name: "-MAX_SAFE", value: -Number.MAX_SAFE_INTEGER },
  { name: "0.1", value: 0.1 },
  { name: "-1", value: -1 },
  { name: "0", value: 0 },
  { name: "1e21", value: 1e21 },
  { name: "numeric string", value: "1250" },
  { name: "empty string", value: "" },
  { name: "spaces", value: "   " },
  { name: "1 MB string", value: "x".repeat(MB) },
  { name: "300 KB string", value: "y".repeat(300 * 1024) },
  { name: "10 KB string", value: "z".repeat(10 * 1024) },
  { name: "lone high surrogate", value: "a\ud800b" },
  { name: "lone low surrogate", value: "\udc00" },
  { name: "RTL override", value: "\u202egnp.exe" },
  { name: "NUL", value: "a\u0000b" },
  { name: "combining marks", value: `e${"\u0301".repeat(500)}` },
  { name: "U+FDFA x 200", value: "\ufdfa".repeat(200) },
  { name: "emoji", value: "😀👩‍👩‍👧‍👦" },
  { name: "zero-width", value: "\u200b\u200d\ufeff" },
  { name: "formula", value: '=HYPERLINK("http://x")' },
  { name: "html", value: "<script>alert(1)</script>" },
  { name: "path traversal", value: "../../etc/passwd" },
  { name: "bad date", value: "2024-02-30" },
  { name: "year 0", value: "0000-01-01" },
  { name: "year 275760", value: "+275760-09-13" },
  { name: "month 13", value: "2024-13" },
  { name: "__proto__ object", value: { __proto__: { admin: true } } },
  { name: "deep object 200", value: nest(200) },
  { name: "wide array", value: Array.from({ length: 5_000 }, (_, i) => i) },
];

function nest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Whole bodies sent as raw text, with a JSON content type. */
export const HOSTILE_RAW_BODIES: Hostile[] = [
  { name: "deep array 10k", value: DEEP_ARRAY_JSON },
  { name: "deep object 10k", value: DEEP_OBJECT_JSON },
  { name: "__proto__ key", value: '{"__proto__":{"polluted":true},"name":"x"}' },
  { name: "constructor.prototype", value: '{"constructor":{"prototype":{"polluted":true}}}' },
  { name: "truncated JSON", value: '{"name":"x",' },
  { name: "not JSON", value: "hello" },
  { name: "empty", value: "" },
  { name: "JSON null", value: "null" },
  { name: "JSON string", value: '"x"' },
  { name: "JSON number", value: "1e400" },
  { name: "duplicate keys", value: '{"amount":1,"amount":"x"}' },
  { name: "BOM", value: '\ufeff{"a":1}' },
  { name: "lone surrogate escape", value: '{"name":"\\ud800","merchant":"\\udfff"}' },
  { name: "NUL escape", value: '{"name":"\\u0000","merchant":"\\u0000"}' },
  { name: "1 MB JSON", value: `{"name":"${"x".repeat(MB)}"}` },
];

/** Path segments where an id or month goes. */
export const HOSTILE_SEGMENTS: string[] = [
  "..",
  "..%2f..%2fetc%2fpasswd",
  "%2e%2e",
  "%2e%2e%2f%2e%2e",
  "a%2Fb",
  "a%5Cb",
  "%00",
  "%ff%fe",
  "%ud800",
  "%ED%A0%80",
  "%F0%9F%98%80",
  "x".repeat(3_000),
  "TENANT%23x%23USER%23y",
  "00000000000000000000000000",
  "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
  "-1",
  "1e308",
  "NaN",
  "__proto__",
  "constructor",
  "%20",
  "2024-13",
  "9999-12",
  "0000-00",
  "%EF%B7%BA",
];

/** Query values, encoded by the caller. */
export const HOSTILE_QUERY_VALUES: string[] = [
  "",
  "-1",
  "0",
  "1e308",
  "NaN",
  "Infinity",
  "9007199254740993",
  "0x10",
  "true",
  "[]",
  "{}",
  "2024-02-30",
  "2024-13",
  "99999-01",
  "x".repeat(20_000),
  "\ud800",
  "\u0000",
  "\ufdfa".repeat(100),
  "\u202e",
  "../../etc",
  "__proto__",
  "a,b,c",
];

/** Cursors that are not what the server issued. */
export function forgedCursors(otherOwnerKey: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  return [
    "garbage",
    "%%%",
    b64("not json"),
    b64("{}"),
    b64("[]"),
    b64("null"),
    b64('{"PK":1}'),
    b64(JSON.stringify({ PK: otherOwnerKey, SK: "TXN#2024-03-10#0#x" })),
    b64(JSON.stringify({ PK: otherOwnerKey, SK: "CATEGORY#x" })),
    b64(JSON.stringify({ PK: { S: otherOwnerKey }, SK: { S: "x" } })),
    b64(JSON.stringify({ __proto__: { polluted: true }, PK: "x" })),
    b64("x".repeat(10_000)),
    b64(JSON.stringify({ PK: "x".repeat(3000), SK: "y" })),
    Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString("base64"),
  ];
}
