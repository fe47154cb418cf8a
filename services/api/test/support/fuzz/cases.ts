import { randomBytes } from "node:crypto";
import fc from "fast-check";
import {
  forgedCursors,
  HOSTILE_QUERY_VALUES,
  HOSTILE_RAW_BODIES,
  HOSTILE_SEGMENTS,
  HOSTILE_VALUES,
} from "./hostile";
import { example, type Known, type Operation } from "./openapi";
import type { SendInit, Tenant } from "./world";

/** One generated request and what was done to it, for the report. */
export interface Case {
  index: number;
  op: Operation;
  kind: string;
  what: string;
  method: string;
  path: string;
  init: SendInit;
}

/** The fuzzer's own pick of what to break; fast-check draws it from the seed. */
interface Draw {
  kind: (typeof KINDS)[number];
  a: number;
  b: number;
  text: string;
  json: unknown;
}

const KINDS = [
  "valid",
  "field",
  "field",
  "field-random",
  "nested",
  "nested",
  "missing",
  "extra",
  "raw",
  "path",
  "path",
  "foreign",
  "foreign",
  "query",
  "query",
  "cursor",
  "token",
  "multipart",
  "headers",
] as const;

const draw: fc.Arbitrary<Draw> = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(),
  b: fc.nat(),
  text: fc.string({ unit: "binary", maxLength: 60 }),
  json: fc.jsonValue({ maxDepth: 3 }),
});

export interface Forgeries {
  /** Authorization header values that must all answer 401. */
  tokens: { name: string; header: string }[];
}

export interface CaseContext {
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read as plain JSON
  doc: any;
  ops: Operation[];
  me: Tenant;
  other: Tenant;
  forgeries: Forgeries;
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

/** Which of a tenant's ids an `{id}` in this path stands for. */
function idFor(path: string, t: Tenant): string {
  const ids = t.ids;
  const by: [RegExp, string | undefined][] = [
    [/^\/v1\/budgets\/\{month\}\/categories\/\{id\}/, ids.categoryId],
    [/^\/v1\/categories/, ids.customCategoryId],
    [/^\/v1\/accounts/, ids.accountId],
    [/^\/v1\/cards/, ids.cardId],
    [/^\/v1\/goals/, ids.goalId],
    [/^\/v1\/transactions/, ids.transactionId],
    [/^\/v1\/imports/, ids.importId],
    [/^\/v1\/recurring/, ids.recurringId],
    [/^\/v1\/rules/, ids.ruleId],
    [/^\/v1\/tokens/, ids.tokenId],
  ];
  return by.find(([re]) => re.test(path))?.[1] ?? "01HZZZZZZZZZZZZZZZZZZZZZZZ";
}

function knownFor(t: Tenant): Known {
  return {
    accountId: t.ids.accountId,
    toAccountId: t.ids.toAccountId,
    categoryId: t.ids.categoryId,
    goalId: t.ids.goalId,
    month: "2024-03",
    date: "2024-03-12",
    startDate: "2024-03-01",
    email: t.email,
    name: "Fuzz",
    amount: 1_234,
  };
}

function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "x");
}

const jsonHeaders = (auth: string | undefined, extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  ...(auth ? { authorization: auth } : {}),
  ...extra,
});

/** Bodies that are not what a multipart bank file upload should be. */
function multipartGarbage(n: number, marker: string): { name: string; type: string; body: Uint8Array } {
  const enc = (s: string) => new TextEncoder().encode(s);
  const part = (content: string, filename = "bank.csv", field = "file") =>
    `--B\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n--B--\r\n`;
  const files: [string, string][] = [
    ["csv unbalanced quotes", 'Date,Description,Amount\n2024-03-01,"open,-1.00\n2024-03-02,x,"'],
    ["csv 5000 columns", `${Array.from({ length: 5_000 }, (_, i) => `c${i}`).join(",")}\n1,2,3`],
    ["csv NUL bytes", "Date,Description,Amount\n2024-03-01,a\u0000b,-1.00\n"],
    [
      "csv amounts hostile",
      "Date,Description,Amount\n2024-03-01,a,1e308\n2024-03-02,b,NaN\n2024-03-03,c,-0\n2024-03-04,d,99999999999999999999\n",
    ],
    ["csv dates hostile", "Date,Description,Amount\n0000-00-00,a,-1\n9999-99-99,b,-1\n2024-02-30,c,-1\n"],
    ["csv formula merchant", `Date,Description,Amount\n2024-03-01,=cmd|' /C calc'!A0 ${marker},-1.00\n`],
    ["csv only header", "Date,Description,Amount\n"],
    ["csv prototype keys", "__proto__,constructor,prototype\n1,2,3\n"],
    [
      "ofx unclosed",
      "OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST><STMTTRN><TRNAMT>-1e308<DTPOSTED>99999999",
    ],
    ["ofx deep", `OFXHEADER:100\n\n<OFX>${"<A>".repeat(20_000)}</OFX>`],
    [
      "ofx xml entity",
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><OFX>&b;</OFX>',
    ],
    ["qif garbage", "!Type:Bank\nD99/99/9999\nT-1e308\nP\u202eevil\n^\nDxx\nTabc\n^\n"],
    ["binary", String.fromCharCode(...randomBytes(512))],
    ["empty file", ""],
  ];
  const boundaryType = "multipart/form-data; boundary=B";
  const shapes: (() => { name: string; type: string; body: Uint8Array })[] = [
    ...files.map(([name, content]) => () => ({ name, type: boundaryType, body: enc(part(content)) })),
    () => ({ name: "no boundary", type: "multipart/form-data", body: enc(part("a,b\n1,2")) }),
    () => ({ name: "wrong boundary", type: "multipart/form-data; boundary=C", body: enc(part("a,b\n1,2")) }),
    () => ({ name: "truncated", type: boundaryType, body: enc(part("a,b\n1,2").slice(0, 60)) }),
    () => ({ name: "no file part", type: boundaryType, body: enc(part("x", "", "other")) }),
    () => ({
      name: "traversal filename",
      type: boundaryType,
      body: enc(part("Date,Amount\n2024-03-01,-1", "../../../etc/passwd")),
    }),
    () => ({
      name: "bad options json",
      type: boundaryType,
      body: enc(
        `--B\r\nContent-Disposition: form-data; name="options"\r\n\r\n{"skipLines":1e308,"__proto__":{"x":1}\r\n${part("Date,Amount\n2024-03-01,-1").slice(2)}`,
      ),
    }),
    () => ({
      name: "boundary 2000 chars",
      type: `multipart/form-data; boundary=${"B".repeat(2_000)}`,
      body: enc("x"),
    }),
    () => ({ name: "json as multipart", type: boundaryType, body: enc('{"uploadId":"x"}') }),
  ];
  return pick(shapes, n)();
}

/** The n-th case of a run with this seed: the same seed always gives the same requests. */
export function generateCases(ctx: CaseContext, seed: number, count: number): Case[] {
  const draws = fc.sample(draw, { seed, numRuns: count });
  return draws.map((d, index) => build(ctx, index, d));
}

function build(ctx: CaseContext, index: number, d: Draw): Case {
  const op = pick(ctx.ops, index);
  const me = ctx.me;
  const auth = op.secured ? `Bearer ${me.token}` : undefined;
  const pathValues: Record<string, string> = {
    id: idFor(op.path, me),
    month: "2024-03",
    key: "fuzz-key",
  };
  const jsonSchema = op.bodies["application/json"];
  const known = knownFor(me);
  let body: unknown = jsonSchema ? example(ctx.doc, jsonSchema, known) : undefined;
  const query: [string, string][] = [];
  const headers: Record<string, string> = {};
  let raw: { type: string; body: string | Uint8Array } | undefined;
  let what = "as documented";
  let rawQuery: string | undefined;
  let authorization = auth;
  const pathNames = op.params.filter((p) => p.in === "path").map((p) => p.name);
  const queryParams = op.params.filter((p) => p.in === "query");
  const fields = body && typeof body === "object" && !Array.isArray(body) ? Object.keys(body) : [];
  const schemaFields = Object.keys(jsonSchema?.properties ?? {});
  let kind: string = d.kind;

  // A kind that does not apply to this operation becomes one that does, spread over the rest.
  const applies = (k: string): boolean => {
    switch (k) {
      case "multipart":
        return (
          op.method !== "GET" &&
          op.method !== "DELETE" &&
          (Boolean(op.bodies["multipart/form-data"]) || op.path.endsWith("/receipt"))
        );
      case "field":
      case "field-random":
      case "nested":
      case "missing":
      case "extra":
        return Boolean(jsonSchema);
      case "raw":
        return op.method !== "GET" && op.method !== "DELETE";
      case "path":
        return pathNames.length > 0;
      case "foreign":
        return pathNames.length > 0 || Boolean(jsonSchema);
      case "query":
        return queryParams.length > 0;
      case "cursor":
        return queryParams.some((p) => p.name === "cursor");
      case "token":
        return op.secured;
      default:
        return true;
    }
  };
  // The upload routes get mostly broken files: there is more to break in a file than in a field.
  if (applies("multipart") && d.b % 3 !== 0) kind = "multipart";
  if (!applies(kind)) {
    const fits = KINDS.filter(applies);
    kind = fits.length ? pick(fits, d.a + d.b) : "valid";
  }

  switch (kind) {
    case "valid":
      break;
    case "field": {
      const field = pick([...fields, ...schemaFields, "name"], d.a);
      const hostile = pick(HOSTILE_VALUES, d.b);
      body = { ...(body as object), [field]: hostile.value };
      what = `${field} = ${hostile.name}`;
      break;
    }
    case "field-random": {
      const field = pick([...fields, ...schemaFields, "name"], d.a);
      const value = d.a % 2 ? d.text : d.json;
      body = { ...(body as object), [field]: value };
      what = `${field} = ${JSON.stringify(value)?.slice(0, 80)}`;
      break;
    }
    case "nested": {
      // Anywhere inside the body, not only its top level: split parts, schedules, conditions.
      const paths = leafPaths(body);
      const path = pick(paths.length ? paths : [["name"]], d.a);
      const hostile =
        d.a % 3 === 0
          ? { name: JSON.stringify(d.json)?.slice(0, 60) ?? "undefined", value: d.json }
          : pick(HOSTILE_VALUES, d.b);
      body = setAt(body, path, hostile.value);
      what = `${path.join(".")} = ${hostile.name}`;
      break;
    }
    case "missing": {
      const field = pick(fields.length ? fields : ["(none)"], d.a);
      const copy = { ...(body as Record<string, unknown>) };
      delete copy[field];
      body = copy;
      what = `without ${field}`;
      break;
    }
    case "extra": {
      const keys = ["__proto__", "constructor", "prototype", "tenantId", "userId", "PK", "version", d.text];
      const key = pick(keys, d.a);
      const text = JSON.stringify(body ?? {}).replace(/^\{/, `{${JSON.stringify(key)}:{"polluted":true},`);
      raw = { type: "application/json", body: text.replace(/,\}$/, "}") };
      what = `extra key ${JSON.stringify(key).slice(0, 40)}`;
      break;
    }
    case "raw": {
      const hostile = pick(HOSTILE_RAW_BODIES, d.a);
      raw = {
        type: pick(["application/json", "application/json; charset=utf-16", "text/plain"], d.b),
        body: String(hostile.value),
      };
      what = `raw body ${hostile.name} as ${raw.type}`;
      break;
    }
    case "path": {
      const name = pick(pathNames, d.a);
      const segment = pick(HOSTILE_SEGMENTS, d.b);
      pathValues[name] = segment;
      what = `{${name}} = ${segment.slice(0, 40)}`;
      break;
    }
    case "foreign": {
      // Another tenant's ids, in the path or in every id field of the body.
      const other = ctx.other;
      if (pathNames.length && d.a % 2 === 0) {
        for (const name of pathNames) if (name === "id") pathValues.id = idFor(op.path, other);
        what = "another tenant's id in the path";
      } else {
        body = jsonSchema
          ? example(ctx.doc, jsonSchema, { ...known, ...knownFor(other), email: me.email })
          : body;
        if (pathNames.includes("id")) pathValues.id = idFor(op.path, other);
        what = "another tenant's ids in the body";
      }
      break;
    }
    case "query": {
      const param = pick(queryParams, d.a);
      const value = d.b % 5 === 0 ? d.text : pick(HOSTILE_QUERY_VALUES, d.b);
      query.push([param.name, value]);
      // Broken percent-encoding, sent as it is.
      if (d.b % 4 === 1)
        rawQuery = `${param.name}=${pick(["%", "%zz", "%ED%A0%80", "%C0%AF", "%00", "a%2", "%uD800"], d.a)}`;
      if (d.b % 3 === 0) query.push([param.name, "2024-03"]);
      what = `?${param.name}=${JSON.stringify(value).slice(0, 40)}`;
      break;
    }
    case "cursor": {
      const cursors = [...forgedCursors(`TENANT#${ctx.other.tenantId}#USER#${ctx.other.userId}`)];
      if (ctx.other.cursor) cursors.push(ctx.other.cursor, ctx.other.cursor, ctx.other.cursor);
      const cursor = pick(cursors, d.a);
      query.push(["cursor", cursor]);
      what = `cursor ${cursor === ctx.other.cursor ? "issued to another tenant" : cursor.slice(0, 30)}`;
      break;
    }
    case "token": {
      const forged = pick(ctx.forgeries.tokens, d.a);
      authorization = forged.header;
      what = `token: ${forged.name}`;
      break;
    }
    case "multipart": {
      if (op.path.endsWith("/receipt")) {
        const types = [
          "image/png",
          "application/pdf",
          "text/html",
          "image/svg+xml",
          "multipart/form-data; boundary=B",
        ];
        const bytes =
          d.a % 2
            ? new Uint8Array(randomBytes(256))
            : new TextEncoder().encode("%PDF-1.4\n<html><script>1</script>");
        raw = { type: pick(types, d.b), body: bytes };
        what = `receipt ${raw.type} garbage`;
      } else {
        const m = multipartGarbage(d.b, me.marker);
        raw = { type: m.type, body: m.body };
        what = `multipart: ${m.name}`;
        if (d.a % 3 === 0) query.push(["dryRun", "true"]);
      }
      break;
    }
    case "headers": {
      const values = ["", "*", '"0"', 'W/"x"', "\u00ff", "x".repeat(8_000), "1e308", '"v1", "v2"'];
      const value = pick(values, d.b);
      headers[pick(["if-match", "idempotency-key", "content-type", "prefer", "content-length"], d.a)] = value;
      what = `header ${Object.keys(headers)[0]} = ${value.slice(0, 20)}`;
      break;
    }
  }

  if (
    kind !== "cursor" &&
    kind !== "query" &&
    queryParams.some((p) => p.name === "accountId") &&
    op.method === "POST"
  )
    query.push(["accountId", me.ids.accountId as string]);
  const encodedPath = fillPath(
    op.path,
    Object.fromEntries(
      Object.entries(pathValues).map(([k, v]) => [
        k,
        kind === "path" && k === pick(pathNames, d.a) ? v : encodeURIComponent(v),
      ]),
    ),
  );
  const parts = query.map(([k, v]) => `${encodeURIComponent(k)}=${safeEncode(v)}`);
  if (rawQuery) parts.push(rawQuery);
  const qs = parts.length ? `?${parts.join("&")}` : "";
  const init: SendInit = { headers: { ...(raw ? { "content-type": raw.type } : {}), ...headers } };
  if (authorization !== undefined) (init.headers as Record<string, string>).authorization = authorization;
  if (raw) init.body = raw.body;
  else if (body !== undefined && op.method !== "GET" && op.method !== "DELETE") {
    init.body = JSON.stringify(body);
    init.headers = { ...jsonHeaders(authorization), ...headers };
  }
  return { index, op, kind, what, method: op.method, path: `${encodedPath}${qs}`, init };
}

/** Every path to a value inside a JSON value, the value itself excluded. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...leafPaths(v, [...prefix, i])]);
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...leafPaths(v, [...prefix, k])]);
  return [];
}

function setAt(value: unknown, path: (string | number)[], to: unknown): unknown {
  if (!path.length) return to;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = setAt(copy[head], rest, to);
  return copy;
}

/** encodeURIComponent throws on a lone surrogate; send its bytes as the replacement a browser would. */
function safeEncode(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "\ufffd"));
  }
}
