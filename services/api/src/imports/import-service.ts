import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  type CsvDialect,
  detectFormat,
  ImportFormatError,
  type ImportRowError,
  ledgerDeltas,
  mergeDeltas,
  normalizeMerchant,
  type ParsedRow,
  parseCsv,
  parseOfx,
} from "@tyche/core";
import type { Category, ImportOptions, ImportPreview, ImportRecord } from "@tyche/types";
import { ulid } from "ulid";
import { mapLimit } from "../db/batch";
import type { CategoryRepository } from "../db/categories";
import type { ImportRecordRepository } from "../db/imports";
import type { Owner } from "../db/keys";
import type { MerchantRepository } from "../db/merchants";
import { totalsDeltaOp } from "../db/month-totals";
import type { RuleRepository } from "../db/rules";
import type { Store } from "../db/store";
import { writeAudited } from "../db/transact";
import type { TransactionRecord, TransactionRepository } from "../db/transactions";
import type { TransactionService } from "../domain/transactions";
import { invalidField, ProblemError } from "../http/problem";
import { csvFingerprints, importTransactionId, ofxFingerprint } from "./fingerprint";

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Rows per DynamoDB transaction: two items each (transaction, id pointer), plus totals and audit. */
const ROWS_PER_CHUNK = 48;
/** Chunks in flight at once; never two of one month, whose totals item they would fight over. */
const LANES = 8;
const MAX_ERRORS_KEPT = 500;
const PREVIEW_ROWS = 1_000;

export interface ImportDeps {
  store: Store;
  transactions: TransactionRepository;
  service: TransactionService;
  categories: CategoryRepository;
  rules: RuleRepository;
  merchants: MerchantRepository;
  records: ImportRecordRepository;
}

interface Prepared {
  format: "csv" | "ofx";
  dialect: CsvDialect | null;
  rows: ParsedRow[];
  errors: ImportRowError[];
  /** Deterministic ids, so the same row always maps to the same transaction. */
  ids: string[];
  duplicate: boolean[];
  records: (TransactionRecord | null)[];
}

/** Bank files decode as UTF-8 when they are; older European exports are Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/**
 * Imports bank files: parse, recognise rows already recorded (by OFX FITID or a CSV row's
 * fingerprint, turned into the transaction id), categorise like a hand-entered transaction, and
 * write in chunks that each commit their rows, the month's totals and an audit record together.
 */
export class ImportService {
  constructor(private readonly d: ImportDeps) {}

  async prepare(
    owner: Owner,
    file: { name?: string; bytes: Uint8Array },
    options: ImportOptions,
  ): Promise<Prepared> {
    if (file.bytes.byteLength > MAX_IMPORT_BYTES) {
      throw new ProblemError(
        413,
        "payload-too-large",
        "Payload too large",
        "Bank files are limited to 10 MB",
      );
    }
    const text = decodeText(file.bytes);
    let format: "csv" | "ofx";
    let rows: ParsedRow[];
    let errors: ImportRowError[];
    let dialect: CsvDialect | null = null;
    let fingerprints: string[];
    try {
      format = detectFormat(file.name, text);
      if (format === "ofx") {
        const parsed = parseOfx(text);
        rows = parsed.rows;
        errors = parsed.errors;
        fingerprints = parsed.rows.map((r) => ofxFingerprint(r.accountId ?? parsed.accountId, r.fitId));
      } else {
        const parsed = parseCsv(text, options);
        ({ rows, errors, dialect } = parsed);
        fingerprints = csvFingerprints(rows);
      }
    } catch (err) {
      if (err instanceof ImportFormatError) throw invalidField("file", err.message);
      throw err;
    }

    const ids = rows.map((r, i) => importTransactionId(r.date, fingerprints[i] as string));
    const [existing, categoryList, rules] = await Promise.all([
      this.d.transactions.existingIds(owner, ids),
      this.d.categories.list(owner, true),
      this.d.rules.list(owner),
    ]);
    const categories = new Map<string, Category>(categoryList.map((c) => [c.categoryId, c]));
    const merchantKeys = rows.map((r) => r.merchantRaw).filter(Boolean);
    const learned = await this.d.merchants.learnedCategories(
      owner,
      merchantKeys.map((m) => normalizeMerchant(m).key).filter(Boolean),
    );

    const seen = new Set<string>();
    const duplicate = ids.map((id) => {
      const dup = existing.has(id) || seen.has(id);
      seen.add(id);
      return dup;
    });
    const recordedAt = Date.now();
    const records = await Promise.all(
      rows.map((row, i) =>
        duplicate[i]
          ? null
          : this.d.service.buildNew(
              owner,
              {
                date: row.date,
                amount: row.amount,
                type: row.type,
                ...(row.merchantRaw ? { merchant: row.merchantRaw.slice(0, 200) } : {}),
                description: row.description.slice(0, 500),
              },
              categories,
              { rules, learned, transactionId: ids[i] as string, recordedAt },
            ),
      ),
    );
    return { format, dialect, rows, errors, ids, duplicate, records };
  }

  preview(p: Prepared): ImportPreview {
    return {
      dryRun: true,
      format: p.format,
      dialect: p.dialect as unknown as Record<string, unknown> | null,
      counts: this.counts(p),
      rows: p.rows.slice(0, PREVIEW_ROWS).map((row, i) => {
        const r = p.records[i];
        return {
          line: row.line,
          date: row.date,
          amount: row.amount,
          type: row.type,
          merchant: r?.merchant ?? null,
          merchantRaw: row.merchantRaw || null,
          description: row.description,
          categoryId: r?.categoryId ?? null,
          categorizedBy: r?.categorizedBy ?? "none",
          duplicate: p.duplicate[i] ?? false,
        };
      }),
      errors: p.errors,
    };
  }

  /** Creates the import record, so it can be followed while `write` runs. */
  async start(owner: Owner, p: Prepared, fileName: string | null): Promise<ImportRecord> {
    const duplicates = p.duplicate.filter(Boolean).length;
    const record: ImportRecord = {
      importId: ulid(),
      status: "running",
      fileName,
      format: p.format,
      total: p.rows.length - duplicates,
      processed: 0,
      counts: { rows: p.rows.length, imported: 0, duplicates, failed: p.errors.length },
      errors: p.errors.slice(0, MAX_ERRORS_KEPT),
      startedAt: new Date().toISOString(),
      finishedAt: null,
      failure: null,
    };
    await this.d.records.create(owner, record);
    return record;
  }

  async write(owner: Owner, p: Prepared, importId: string): Promise<ImportRecord> {
    try {
      const fresh = p.records
        .filter((r): r is TransactionRecord => r !== null)
        .map((r) => ({ ...r, importId }));
      const byMonth = new Map<string, TransactionRecord[]>();
      for (const r of fresh.sort((a, b) => a.date.localeCompare(b.date))) {
        const month = r.date.slice(0, 7);
        byMonth.set(month, [...(byMonth.get(month) ?? []), r]);
      }
      await mapLimit([...byMonth.values()], LANES, async (monthRows) => {
        for (let i = 0; i < monthRows.length; i += ROWS_PER_CHUNK) {
          await this.writeChunk(owner, importId, monthRows.slice(i, i + ROWS_PER_CHUNK));
        }
      });
      await this.countMerchants(owner, fresh);
      await this.d.records.finish(owner, importId, "completed", null);
    } catch (err) {
      await this.d.records.finish(
        owner,
        importId,
        "failed",
        err instanceof Error ? err.message : String(err),
      );
      throw err;
    }
    return this.d.records.require(owner, importId);
  }

  /**
   * One chunk, one transaction. If another import of the same file wrote some of these rows
   * meanwhile, the chunk is cancelled whole; it is retried without the rows that now exist.
   */
  private async writeChunk(owner: Owner, importId: string, rows: TransactionRecord[]): Promise<void> {
    let pending = rows;
    for (let attempt = 0; pending.length; attempt++) {
      const totals = mergeDeltas(pending.flatMap((r) => ledgerDeltas(undefined, r)));
      const ops = [
        ...pending.flatMap((r) => this.d.transactions.createOps(owner, r)),
        ...totals.map((d) => totalsDeltaOp(this.d.store, owner, d)),
      ];
      try {
        await writeAudited(
          this.d.store.db,
          this.d.store.tables.auditLogs,
          {
            owner,
            action: "import.chunk",
            entityId: importId,
            after: { transactionIds: pending.map((r) => r.transactionId) },
          },
          ops,
        );
        await this.d.records.progress(
          owner,
          importId,
          rows.length,
          pending.length,
          rows.length - pending.length,
        );
        return;
      } catch (err) {
        if (!(err instanceof ProblemError && err.status === 409) || attempt >= 3) throw err;
        const exists = await this.d.transactions.existingIds(
          owner,
          pending.map((r) => r.transactionId),
        );
        pending = pending.filter((r) => !exists.has(r.transactionId));
        if (!pending.length) {
          await this.d.records.progress(owner, importId, rows.length, 0, rows.length);
        }
      }
    }
  }

  /** Merchant use counts rank autocomplete only, so they follow the rows rather than ride with them. */
  private async countMerchants(owner: Owner, rows: TransactionRecord[]): Promise<void> {
    const uses = new Map<string, { name: string; delta: number }>();
    for (const r of rows) {
      if (!r.merchantKey) continue;
      const u = uses.get(r.merchantKey) ?? { name: r.merchant ?? "", delta: 0 };
      u.delta += 1;
      uses.set(r.merchantKey, u);
    }
    await mapLimit([...uses], LANES, async ([key, u]) => {
      const op = this.d.merchants.useOp(owner, { key, ...u }).item.Update;
      if (op) await this.d.store.db.send(new UpdateCommand(op));
    });
  }

  private counts(p: Prepared) {
    const duplicates = p.duplicate.filter(Boolean).length;
    return { rows: p.rows.length, imported: p.rows.length - duplicates, duplicates, failed: p.errors.length };
  }
}
