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
import type { ImportOptions, ImportPreview, ImportRecord } from "@tyche/types";
import { ulid } from "ulid";
import { mapLimit, putBatch } from "../db/batch";
import type { CategoryRepository } from "../db/categories";
import type { ImportLock, ImportRecordRepository } from "../db/imports";
import type { Owner } from "../db/keys";
import type { MerchantRepository } from "../db/merchants";
import { type MonthTotalsRepository, totalsDeltaOp } from "../db/month-totals";
import type { RuleRepository } from "../db/rules";
import type { Store } from "../db/store";
import { writeAudited, writeOne } from "../db/transact";
import type { TransactionRecord, TransactionRepository } from "../db/transactions";
import type { TransactionService } from "../domain/transactions";
import { invalidField, ProblemError } from "../http/problem";
import { csvFingerprints, importTransactionId, ofxFingerprint } from "./fingerprint";
import { assertImportFits } from "./totals-fit";

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Rows written before their month's totals move: 500 items, 20 BatchWriteItem calls. */
const ROWS_PER_CHUNK = 250;
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
  lock: ImportLock;
  totals: MonthTotalsRepository;
}

interface Prepared {
  format: "csv" | "ofx";
  dialect: CsvDialect | null;
  rows: ParsedRow[];
  errors: ImportRowError[];
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
 * write the rows in batches, each chunk counted into its month's totals in an audited transaction.
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
    const [existing, categories, rules, totals] = await Promise.all([
      this.d.transactions.existingIds(owner, ids),
      this.d.categories.byId(owner),
      this.d.rules.list(owner),
      this.d.totals.getMany(owner, [...new Set(rows.map((r) => r.date.slice(0, 7)))]),
    ]);
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
    assertImportFits(totals, records);
    return { format, dialect, rows, errors, duplicate, records };
  }

  /** A dry run: everything but the writes, and no lock, since nothing changes. */
  async preview(
    owner: Owner,
    file: { name?: string; bytes: Uint8Array },
    options: ImportOptions,
  ): Promise<ImportPreview> {
    const p = await this.prepare(owner, file, options);
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

  /**
   * Takes the user's import lock (recounting the months of an import that died holding it), reads
   * the file, and creates the import record, so it can be followed while `write` runs.
   */
  async begin(
    owner: Owner,
    file: { name?: string; bytes: Uint8Array },
    options: ImportOptions,
  ): Promise<{ record: ImportRecord; prepared: Prepared }> {
    const importId = ulid();
    const abandoned = await this.d.lock.acquire(owner, importId);
    try {
      if (abandoned) await this.recover(owner, abandoned.importId, abandoned.months);
      const prepared = await this.prepare(owner, file, options);
      return { record: await this.start(owner, prepared, file.name || null, importId), prepared };
    } catch (err) {
      await this.d.lock.release(owner, importId);
      throw err;
    }
  }

  /** Gives up an import that was begun but will not be written. */
  async abandon(owner: Owner, importId: string, why: string): Promise<void> {
    await this.d.records.finish(owner, importId, "failed", why);
    await this.d.lock.release(owner, importId);
  }

  /** An import cut off between writing rows and counting them: recount its months from their rows. */
  private async recover(owner: Owner, importId: string, months: readonly string[]): Promise<void> {
    for (const month of months) await this.d.totals.recompute(owner, month);
    await this.d.records
      .finish(owner, importId, "failed", "Interrupted; its months were recounted from the rows it wrote")
      .catch(() => undefined);
  }

  private async start(
    owner: Owner,
    p: Prepared,
    fileName: string | null,
    importId: string,
  ): Promise<ImportRecord> {
    const counts = this.counts(p);
    const record: ImportRecord = {
      importId,
      status: "running",
      fileName,
      format: p.format,
      total: counts.imported,
      processed: 0,
      counts: { ...counts, imported: 0 },
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
        const rows = byMonth.get(month) ?? [];
        rows.push(r);
        byMonth.set(month, rows);
      }
      const months = [...byMonth.keys()];
      await this.d.lock.refresh(owner, importId, months);
      await this.writeAndCount(owner, importId, [...byMonth.values()], months);
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
    } finally {
      await this.d.lock.release(owner, importId);
    }
    return this.d.records.require(owner, importId);
  }

  /**
   * Rows go in by BatchWriteItem, 25 a call and 8 calls in flight across the whole file, as fast as
   * DynamoDB takes them. Each chunk (up to 250 rows of one month) is counted once all its rows are
   * in: its month's totals move by the rows' sum in one audited transaction with the import's
   * progress and lock. Counts run one at a time, since they share the import record and the lock.
   * Between a chunk's rows and its count, the lock names the months being written; if the process
   * dies there, the next import recounts them from the rows (`recover`).
   */
  private async writeAndCount(
    owner: Owner,
    importId: string,
    monthRows: TransactionRecord[][],
    months: string[],
  ) {
    const chunks: TransactionRecord[][] = [];
    for (const rows of monthRows) {
      for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) chunks.push(rows.slice(i, i + ROWS_PER_CHUNK));
    }
    const batches: { chunk: number; items: Record<string, unknown>[] }[] = [];
    const left = chunks.map(() => 0);
    chunks.forEach((rows, chunk) => {
      const items = rows.flatMap((r) => this.d.transactions.newItems(owner, r));
      for (let i = 0; i < items.length; i += 25) {
        batches.push({ chunk, items: items.slice(i, i + 25) });
        left[chunk] = (left[chunk] ?? 0) + 1;
      }
    });
    let counting: Promise<void> = Promise.resolve();
    try {
      await mapLimit(batches, LANES, async ({ chunk, items }) => {
        await putBatch(this.d.store.db, this.d.store.tables.transactionDetails, items);
        left[chunk] = (left[chunk] ?? 1) - 1;
        if (left[chunk] === 0) {
          const rows = chunks[chunk] as TransactionRecord[];
          counting = counting.then(() => this.countChunk(owner, importId, rows, months));
        }
      });
    } finally {
      // Whatever was written is counted, even when a later batch failed.
      await counting;
    }
  }

  private async countChunk(owner: Owner, importId: string, rows: TransactionRecord[], months: string[]) {
    const totals = mergeDeltas(rows.flatMap((r) => ledgerDeltas(undefined, r)));
    await writeAudited(
      this.d.store.db,
      this.d.store.tables.auditLogs,
      {
        owner,
        action: "import.chunk",
        entityId: importId,
        after: { transactionIds: rows.map((r) => r.transactionId) },
      },
      [
        ...totals.map((d) => totalsDeltaOp(this.d.store, owner, d)),
        this.d.records.progressOp(owner, importId, rows.length, rows.length, 0),
        this.d.lock.refreshOp(owner, importId, months),
      ],
    );
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
      await writeOne(this.d.store.db, this.d.merchants.useOp(owner, { key, ...u }));
    });
  }

  /** What the file holds; `imported` is what a real import will write. */
  private counts(p: Prepared) {
    const duplicates = p.duplicate.filter(Boolean).length;
    return { rows: p.rows.length, imported: p.rows.length - duplicates, duplicates, failed: p.errors.length };
  }
}
