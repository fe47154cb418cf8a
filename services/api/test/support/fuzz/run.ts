import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import type { Store } from "../../../src/db/store";
import { ownerItems } from "../owner-items";
import { type Case, type Forgeries, generateCases } from "./cases";
import { operations } from "./openapi";
import { type Answer, type Send, secretsOf, seedTenant, type Tenant } from "./world";

export interface Finding {
  index: number;
  seed: number;
  request: string;
  what: string;
  problem: string;
  status: number;
  body: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  perOperation: Map<string, number>;
  statuses: Map<number, number>;
  /** Statuses by what was done to the request, to see the cases reach past validation. */
  kinds: Map<string, Map<number, number>>;
  ms: { seed: number; send: number; snapshot: number };
  findings: Finding[];
}

export interface FuzzTarget {
  send: Send;
  store: Store;
  /** Signs a token with the server's own key, to send one that is genuine but expired. */
  issueExpired?: (t: Tenant) => Promise<string>;
}

/** Every item under a tenant's partition in every table, as one comparable text. */
export async function snapshot(store: Store, t: Tenant): Promise<string> {
  return JSON.stringify(await ownerItems(store, t));
}

async function forgeries(target: FuzzTarget, me: Tenant, other: Tenant): Promise<Forgeries> {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: me.userId,
    tid: me.tenantId,
    email: me.email,
    iss: "tyche-local",
    aud: "tyche",
    iat: now,
    exp: now + 3600,
  };
  const wrongKey = await new SignJWT({ tid: other.tenantId, email: other.email })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(other.userId)
    .setIssuer("tyche-local")
    .setAudience("tyche")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(randomBytes(32));
  const [head, payload] = me.token.split(".");
  const tokens = [
    { name: "none", header: "" },
    { name: "Bearer only", header: "Bearer " },
    { name: "Basic", header: `Basic ${Buffer.from("a:b").toString("base64")}` },
    { name: "garbage", header: "Bearer x.y.z" },
    { name: "alg none", header: `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.` },
    {
      name: "alg none, other tenant",
      header: `Bearer ${b64({ alg: "none" })}.${b64({ ...claims, tid: other.tenantId, sub: other.userId })}.`,
    },
    { name: "wrong key, other tenant", header: `Bearer ${wrongKey}` },
    {
      name: "payload swapped to other tenant",
      header: `Bearer ${head}.${b64({ ...claims, tid: other.tenantId, sub: other.userId })}.${me.token.split(".")[2]}`,
    },
    { name: "signature stripped", header: `Bearer ${head}.${payload}.` },
    { name: "10 KB token", header: `Bearer ${"a".repeat(10_000)}` },
    {
      name: "alg RS256 with HS key",
      header: `Bearer ${b64({ alg: "RS256" })}.${payload}.${me.token.split(".")[2]}`,
    },
  ];
  if (target.issueExpired)
    tokens.push({ name: "expired, genuine key", header: `Bearer ${await target.issueExpired(me)}` });
  return { tokens };
}

const PROBLEM = "application/problem+json";

function check(c: Case, res: Answer, secrets: string[]): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`answered ${res.status}`);
  // A receipt is answered with a redirect to its signed file URL, as S3's presigned one is.
  else if (res.status < 200 || (res.status >= 300 && res.status < 400 && !res.headers.get("location")))
    problems.push(`answered ${res.status}, neither 2xx nor 4xx`);
  if (res.status >= 400 && res.status < 500 && !(res.headers.get("content-type") ?? "").startsWith(PROBLEM))
    problems.push(`4xx with content-type ${res.headers.get("content-type")}`);
  for (const s of secrets) {
    if (s && res.text.includes(s)) problems.push(`answer shows another tenant's ${s}`);
  }
  if (c.kind === "token" && res.status !== 401) problems.push(`forged token answered ${res.status}, not 401`);
  return problems;
}

/**
 * Seeds two tenants, then sends `count` hostile requests from the OpenAPI document as the first.
 * Each answer must be 2xx or a 4xx problem; a 4xx must leave the sender's items as they were; no
 * answer may show the second tenant's data, whose items must be unchanged at the end.
 */
export async function fuzz(
  target: FuzzTarget,
  opts: { seed: number; cases: number; only?: number; log?: (line: string) => void },
): Promise<FuzzReport> {
  const { send, store } = target;
  const doc = JSON.parse((await send("GET", "/v1/openapi.json")).text);
  // Ending one's own session would only make every later case a 401.
  const ops = operations(doc).filter((o) => !/logout|sign-?out/.test(o.path));
  const seeding = performance.now();
  const [other, me] = await Promise.all([seedTenant(send, "Victim"), seedTenant(send, "Fuzzer")]);
  const secrets = secretsOf(other);
  const otherBefore = await snapshot(store, other);
  const ctx = { doc, ops, me, other, forgeries: await forgeries(target, me, other) };
  const all = generateCases(ctx, opts.seed, opts.cases);
  const cases = opts.only === undefined ? all : all.filter((c) => c.index === opts.only);
  const report: FuzzReport = {
    seed: opts.seed,
    cases: 0,
    perOperation: new Map(),
    statuses: new Map(),
    kinds: new Map(),
    ms: { seed: performance.now() - seeding, send: 0, snapshot: 0 },
    findings: [],
  };
  let mine = await snapshot(store, me);
  let afterRead = false;
  for (const c of cases) {
    // A read may write (analytics computed on read are kept), so a write's "before" is read afresh.
    if (afterRead && c.method !== "GET") mine = await snapshot(store, me);
    afterRead = c.method === "GET";
    const key = `${c.method} ${c.op.path}`;
    report.perOperation.set(key, (report.perOperation.get(key) ?? 0) + 1);
    report.cases += 1;
    let res: Answer;
    const t0 = performance.now();
    try {
      res = await send(c.method, c.path, c.init);
    } catch (err) {
      res = { status: 599, headers: new Headers(), text: `no answer: ${String(err)}` };
    }
    report.statuses.set(res.status, (report.statuses.get(res.status) ?? 0) + 1);
    const byKind = report.kinds.get(c.kind) ?? new Map<number, number>();
    byKind.set(res.status, (byKind.get(res.status) ?? 0) + 1);
    report.kinds.set(c.kind, byKind);
    const problems = check(c, res, secrets);
    const t1 = performance.now();
    report.ms.send += t1 - t0;
    // Reads are not checked: they may keep what they computed.
    const after = c.method === "GET" ? mine : await snapshot(store, me);
    report.ms.snapshot += performance.now() - t1;
    if (t1 - t0 > 1000)
      opts.log?.(`slow: #${c.index} ${c.method} ${c.op.path} [${c.what}] ${(t1 - t0).toFixed(0)} ms`);
    if (res.status >= 400 && after !== mine) problems.push("a 4xx wrote to the sender's items");
    mine = after;
    for (const problem of problems) {
      const finding = {
        index: c.index,
        seed: opts.seed,
        request: `${c.method} ${c.path.slice(0, 200)}`,
        what: c.what,
        problem,
        status: res.status,
        body: res.text.slice(0, 300),
      };
      report.findings.push(finding);
      opts.log?.(`FINDING #${c.index} ${finding.request} (${c.what}): ${problem} ${finding.body}`);
    }
  }
  if ((await snapshot(store, other)) !== otherBefore)
    report.findings.push({
      index: -1,
      seed: opts.seed,
      request: "(whole run)",
      what: "",
      problem: "another tenant's items changed",
      status: 0,
      body: "",
    });
  return report;
}

export function printReport(report: FuzzReport, log: (line: string) => void): void {
  log(`seed ${report.seed}: ${report.cases} cases over ${report.perOperation.size} operations`);
  for (const [op, n] of [...report.perOperation].sort()) log(`  ${String(n).padStart(5)}  ${op}`);
  log(
    `statuses: ${[...report.statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}x${n}`)
      .join(" ")}`,
  );
  for (const [kind, statuses] of [...report.kinds].sort())
    log(
      `  ${kind.padEnd(14)} ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}x${n}`)
        .join(" ")}`,
    );
  const { ms } = report;
  log(
    `time: seeding ${ms.seed.toFixed(0)} ms, requests ${ms.send.toFixed(0)} ms, snapshots ${ms.snapshot.toFixed(0)} ms`,
  );
  log(`findings: ${report.findings.length}`);
  for (const f of report.findings)
    log(
      `  #${f.index} (--seed ${f.seed} --only ${f.index}) ${f.request} [${f.what}] ${f.problem}: ${f.body}`,
    );
}
