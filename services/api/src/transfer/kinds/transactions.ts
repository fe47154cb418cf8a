import { createHash } from "node:crypto";
import { ImportPreview, ImportRecord } from "@tyche/types";
import { doing, type RunContext, warn } from "../context";
import { cutIntoFiles, type ExportFile, type ExportRecord, readExport } from "../export-files";
import { ApiError } from "../http-client";
import type { AccountPair, AccountState } from "./accounts";

/** How long to wait for another import of the same user (409 import-running) or an async import. */
const WAIT_LIMIT_MS = 10 * 60_000;

interface AccountExport {
  pair: AccountPair;
  records: ExportRecord[];
}

/**
 * Transactions, account by account: the source's export (Tyche's own CSV) imported into the
 * target's counterpart, cut into files small enough for one request each. The import recognises
 * its own format: categories by name, transfers rebuilt between the target's accounts by name,
 * and ids derived from the target account and each row's Tyche Id, so a file sent twice adds its
 * rows once. Returns the months that have transactions, for the check.
 */
export async function transferTransactions(ctx: RunContext, accounts: AccountState): Promise<Set<string>> {
  const from = ctx.fromMonth ? `${ctx.fromMonth}-01` : "1970-01-01";
  const months = new Set<string>();
  const exports: AccountExport[] = [];
  for (const pair of accounts.pairs) {
    const csv = await ctx.source.text("/v1/transactions/export", {
      from,
      to: "2999-12-31",
      accountId: pair.source.accountId,
    });
    const records = readExport(csv);
    for (const r of records) months.add(r.date.slice(0, 7));
    exports.push({ pair, records });
  }

  // An account whose balance and count already agree has every row (an import would find them all
  // duplicates): it is left alone, so a second run reads the target and writes nothing. Rows edited
  // in the source since are not brought over by an import either (their ids are already there).
  const toImport = exports.filter(({ pair, records }) => {
    if (!records.length) return false;
    const t = pair.target;
    const complete =
      t !== undefined &&
      !pair.created &&
      t.transactionCount === pair.source.transactionCount &&
      t.balance === pair.source.balance;
    if (complete) {
      ctx.tally.transactions.accountsComplete += 1;
      ctx.io.out(
        `transactions: "${pair.source.name}" already has all ${t.transactionCount} (balance agrees)`,
      );
    }
    return !complete;
  });

  // A transfer row finds its other account only while that account is open.
  if (!ctx.dryRun) {
    const named = new Set<string>();
    for (const { pair, records } of toImport) {
      named.add(pair.source.accountId);
      for (const r of records) if (r.transferAccountId) named.add(r.transferAccountId);
    }
    for (const sourceId of named) await accounts.ensureOpen(ctx.accounts.get(sourceId));
  }

  for (const { pair, records } of toImport) {
    const files = cutIntoFiles(records, ctx.limits);
    ctx.io.out(
      `transactions: "${pair.source.name}": ${doing(ctx, "importing", "import")} ${records.length} rows in ${files.length} file(s)`,
    );
    for (const file of files) {
      ctx.tally.transactions.files += 1;
      ctx.tally.transactions.rows += file.rows;
      if (ctx.dryRun) await preview(ctx, pair, file);
      else await importFile(ctx, pair, file);
    }
  }
  return months;
}

function form(pair: AccountPair, file: ExportFile): FormData {
  const body = new FormData();
  const span = file.months.length > 1 ? `${file.months[0]}-to-${file.months.at(-1)}` : file.months[0];
  body.set("file", new File([file.text], `tyche-${pair.source.accountId}-${span}.csv`, { type: "text/csv" }));
  return body;
}

/** A dry run asks the target's import what it would do, where the account is there already. */
async function preview(ctx: RunContext, pair: AccountPair, file: ExportFile): Promise<void> {
  if (!pair.target || pair.target.closed) {
    ctx.tally.transactions.imported += file.rows;
    return;
  }
  const answer = await ctx.target.json("POST", "/v1/imports", ImportPreview, {
    query: { accountId: pair.target.accountId, dryRun: "true" },
    form: form(pair, file),
  });
  ctx.tally.transactions.imported += answer.counts.imported;
  ctx.tally.transactions.duplicates += answer.counts.duplicates;
  ctx.io.out(
    `transactions: "${pair.source.name}" ${file.months.join(", ")}: would add ${answer.counts.imported}, ` +
      `${answer.counts.duplicates} already there`,
  );
}

async function importFile(ctx: RunContext, pair: AccountPair, file: ExportFile): Promise<void> {
  const target = pair.target;
  if (!target) throw new Error(`unreachable: "${pair.source.name}" has no target account outside a dry run`);
  // The same key on every retry of this file in this run: a retry after a lost answer gets the first import.
  const key = `tyche-transfer-${ctx.runId}-${createHash("sha256").update(`${target.accountId}\n${file.text}`).digest("hex").slice(0, 32)}`;
  const started = Date.now();
  let record: ImportRecord;
  for (;;) {
    try {
      record = await ctx.target.json("POST", "/v1/imports", ImportRecord, {
        query: { accountId: target.accountId },
        form: form(pair, file),
        idempotencyKey: key,
      });
      break;
    } catch (err) {
      // Another import of this user is running (one at a time per user): wait for it.
      if (!(err instanceof ApiError && err.slug === "import-running") || Date.now() - started > WAIT_LIMIT_MS)
        throw err;
      ctx.io.out(`transactions: another import is running in the target; waiting`);
      await new Promise((r) => setTimeout(r, ctx.pollMs));
    }
  }
  // 202 (Prefer: respond-async, or a server that chooses to): follow it to its end.
  while (record.status === "running") {
    if (Date.now() - started > WAIT_LIMIT_MS)
      throw new Error(`import ${record.importId} is still running; run again later`);
    await new Promise((r) => setTimeout(r, ctx.pollMs));
    record = await ctx.target.json("GET", `/v1/imports/${record.importId}`, ImportRecord);
  }
  if (record.status !== "completed") {
    throw new Error(
      `target: the import of "${pair.source.name}" ${file.months.join(", ")} ended ${record.status}: ${record.failure ?? "no reason given"}`,
    );
  }
  const c = record.counts;
  ctx.tally.transactions.imported += c.imported;
  ctx.tally.transactions.duplicates += c.duplicates;
  const other = c.matched + c.ambiguous + c.skipped + c.failed;
  ctx.tally.transactions.other += other;
  ctx.io.out(
    `transactions: "${pair.source.name}" ${file.months.join(", ")}: ${c.imported} added, ${c.duplicates} already there`,
  );
  if (other) {
    warn(
      ctx,
      `the import of "${pair.source.name}" ${file.months.join(", ")} matched ${c.matched}, found ${c.ambiguous} ambiguous ` +
        `and could not read ${c.failed} rows (import ${record.importId}${record.errors[0] ? `; line ${record.errors[0].line}: ${record.errors[0].reason}` : ""})`,
    );
  }
}
