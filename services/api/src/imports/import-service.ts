import { createHash } from "node:crypto";
import {
  accountMoves,
  type ImportRowError,
  ledgerDeltas,
  MATCH_WINDOW_DAYS,
  MAX_RECURRING_WINDOW_DAYS,
  mergeDeltas,
  type ParsedRow,
} from "@tyche/core";
import {
  ImportOptions,
  type ImportPreview,
  type ImportRecord,
  type ImportSkippedRow,
  type StatementGuesses,
} from "@tyche/types";
import { ulid } from "ulid";
import type { RefreshHold } from "../analytics/refresh-queue";
import type { AccountMoveOp, AccountRepository, StoredAccount } from "../db/accounts";
import { limiter, mapLimit, putBatch } from "../db/batch";
import type { CategoryRepository } from "../db/categories";
import { type IdempotencyStore, IdempotentReplay } from "../db/idempotency";
import {
  type ImportLeases,
  type ImportRecordRepository,
  type Lease,
  LeaseKeeper,
  LeaseLost,
  type PendingChunk,
} from "../db/imports";
import { firstAccountId, keys, type Owner, ownerKey } from "../db/keys";
import type { MerchantRepository } from "../db/merchants";
import { type MonthTotalsRepository, totalsDeltaOp } from "../db/month-totals";
import type { RuleRepository } from "../db/rules";
import type { Store } from "../db/store";
import { commit, MAX_OPS_PER_WRITE, writeOne } from "../db/transact";
import type { TransactionRecord, TransactionRepository } from "../db/transactions";
import {
  accountMoveOps,
  categoryUses,
  ledgerOps,
  openAccount,
  type TransactionService,
  transferPair,
} from "../domain/transactions";
import { DomainError, invalidField, isFailure, notFound } from "../errors";
import { log } from "../log";
import type { Uploads } from "../storage/uploads";
import { importTransactionId } from "./fingerprint";
import type { ImportJob, ImportQueue } from "./import-job";
import { linked, type Placement, placeRows, toLink, withOtherLeg } from "./reconcile-import";
import { type ImportRecovery, INTERRUPTED } from "./recovery";
import type { StatementReader } from "./statement-reader";
import { assertImportFits } from "./totals-fit";
import { prepareTycheExport, type TycheExtras, writeTycheCategories } from "./tyche-import";

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Rows counted in one transaction: 2,000 items to write in 84 BatchWriteItem calls. */
const ROWS_PER_CHUNK = 1_000;
/**
 * Categories and accounts one chunk may name: one use-count or balance op each, beside totals,
 * progress, lease and audit.
 */
const CATEGORIES_PER_CHUNK = MAX_OPS_PER_WRITE - 7;
/** BatchWriteItem calls in flight across the file. */
const LANES = 8;
/** Chunks counted and still being written: bounds the lease's pending list to under a thousand rows. */
const CHUNKS_IN_FLIGHT = 3;
/** A row and its pointer always travel in the same call: 12 pairs fill 24 of its 25 slots. */
const PAIRS_PER_BATCH = 12;
const MAX_ERRORS_KEPT = 500;
/** Rows categorised between two turns of the event loop, so other requests keep being answered. */
const YIELD_EVERY = 500;
/** Matched transactions linked per write: a split one rewrites its parts too, so well under 100 ops. */
const LINKS_PER_WRITE = 20;
const PREVIEW_ROWS = 1_000;
/** How far around the file's dates its rows are reconciled: a posted bill's window may be the wider. */
const AROUND_DAYS = Math.max(MATCH_WINDOW_DAYS, MAX_RECURRING_WINDOW_DAYS);

export interface ImportDeps {
  store: Store;
  transactions: TransactionRepository;
  service: TransactionService;
  categories: CategoryRepository;
  accounts: AccountRepository;
  rules: RuleRepository;
  merchants: MerchantRepository;
  records: ImportRecordRepository;
  leases: ImportLeases;
  recovery: ImportRecovery;
  idempotency: IdempotencyStore;
  totals: MonthTotalsRepository;
  statements: StatementReader;
  /** Where months changed are refreshed; an import holds its user's until it ends. */
  refresh?: RefreshHold;
  /** Files sent ahead (POST /v1/uploads), and where a queued import's file waits for its worker. */
  uploads: Uploads;
  /**
   * Where an import answered with 202 is written: without a queue, in this process after the
   * answer (the local server); with one, in an invocation of its own (AWS, where a Lambda is
   * frozen once it has answered).
   */
  queue?: ImportQueue;
}

/** A bank file: its bytes, and where it is stored when it came as an upload. */
export interface ImportFile {
  name?: string;
  bytes: Uint8Array;
  /** Its key in the file storage: let go once the import has written it. */
  key?: string;
}

/** How long a queued import's lease waits for its worker to take it up before it counts as dead. */
export const HANDOFF_LEASE_MS = 15 * 60_000;

/** Chunks of one month each, of at most ROWS_PER_CHUNK rows naming at most CATEGORIES_PER_CHUNK categories. */
function chunkRows(rows: TransactionRecord[]): TransactionRecord[][] {
  const chunks: TransactionRecord[][] = [];
  let chunk: TransactionRecord[] = [];
  let named = new Set<string>();
  // Key order (date, then id: imported rows share their day's time part), so each chunk is a span.
  const inKeyOrder = [...rows].sort(
    (a, b) => a.date.localeCompare(b.date) || a.transactionId.localeCompare(b.transactionId),
  );
  for (const r of inKeyOrder) {
    // Each account a chunk moves is an op too (a Tyche export's transfers reach other accounts).
    const ids = [...categoryUses([], [r]).map((u) => u.categoryId), `account#${r.accountId}`];
    const wider = new Set([...named, ...ids]);
    const first = chunk[0];
    if (
      first &&
      (first.date.slice(0, 7) !== r.date.slice(0, 7) ||
        chunk.length >= ROWS_PER_CHUNK ||
        wider.size > CATEGORIES_PER_CHUNK)
    ) {
      chunks.push(chunk);
      chunk = [];
      named = new Set(ids);
    } else named = wider;
    chunk.push(r);
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/** The import choices remembered for an account, those that still read as options. */
function rememberedOptions(account: StoredAccount): ImportOptions {
  const parsed = ImportOptions.safeParse(account.importOptions ?? {});
  return parsed.success ? parsed.data : {};
}

/** The months an import adds rows to or links transactions in: where an undo looks for them. */
function touchedMonths(p: Prepared): string[] {
  const months = new Set<string>();
  for (const r of p.records) if (r) months.add(r.date.slice(0, 7));
  for (const placement of p.placements) {
    const stored = toLink(placement);
    if (stored) months.add(stored.date.slice(0, 7));
  }
  return [...months].sort();
}

/**
 * The account on the other side of a file's payments and transfers: the one the options name; for
 * a card, the first open checking account (else the first open account that is not a card); for
 * another account, the only open card, else the only other open account. None: the rows are kept
 * as spending or income.
 */
function counterpartAccount(
  accounts: ReadonlyMap<string, StoredAccount>,
  account: StoredAccount,
  named: string | undefined,
): StoredAccount | undefined {
  const others = [...accounts.values()]
    .filter((a) => !a.closed && a.accountId !== account.accountId && a.currency === account.currency)
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  if (named) {
    const chosen = others.find((a) => a.accountId === named);
    if (!chosen)
      throw invalidField(
        "options.transferAccountId",
        "is not another open account of yours in the same currency",
      );
    return chosen;
  }
  if (account.type === "credit-card") {
    return others.find((a) => a.type === "checking") ?? others.find((a) => a.type !== "credit-card");
  }
  const cards = others.filter((a) => a.type === "credit-card");
  if (cards.length === 1) return cards[0];
  return others.length === 1 ? others[0] : undefined;
}

/** A transfer row with no account on the other side: what it is to this account alone. */
function fallbackKind(row: ParsedRow, account: StoredAccount): "expense" | "income" | "refund" {
  if (row.direction === "debit") return "expense";
  return account.type === "credit-card" ? "refund" : "income";
}

const matchedId = (p: Placement | undefined) => (p?.kind === "matched" ? p.transactionId : null);

function ambiguousRows(p: Pick<Prepared, "rows" | "placements">) {
  return p.placements.flatMap((placement, i) =>
    placement.kind === "ambiguous" ? [{ line: p.rows[i]?.line ?? 0, candidates: placement.candidates }] : [],
  );
}

const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Imported rows order within their day by id: the sort key's time part is the day itself. */
const importRecordedAt = (date: string) => Date.parse(`${date}T00:00:00Z`);

interface Prepared {
  account: StoredAccount;
  guesses: StatementGuesses;
  skipped: ImportSkippedRow[];
  /** The counterpart legs of rows that are transfers. */
  otherLegs: TransactionRecord[];
  options: ImportOptions;
  accounts: ReadonlyMap<string, StoredAccount>;
  format: "csv" | "ofx";
  rows: ParsedRow[];
  errors: ImportRowError[];
  duplicate: boolean[];
  /** What becomes of each row: added, a duplicate, linked to a transaction already there, or ambiguous. */
  placements: Placement[];
  bankIds: (string | null)[];
  records: (TransactionRecord | null)[];
  /** A Tyche export's: the categories its rows need, created before they are written (tyche-import.ts). */
  tyche?: TycheExtras;
}

/**
 * Imports bank files: parse, recognise rows already recorded (by OFX FITID or a CSV row's
 * fingerprint, turned into the transaction id), categorise like a hand-entered transaction, and
 * write the rows in batches, each chunk counted into its month's totals in an audited transaction.
 */
export class ImportService {
  constructor(private readonly d: ImportDeps) {}

  /** The bank file of an upload of the owner's (POST /v1/uploads). */
  async uploaded(owner: Owner, uploadId: string, name?: string): Promise<ImportFile> {
    const { key, bytes } = await this.d.uploads.read(owner, uploadId);
    return { ...(name ? { name } : {}), bytes, key };
  }

  /** Reads the file and decides every row; `file.bytes` goes to the parsing worker and is empty after. */
  async prepare(
    owner: Owner,
    file: ImportFile,
    requested: ImportOptions,
    accountId: string | undefined,
  ): Promise<Prepared> {
    if (file.bytes.byteLength > MAX_IMPORT_BYTES) {
      throw new DomainError("too-large", "Bank files are limited to 10 MB");
    }
    // The account first: its kind informs the reading, and the choices remembered from its last
    // file apply unless this request overrides them.
    const accounts = await this.d.accounts.byId(owner, true);
    const account = openAccount(accounts, accountId, "accountId");
    const options: ImportOptions = { ...rememberedOptions(account), ...requested };
    // Read in a worker, so a big or hostile file never holds up anyone else's requests. The bytes
    // move there without a copy: nothing below reads them again (`run` hashed them before).
    // Ids are derived within the account; the first account keeps the derivation from before
    // accounts, so a file imported then is still recognised.
    const idScope = account.accountId === firstAccountId(ownerKey(owner)) ? "" : `${account.accountId}#`;
    const reading = await this.d.statements.read(
      file,
      { options, accountType: account.type, idScope },
      { transfer: true },
    );
    // Tyche's own export, recognised by the parsing worker, has its own ids (imports/tyche-import.ts).
    if (reading.format === "tyche")
      return { ...(await prepareTycheExport(this.d, owner, reading, account, accounts)), options };
    const { format, rows, errors, skipped, guesses, ids, merchants } = reading;
    const bankIds = rows.map((r) => r.bankId ?? null);
    const counterpart = counterpartAccount(accounts, account, options.transferAccountId);
    const merchantKeys = merchants.map((m) => m.key).filter(Boolean);
    const [existing, inAccount, categories, rules, learned, totals] = await Promise.all([
      this.d.transactions.existingIds(owner, ids),
      this.around(owner, account.accountId, rows),
      this.d.categories.byId(owner, true),
      this.d.rules.list(owner),
      this.d.merchants.learnedCategories(owner, merchantKeys),
      this.d.totals.getMany(owner, [...new Set(rows.map((r) => r.date.slice(0, 7)))]),
    ]);

    const placements = placeRows(
      rows.map((row, i) => ({
        id: ids[i] as string,
        date: row.date,
        amount: row.amount,
        direction: row.direction === "credit" ? 1 : -1,
        merchantKey: merchants[i]?.key ?? "",
        bankId: bankIds[i] ?? null,
        pending: row.pending,
      })),
      inAccount,
      existing,
    );
    const duplicate = placements.map((p) => p.kind === "duplicate");
    // The other legs of rows that are transfers: in the counterpart account, with ids derived from
    // the row's, so the file imported again recognises them too.
    const otherLegs: TransactionRecord[] = [];
    const build = (row: ParsedRow, i: number): TransactionRecord | null => {
      if (placements[i]?.kind !== "new") return null;
      const id = ids[i] as string;
      const kind = row.kind === "transfer" && !counterpart ? fallbackKind(row, account) : row.kind;
      const base = this.d.service.buildNew(
        {
          date: row.date,
          amount: row.amount,
          type: kind,
          ...(row.merchantRaw ? { merchant: row.merchantRaw.slice(0, 200) } : {}),
          description: row.description.slice(0, 500),
        },
        categories,
        // Keys come from the row's content alone: written twice, a row is still one item.
        {
          account,
          rules,
          learned,
          transactionId: id,
          recordedAt: importRecordedAt(row.date),
          bank: { bankId: bankIds[i] ?? null, pending: row.pending },
        },
      );
      if (kind !== "transfer" || !counterpart) return base;
      const pairId = importTransactionId(row.date, `${id}#pair`);
      // Money out of this account: this row is the out leg; into it, the in leg.
      const [out, into] =
        row.direction === "debit"
          ? transferPair(base, account, counterpart, pairId)
          : transferPair(
              { ...base, transactionId: pairId, bankId: null, cleared: false },
              counterpart,
              account,
              id,
            );
      const mine = row.direction === "debit" ? out : { ...into, bankId: base.bankId, cleared: true };
      otherLegs.push(row.direction === "debit" ? { ...into, bankId: null, cleared: false } : out);
      return mine;
    };
    const records: (TransactionRecord | null)[] = [];
    for (const [i, row] of rows.entries()) {
      // Let other requests in now and then: a big file's rows take a while to categorise.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
      records.push(build(row, i));
    }
    assertImportFits(totals, [...records, ...otherLegs]);
    return {
      account,
      accounts,
      options,
      format,
      guesses,
      rows,
      skipped,
      errors,
      duplicate,
      placements,
      bankIds,
      records,
      otherLegs,
    };
  }

  /**
   * The account's transactions around the file's dates, read strongly: what its rows are
   * reconciled with. A person's entry and the bank's row may be a few days apart.
   */
  private async around(
    owner: Owner,
    accountId: string,
    rows: readonly ParsedRow[],
  ): Promise<TransactionRecord[]> {
    if (!rows.length) return [];
    const dates = rows.map((r) => r.date).sort();
    const out: TransactionRecord[] = [];
    for await (const r of this.d.transactions.between(
      owner,
      shiftDate(dates[0] as string, -AROUND_DAYS),
      shiftDate(dates[dates.length - 1] as string, AROUND_DAYS),
      true,
    )) {
      if (r.accountId === accountId) out.push(r);
    }
    return out;
  }

  /** A dry run: everything but the writes, and no lease, since nothing changes. */
  async preview(
    owner: Owner,
    file: ImportFile,
    options: ImportOptions,
    accountId: string | undefined,
  ): Promise<ImportPreview> {
    const p = await this.prepare(owner, file, options, accountId);
    return {
      dryRun: true,
      format: p.format,
      dialect: { ...p.guesses },
      guesses: p.guesses,
      counts: this.counts(p),
      rows: p.rows.slice(0, PREVIEW_ROWS).map((row, i) => {
        const r = p.records[i];
        return {
          line: row.line,
          date: row.date,
          amount: row.amount,
          type: r?.type ?? row.kind,
          direction: row.direction,
          pending: row.pending,
          fee: row.fee ?? null,
          bankId: row.bankId ?? null,
          paymentLike: row.paymentLike,
          merchant: r?.merchant ?? null,
          merchantRaw: row.merchantRaw || null,
          description: row.description,
          categoryId: r?.categoryId ?? null,
          categorizedBy: r?.categorizedBy ?? "none",
          duplicate: p.duplicate[i] ?? false,
          outcome: p.placements[i]?.kind ?? "new",
          matchedTransactionId: matchedId(p.placements[i]),
        };
      }),
      skipped: p.skipped,
      errors: p.errors,
      ambiguous: ambiguousRows(p),
    };
  }

  /**
   * Runs an import request: a dry run previews; otherwise the user's lease is taken (an import cut
   * off before is repaired first), the file is read, and its rows are written. With an idempotency
   * key, a retry answers as the first request did. `respondAsync`: answer 202 once the import is
   * recorded and write in the background.
   */
  async run(
    owner: Owner,
    file: ImportFile,
    options: ImportOptions,
    request: { dryRun: boolean; idempotencyKey?: string; respondAsync: boolean; accountId?: string },
  ): Promise<{ status: 200 | 201 | 202; body: ImportPreview | ImportRecord }> {
    if (request.dryRun)
      return { status: 200, body: await this.preview(owner, file, options, request.accountId) };
    // The months an import touches are refreshed once, when it ends, not once per chunk.
    const release = this.d.refresh?.hold(owner) ?? (() => undefined);
    let handedOff = false;
    try {
      return await this.runHeld(owner, file, options, request, (work) => {
        handedOff = true;
        return work.finally(release);
      });
    } finally {
      if (!handedOff) release();
    }
  }

  private async runHeld(
    owner: Owner,
    file: ImportFile,
    options: ImportOptions,
    request: { idempotencyKey?: string; respondAsync: boolean; accountId?: string },
    handOff: (work: Promise<ImportRecord>) => Promise<ImportRecord>,
  ): Promise<{ status: 201 | 202; body: ImportRecord }> {
    const key = request.idempotencyKey;
    const hash = createHash("sha256")
      .update(file.bytes)
      .update(JSON.stringify({ options, accountId: request.accountId ?? null }))
      .digest("base64url");
    const replayed = async () => {
      const first = key ? await this.d.idempotency.find(owner, "imports", key, hash) : undefined;
      return first && { status: first.status as 201 | 202, body: first.body as ImportRecord };
    };
    const replay = await replayed();
    if (replay) return replay;

    const importId = ulid();
    let dead: Lease | undefined;
    try {
      dead = await this.d.leases.acquire(owner, importId);
    } catch (err) {
      // The same request is already running under this key: answer as it did.
      const first = isFailure(err, "conflict") ? await replayed() : undefined;
      if (first) return first;
      throw err;
    }
    const keeper = new LeaseKeeper(this.d.leases, owner, importId);
    if (dead) {
      try {
        await this.d.recovery.repair(owner, dead, keeper);
      } catch (err) {
        // The lease keeps what the dead import left; once it expires, the next attempt (or a
        // restart) repairs it again. Releasing it here would lose that.
        keeper.stop();
        throw err;
      }
    }
    const queue = request.respondAsync ? this.d.queue : undefined;
    let begun: { record: ImportRecord; prepared: Prepared; key: string | undefined };
    try {
      // A queued import's worker reads the file from storage: it goes there before the parser
      // takes the bytes (an upload is there already).
      const key = queue && !file.key ? await this.d.uploads.keep(owner, importId, file.bytes) : file.key;
      const prepared = await this.prepare(owner, file, options, request.accountId);
      keeper.assertHeld();
      await writeTycheCategories(this.d, owner, prepared.tyche, importId);
      const record = await this.start(owner, prepared, file.name || null, importId);
      begun = { record, prepared, key };
    } catch (err) {
      keeper.stop();
      await this.d.leases.release(owner, importId);
      throw err;
    }
    if (key) {
      try {
        await this.d.idempotency.claim(owner, "imports", key, hash, { status: 202, body: begun.record });
      } catch (err) {
        keeper.stop();
        await this.d.records.finish(owner, importId, "failed", "Superseded by a concurrent retry");
        await this.d.leases.release(owner, importId);
        const first = err instanceof IdempotentReplay ? await replayed() : undefined;
        if (first) return first;
        throw err;
      }
    }
    if (queue && begun.key) {
      await this.handOffToQueue(owner, queue, keeper, {
        tenantId: owner.tenantId,
        userId: owner.userId,
        importId,
        key: begun.key,
        fileName: begun.record.fileName,
        options,
        ...(request.accountId ? { accountId: request.accountId } : {}),
      });
      return { status: 202, body: begun.record };
    }
    const work = handOff(this.writeAndLetGo(owner, begun.prepared, importId, keeper, begun.key));
    if (request.respondAsync) {
      void work.catch((err) => log().error({ err, importId }, "import failed"));
      return { status: 202, body: begun.record };
    }
    const done = await work;
    if (key) await this.d.idempotency.settle(owner, "imports", key, hash, { status: 201, body: done });
    return { status: 201, body: done };
  }

  /**
   * Leaves the import to a worker of its own: the lease is kept for it (long enough to wait its
   * turn in the queue), and this process stops renewing it. A job that cannot be sent fails the
   * import now, rather than leaving it to look queued until its lease runs out.
   */
  private async handOffToQueue(owner: Owner, queue: ImportQueue, keeper: LeaseKeeper, job: ImportJob) {
    keeper.stop();
    try {
      await this.d.leases.refresh(owner, job.importId, undefined, HANDOFF_LEASE_MS);
      await queue.send(job);
    } catch (err) {
      await this.d.records.finish(
        owner,
        job.importId,
        "failed",
        "Could not be queued; import the file again",
      );
      await this.d.leases.release(owner, job.importId);
      throw err;
    }
  }

  /** Writes the rows, then lets the stored file go: once the import is complete nothing reads it again. */
  private async writeAndLetGo(
    owner: Owner,
    p: Prepared,
    importId: string,
    keeper: LeaseKeeper,
    key: string | undefined,
  ): Promise<ImportRecord> {
    const done = await this.write(owner, p, importId, keeper);
    if (key && done.status === "completed") await this.d.uploads.discard(key);
    return done;
  }

  /**
   * A queued import, in the worker's invocation: the file is read again from storage and written
   * under the lease the API kept for it, with the same record the API made (its counts redone from
   * this reading). A job whose import has ended, or whose lease another process has taken, is
   * done already. A job delivered again after its first run died midway is repaired, not re-run:
   * the record then says it was interrupted, as after a crash of the local server.
   */
  async resume(job: ImportJob): Promise<ImportRecord | undefined> {
    const owner: Owner = { tenantId: job.tenantId, userId: job.userId };
    const record = await this.d.records.find(owner, job.importId);
    if (record?.status !== "running") return record;
    const lease = await this.d.leases.find(owner);
    if (!lease || lease.holder !== job.importId) {
      // Taken over (its holder repairs and finishes it) or already let go: nothing for this run.
      if (!lease) await this.d.records.finish(owner, job.importId, "failed", INTERRUPTED);
      return this.d.records.find(owner, job.importId);
    }
    const keeper = new LeaseKeeper(this.d.leases, owner, job.importId);
    try {
      await this.d.leases.refresh(owner, job.importId);
      keeper.refreshed();
      if (lease.pending.length || lease.months.length || record.processed > 0) {
        // A failed repair keeps the lease, and with it what to repair, for the next import.
        await this.d.recovery.repair(owner, lease, keeper);
        await this.d.leases.release(owner, job.importId);
      } else await this.writeJob(owner, job, record, keeper);
    } catch (err) {
      if (!(err instanceof LeaseLost)) log().error({ err, importId: job.importId }, "import failed");
    } finally {
      keeper.stop();
    }
    return this.d.records.find(owner, job.importId);
  }

  private async writeJob(owner: Owner, job: ImportJob, record: ImportRecord, keeper: LeaseKeeper) {
    let prepared: Prepared;
    try {
      const bytes = await this.d.uploads.get(job.key);
      if (!bytes) throw new DomainError("invalid", "The file to import is gone from storage");
      const name = job.fileName ?? undefined;
      prepared = await this.prepare(owner, { ...(name ? { name } : {}), bytes }, job.options, job.accountId);
      keeper.assertHeld();
      await writeTycheCategories(this.d, owner, prepared.tyche, job.importId);
      await this.d.records.restart(
        owner,
        this.recordOf(prepared, record.fileName, job.importId, record.startedAt),
      );
    } catch (err) {
      // Nothing was counted yet, so there is nothing to repair: the import just fails.
      if (!(err instanceof LeaseLost)) {
        const why = err instanceof Error ? err.message : String(err);
        await this.d.records.finish(owner, job.importId, "failed", `${why}. Import the file again.`);
        await this.d.leases.release(owner, job.importId);
      }
      throw err;
    }
    // From here on, `write` repairs what it leaves and finishes the record itself.
    const release = this.d.refresh?.hold(owner) ?? (() => undefined);
    try {
      await this.writeAndLetGo(owner, prepared, job.importId, keeper, job.key);
    } finally {
      release();
    }
  }

  /**
   * An import's record. One still `running` whose lease has expired was cut off (on AWS no restart
   * comes to repair it): it is repaired now, so nobody watches a dead import run for ever.
   */
  async get(owner: Owner, importId: string): Promise<ImportRecord> {
    const record = await this.d.records.find(owner, importId);
    if (!record) throw notFound("Import");
    if (record.status !== "running") return record;
    const lease = await this.d.leases.find(owner);
    if (lease && lease.expiresAt > Date.now()) return record;
    if (lease) await this.d.recovery.recoverOne(owner, lease);
    else await this.d.records.finish(owner, importId, "failed", INTERRUPTED);
    return (await this.d.records.find(owner, importId)) ?? record;
  }

  private async start(
    owner: Owner,
    p: Prepared,
    fileName: string | null,
    importId: string,
  ): Promise<ImportRecord> {
    const record = this.recordOf(p, fileName, importId, new Date().toISOString());
    await this.d.records.create(owner, record);
    return record;
  }

  /** The record of an import about to write what `p` decided. */
  private recordOf(p: Prepared, fileName: string | null, importId: string, startedAt: string): ImportRecord {
    const counts = this.counts(p);
    return {
      importId,
      status: "running",
      fileName,
      format: p.format,
      total: counts.imported,
      processed: 0,
      counts: { ...counts, imported: 0 },
      errors: p.errors.slice(0, MAX_ERRORS_KEPT),
      ambiguous: ambiguousRows(p).slice(0, MAX_ERRORS_KEPT),
      skipped: p.skipped.slice(0, MAX_ERRORS_KEPT),
      startedAt,
      finishedAt: null,
      failure: null,
      accountId: p.account.accountId,
      months: touchedMonths(p),
      undoneAt: null,
    };
  }

  /**
   * Writes the fresh rows chunk by chunk. Each chunk (a run of one month's rows in key order) is
   * first counted, in one audited transaction: its month's totals, its categories' use counts, the
   * import's progress, and the lease, which records the chunk as pending (its key span and use
   * counts). Then its rows go in by BatchWriteItem, each row with its id pointer in the same call.
   * A crash between the two leaves the lease naming exactly what to check (`ImportRecovery`). A
   * few chunks are in flight at once, so counting one overlaps with writing those before it.
   */
  private async write(
    owner: Owner,
    p: Prepared,
    importId: string,
    keeper: LeaseKeeper,
  ): Promise<ImportRecord> {
    const fresh = [...p.records.filter((r): r is TransactionRecord => r !== null), ...p.otherLegs].map(
      (r) => ({
        ...r,
        importId,
      }),
    );
    const chunks = chunkRows(fresh);
    const months = [...new Set(fresh.map((r) => r.date.slice(0, 7)))];
    const pending = new Map<number, PendingChunk>();
    // Rows of chunks whose every row is in: what `processed` says, so progress never runs ahead.
    let written = 0;
    // The lanes are shared by the chunks in flight, so they stay busy while the next chunk is counted.
    const lanes = limiter(LANES);
    const importedAt = {
      accountId: p.account.accountId,
      at: new Date().toISOString(),
      options: { ...p.options } as Record<string, unknown>,
    };
    try {
      await this.d.leases.refresh(owner, importId, { months, pending: [] });
      keeper.refreshed();
      const writing = new Set<Promise<void>>();
      for (const [i, rows] of chunks.entries()) {
        while (writing.size >= CHUNKS_IN_FLIGHT) await Promise.race(writing);
        keeper.assertHeld();
        const chunk = this.pendingChunk(owner, rows);
        pending.set(i, chunk);
        await this.countChunk(
          owner,
          importId,
          rows,
          chunk,
          [...pending.values()],
          written,
          p.accounts,
          i === 0 ? importedAt : undefined,
        );
        keeper.refreshed();
        const landed: Promise<void> = this.writeRows(owner, rows, keeper, lanes).then(() => {
          pending.delete(i);
          writing.delete(landed);
          // Rows of the file, not the other legs of its transfers.
          written += rows.filter((r) => r.accountId === p.account.accountId).length;
        });
        // A failed chunk is reported by Promise.all below; this only keeps the loop going until then.
        landed.catch(() => writing.delete(landed));
        writing.add(landed);
      }
      await Promise.all(writing);
      await this.writeLinks(owner, importId, p);
      await this.countMerchants(owner, fresh);
      // A file with nothing new still counts as this account's last import.
      if (!chunks.length) {
        await writeOne(
          this.d.store.db,
          this.d.accounts.importedOp(owner, importedAt.accountId, importedAt.at, importedAt.options),
        );
      }
      await this.d.records.finish(owner, importId, "completed", null, written);
    } catch (err) {
      if (err instanceof LeaseLost) {
        // Whoever took the lease over repairs what this import left.
        keeper.stop();
        throw err;
      }
      const why = err instanceof Error ? err.message : String(err);
      try {
        // Still the holder: undo what was counted but not written, now rather than after a restart.
        await this.d.recovery.repair(
          owner,
          { importId, months, pending: [...pending.values()] },
          keeper,
          `${why}. ${INTERRUPTED}`,
        );
      } catch (repairError) {
        // Keep the lease, and with it what to repair, for the next import or a restart.
        log().error({ err: repairError, importId }, "import repair failed");
        throw err;
      } finally {
        keeper.stop();
      }
      await this.d.leases.release(owner, importId);
      throw err;
    }
    keeper.stop();
    await this.d.leases.release(owner, importId);
    return this.get(owner, importId);
  }

  private pendingChunk(owner: Owner, rows: TransactionRecord[]): PendingChunk {
    const sk = (r: TransactionRecord) => keys.transaction(owner, r.date, r.recordedAt, r.transactionId).SK;
    const uses: Record<string, number> = {};
    for (const r of rows) {
      for (const u of categoryUses([], [r])) uses[u.categoryId] = (uses[u.categoryId] ?? 0) + 1;
    }
    return {
      low: sk(rows[0] as TransactionRecord),
      high: sk(rows[rows.length - 1] as TransactionRecord),
      uses,
      accounts: Object.fromEntries(
        accountMoves([], rows).map((m) => [m.accountId, { net: m.net, count: m.count }]),
      ),
    };
  }

  /** A chunk's rows, each with its id pointer in the same BatchWriteItem call. */
  private async writeRows(
    owner: Owner,
    rows: TransactionRecord[],
    keeper: LeaseKeeper,
    lanes: <T>(task: () => Promise<T>) => Promise<T>,
  ): Promise<void> {
    const pairs = rows.map((r) => this.d.transactions.newItems(owner, r));
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < pairs.length; i += PAIRS_PER_BATCH)
      batches.push(pairs.slice(i, i + PAIRS_PER_BATCH).flat());
    await Promise.all(
      batches.map((items) =>
        lanes(async () => {
          keeper.assertHeld();
          await putBatch(this.d.store.db, this.d.store.tables.transactionDetails, items);
        }),
      ),
    );
  }

  private async countChunk(
    owner: Owner,
    importId: string,
    rows: TransactionRecord[],
    chunk: PendingChunk,
    pending: PendingChunk[],
    written: number,
    accounts: ReadonlyMap<string, StoredAccount>,
    /** The first chunk also records the import on its account. */
    imported: ({ accountId: string } & NonNullable<AccountMoveOp["imported"]>) | undefined,
  ) {
    const totals = mergeDeltas(rows.flatMap((r) => ledgerDeltas(undefined, r)));
    await commit(
      this.d.store,
      {
        owner,
        action: "import.chunk",
        entityId: importId,
        // The rows are this import's in the chunk's key span: what they are is stored beside them.
        after: { rows: rows.length, low: chunk.low, high: chunk.high, uses: chunk.uses },
      },
      [
        ...totals.map((d) => totalsDeltaOp(this.d.store, owner, d)),
        ...this.d.categories.useOps(
          owner,
          Object.entries(chunk.uses).map(([categoryId, delta]) => ({
            categoryId,
            delta,
            fresh: false,
            path: "file",
          })),
        ),
        ...this.d.accounts.moveOps(
          owner,
          accountMoveOps([], rows, accounts).map((m) =>
            imported && m.accountId === imported.accountId ? { ...m, imported } : m,
          ),
        ),
        this.d.records.progressOp(owner, importId, written),
        this.d.leases.refreshOp(owner, importId, { pending }),
      ],
    );
  }

  /** Merchant use counts rank autocomplete only, so they follow the rows rather than ride with them. */
  private async countMerchants(owner: Owner, rows: TransactionRecord[]): Promise<void> {
    const uses = new Map<string, { name: string; delta: number }>();
    for (const r of rows) {
      // A transfer's merchant is counted once, on the leg the money left from.
      if (!r.merchantKey || r.transfer?.direction === "in") continue;
      const u = uses.get(r.merchantKey) ?? { name: r.merchant ?? "", delta: 0 };
      u.delta += 1;
      uses.set(r.merchantKey, u);
    }
    await mapLimit([...uses], LANES, async ([key, u]) => {
      await writeOne(this.d.store.db, this.d.merchants.useOp(owner, { key, ...u }));
    });
  }

  /**
   * Links rows to the transactions they matched: each gains the bank's id and is marked cleared
   * (and settled), in audited transactions checked against the version read. One changed meanwhile
   * is looked at no further: the row stays matched, and nothing is doubled.
   */
  private async writeLinks(owner: Owner, importId: string, p: Prepared): Promise<void> {
    const changes: [TransactionRecord, TransactionRecord][] = [];
    const reamounted: [TransactionRecord, TransactionRecord][] = [];
    p.placements.forEach((placement, i) => {
      const stored = toLink(placement);
      const row = {
        bankId: p.bankIds[i] ?? null,
        pending: p.rows[i]?.pending ?? false,
        amount: p.rows[i]?.amount ?? stored?.amount ?? 0,
      };
      if (!stored) return;
      const after = linked(stored, row, importId);
      (after.amount === stored.amount ? changes : reamounted).push([stored, after]);
    });
    for (const [before, after] of reamounted)
      await this.writeReamounted(owner, importId, before, after, p.accounts);
    for (let i = 0; i < changes.length; i += LINKS_PER_WRITE) {
      const group = changes.slice(i, i + LINKS_PER_WRITE);
      const write = (g: typeof group) =>
        commit(
          this.d.store,
          {
            owner,
            action: "import.link",
            entityId: importId,
            after: { linked: g.map(([, a]) => a.transactionId) },
          },
          g.flatMap(([before, after]) => this.d.transactions.replaceOps(owner, before, after)),
        );
      try {
        await write(group);
      } catch (err) {
        if (!isFailure(err, "version-mismatch")) throw err;
        // One of them changed since it was read: link the others one by one.
        for (const one of group)
          await write([one]).catch((e) => {
            if (!isFailure(e, "version-mismatch")) throw e;
          });
      }
    }
  }

  /**
   * Links a posted recurring bill that the bank charged a little differently: it takes the bank's
   * amount, and so does a transfer's other leg, with the totals and balances the difference moves,
   * all in one audited write. One changed meanwhile is left as it is, like any link.
   */
  private async writeReamounted(
    owner: Owner,
    importId: string,
    before: TransactionRecord,
    after: TransactionRecord,
    accounts: ReadonlyMap<string, StoredAccount>,
  ): Promise<void> {
    const { befores, afters } = await withOtherLeg(
      (id) => this.d.transactions.find(owner, id),
      before,
      after,
    );
    try {
      await commit(
        this.d.store,
        { owner, action: "import.link", entityId: importId, before: befores, after: afters },
        [
          ...afters.flatMap((a, i) =>
            this.d.transactions.replaceOps(owner, befores[i] as TransactionRecord, a),
          ),
          ...ledgerOps(this.d.store, this.d.accounts, owner, befores, afters, accounts),
        ],
      );
    } catch (err) {
      if (!isFailure(err, "version-mismatch")) throw err;
    }
  }

  /** What the file holds; `imported` is what a real import will write. */
  private counts(p: Prepared) {
    const count = (kind: Placement["kind"]) => p.placements.filter((x) => x.kind === kind).length;
    return {
      rows: p.rows.length,
      imported: count("new"),
      matched: count("matched"),
      duplicates: count("duplicate"),
      ambiguous: count("ambiguous"),
      skipped: p.skipped.length,
      failed: p.errors.length,
    };
  }
}
