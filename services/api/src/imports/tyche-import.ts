import {
  DEFAULT_CATEGORIES,
  normalizeMerchant,
  normalizeTypedMerchant,
  type ParsedRow,
  RESERVED_CATEGORY_SLUGS,
  slugify,
} from "@tyche/core";
import {
  type Category,
  type CategoryGroup,
  type StatementGuesses,
  type TextEncoding,
  TransactionCreate,
} from "@tyche/types";
import { ulid } from "ulid";
import type { StoredAccount } from "../db/accounts";
import { mapLimit } from "../db/batch";
import type { CategoryRepository } from "../db/categories";
import type { Owner } from "../db/keys";
import type { MonthTotalsRepository } from "../db/month-totals";
import { Quotas } from "../db/quotas";
import type { Store } from "../db/store";
import { commit, MAX_OPS_PER_WRITE, type WriteOp } from "../db/transact";
import type { TransactionRecord, TransactionRepository } from "../db/transactions";
import { type TransactionService, transferPair } from "../domain/transactions";
import { invalidField } from "../errors";
import { TYCHE_EXPORT_HEADER } from "./export-csv";
import { importTransactionId } from "./fingerprint";
import type { Placement } from "./reconcile-import";
import { assertImportFits } from "./totals-fit";
import type { TycheExportRow } from "./tyche-export";

/*
 * ======================================================================================
 * HOOK: Tyche's own export, imported by its own path (called from ImportService.prepare,
 * before the bank readers, when `isTycheExport(text)`; see docs/ARCHITECTURE.md).
 *
 *  - A row exported from the account it is imported into keeps its id: the transaction's own
 *    id, so a re-import finds every row already there and adds nothing.
 *  - Into another account (the same user's or anyone's): ids derived from the target account and
 *    the row's Tyche Id, so importing the same file there twice adds it once.
 *  - Categories by name (case-insensitive; then by slug, which keeps a renamed category's first
 *    name); an archived one is restored, a missing one created, in one audited write of their
 *    own before the rows (`writeTycheCategories`); nothing is categorised by rules or history.
 *  - A transfer row becomes a transfer between the target account and its Transfer Account (by
 *    id, else by a unique name) when that is another open account of the user in the same
 *    currency; otherwise an expense (money out) or income (money in), said in the preview notes.
 *  - A file of several accounts imports the rows of the target account only (by Account Id, else
 *    by its name); it is refused when none are the target's.
 * ======================================================================================
 */

/** Categories the rows need before they can be written. */
export interface CategoryPlan {
  create: Category[];
  restore: { before: Category; after: Category }[];
}

/** What ImportService keeps beside its usual Prepared fields for a Tyche export. */
export interface TycheExtras {
  categories: CategoryPlan;
}

/** ImportService's Prepared, less the options (which the caller adds). */
export interface TychePrepared {
  account: StoredAccount;
  /** The layout, fixed by the header, and what the import decided (in `notes`). */
  guesses: StatementGuesses;
  skipped: [];
  /** The other legs of transfers, each in its own account: written with the rows. */
  otherLegs: TransactionRecord[];
  accounts: ReadonlyMap<string, StoredAccount>;
  format: "csv";
  rows: ParsedRow[];
  errors: [];
  duplicate: boolean[];
  /** Each row is new or already there: a Tyche export is recognised by id, never reconciled by content. */
  placements: Placement[];
  bankIds: (string | null)[];
  records: (TransactionRecord | null)[];
  tyche: TycheExtras;
}

export interface TycheImportDeps {
  transactions: Pick<TransactionRepository, "existingIds" | "find">;
  categories: Pick<CategoryRepository, "byId">;
  totals: Pick<MonthTotalsRepository, "getMany">;
  service: Pick<TransactionService, "buildNew">;
}

/**
 * HOOK for ImportService.prepare: builds what an import into `account` of a Tyche export's rows
 * (read by `readTycheExport`, in the parsing worker) writes. Reads only (ids already recorded,
 * categories, month totals); writes nothing.
 */
export async function prepareTycheExport(
  d: TycheImportDeps,
  owner: Owner,
  file: { rows: readonly TycheExportRow[]; encoding: TextEncoding },
  account: StoredAccount,
  accounts: ReadonlyMap<string, StoredAccount>,
): Promise<TychePrepared> {
  const all = file.rows;
  const { rows, notes } = rowsForAccount(all, account);
  const ctx = { account, accounts };
  const [existing, categories] = await Promise.all([
    d.transactions.existingIds(owner, tycheCandidateIds(rows, ctx)),
    d.categories.byId(owner, true),
  ]);
  const built = tycheExportRecords(rows, {
    ...ctx,
    categories,
    existing,
    build: (input, cats, extra) => d.service.buildNew(input, cats, extra),
  });
  const placements = await settling(d, owner, account, rows, built);
  const fresh = [...built.records, ...built.linked];
  const months = [...new Set(fresh.flatMap((r) => (r ? [r.date.slice(0, 7)] : [])))];
  assertImportFits(await d.totals.getMany(owner, months), fresh);
  const sources = [...new Set(all.map((r) => r.account.name || r.account.id || "?"))].sort();
  return {
    account,
    guesses: tycheGuesses(file.encoding, [
      `Accounts in the file: ${sources.map((n) => `"${n}"`).join(", ")}`,
      ...notes,
      ...built.notes,
    ]),
    skipped: [],
    otherLegs: built.linked,
    accounts,
    format: "csv",
    rows: rows.map((row, i) => previewRow(row, built.kinds[i] ?? row.kind)),
    errors: [],
    duplicate: built.duplicate,
    placements,
    bankIds: rows.map((r) => r.bankId),
    records: built.records,
    tyche: { categories: built.categories },
  };
}

/**
 * Each row new or a duplicate. A duplicate transfer leg that was written from the other account's
 * row (so without a bank id, not cleared) while this row has the bank's details settles it: the
 * import links it as it links a bank row to a pending transaction (ImportService.writeLinks, undone
 * with the import). So a restore comes out the same whichever account's file is imported first.
 */
async function settling(
  d: Pick<TycheImportDeps, "transactions">,
  owner: Owner,
  account: StoredAccount,
  rows: readonly TycheExportRow[],
  built: TycheRecords,
): Promise<Placement[]> {
  return mapLimit(
    rows.map((row, i) => ({ row, i })),
    8,
    async ({ row, i }): Promise<Placement> => {
      if (!built.duplicate[i]) return { kind: "new" };
      if (built.kinds[i] !== "transfer" || !row.bankId || !row.cleared || row.pending)
        return { kind: "duplicate" };
      const stored = await d.transactions.find(owner, built.ids[i] as string);
      const bare = stored && stored.accountId === account.accountId && !stored.bankId && !stored.cleared;
      return bare ? { kind: "duplicate", settles: stored } : { kind: "duplicate" };
    },
  );
}

/**
 * HOOK for ImportService.run, after prepare and before the import is recorded: creates (and
 * restores) the categories the rows name, in audited writes of their own. A dry run never calls it.
 */
export async function writeTycheCategories(
  d: { store: Store; categories: Pick<CategoryRepository, "createOps" | "replaceOp"> },
  owner: Owner,
  extras: TycheExtras | undefined,
  importId: string,
): Promise<void> {
  if (!extras) return;
  const changes: { ops: WriteOp[]; name: string; created?: true }[] = [
    ...extras.categories.create.map((c) => ({
      ops: d.categories.createOps(owner, c),
      name: c.name,
      created: true as const,
    })),
    ...extras.categories.restore.map((r) => ({
      ops: [d.categories.replaceOp(owner, r.before, r.after)],
      name: r.after.name,
    })),
  ];
  let batch: typeof changes = [];
  const flush = async () => {
    if (!batch.length) return;
    const created = batch.filter((b) => b.created).length;
    // Categories a file names count against the cap as those made one by one do.
    const write = (take: WriteOp[]) =>
      commit(
        d.store,
        {
          owner,
          action: "import.categories",
          entityId: importId,
          after: {
            created: extras.categories.create.filter((c) => batch.some((b) => b.name === c.name)),
            restored: extras.categories.restore
              .filter((r) => batch.some((b) => b.name === r.after.name))
              .map((r) => r.after.categoryId),
          },
        },
        [...batch.flatMap((b) => b.ops), ...take],
      );
    await (created
      ? new Quotas(d.store).take(owner, "categories", (take) => write([take]), created)
      : write([]));
    batch = [];
  };
  for (const change of changes) {
    // One place left in each transaction for the counter.
    if (batch.reduce((n, b) => n + b.ops.length, 0) + change.ops.length > MAX_OPS_PER_WRITE - 1)
      await flush();
    batch.push(change);
  }
  await flush();
}

/**
 * The rows an import into `account` reads. A file of one account: all of them. A file of several
 * (an export without ?accountId=): those of the target account, by id, else by its name.
 */
export function rowsForAccount(
  rows: readonly TycheExportRow[],
  account: StoredAccount,
): { rows: TycheExportRow[]; notes: string[] } {
  const source = (r: TycheExportRow) => r.account.id ?? `name:${fold(r.account.name)}`;
  const sources = new Set(rows.map(source));
  if (sources.size <= 1) return { rows: [...rows], notes: [] };
  let mine = rows.filter((r) => r.account.id === account.accountId);
  if (!mine.length) mine = rows.filter((r) => fold(r.account.name) === fold(account.name));
  const names = [...new Set(rows.map((r) => r.account.name || r.account.id || "?"))].sort();
  if (!mine.length) {
    throw invalidField(
      "file",
      `holds the transactions of ${names.length} accounts (${names.join(", ")}) and none is "${account.name}": ` +
        "export one account (?accountId=) to import it into another account",
    );
  }
  return {
    rows: mine,
    notes: [
      `The file holds ${names.length} accounts; only the ${mine.length} rows of "${account.name}" are read, ` +
        `the other ${rows.length - mine.length} are left out (import each account's rows into that account)`,
    ],
  };
}

/** What a row becomes: its kind in Tyche, the accounts it moves and the ids of its records. */
interface Resolved {
  kind: TransactionRecord["type"];
  /** For a transfer: the accounts the money left and reached. */
  from: StoredAccount;
  to: StoredAccount | null;
  /** The record in the target account. */
  ownId: string;
  /** A transfer's other leg, in the other account. */
  otherId: string | null;
  note: string | null;
}

interface ResolveContext {
  account: StoredAccount;
  accounts: ReadonlyMap<string, StoredAccount>;
}

const fold = (s: string) => s.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();

/** The account a transfer row's other side is in this user, if it is one a transfer may name. */
function counterpart(row: TycheExportRow, ctx: ResolveContext): { account: StoredAccount } | { why: string } {
  const named = row.transferAccount;
  if (!named) return { why: "it names no other account" };
  const label = named.name || named.id || "?";
  const unusable = (a: StoredAccount) =>
    a.accountId === ctx.account.accountId
      ? `it is "${a.name}" itself`
      : a.closed
        ? `"${a.name}" is closed`
        : a.currency !== ctx.account.currency
          ? `"${a.name}" is in ${a.currency}, not in ${ctx.account.currency}`
          : null;
  const byId = named.id ? ctx.accounts.get(named.id) : undefined;
  if (byId) {
    const why = unusable(byId);
    return why ? { why } : { account: byId };
  }
  const byName = [...ctx.accounts.values()].filter((a) => named.name && fold(a.name) === fold(named.name));
  const open = byName.filter((a) => !unusable(a));
  if (open.length === 1) return { account: open[0] as StoredAccount };
  if (open.length > 1) return { why: `${open.length} of your accounts are called "${label}"` };
  const only = byName[0];
  return { why: (only && unusable(only)) || `"${label}" is not one of your accounts` };
}

/** Each row's kind, accounts and ids; the same file into the same account always gives the same. */
function resolveAll(rows: readonly TycheExportRow[], ctx: ResolveContext): Resolved[] {
  const target = ctx.account.accountId;
  const occurrences = new Map<string, number>();
  const derive = (date: string, key: string) => importTransactionId(date, `tyche#${key}`);
  return rows.map((row) => {
    const same = row.account.id === target;
    // A row without a Tyche id (added by hand) is known by its content and which occurrence it is.
    let source = row.transactionId;
    if (!source) {
      const content = [row.date, row.direction, row.amount, row.kind, row.merchant, row.description].join(
        "\u001f",
      );
      const n = (occurrences.get(content) ?? 0) + 1;
      occurrences.set(content, n);
      source = `content#${content}#${n}`;
    }
    if (row.kind === "transfer") {
      const other = counterpart(row, ctx);
      if ("account" in other) {
        const out = row.direction === "out";
        const from = out ? ctx.account : other.account;
        const to = out ? other.account : ctx.account;
        if (same && row.transactionId && row.linkedId) {
          // Back into its own account: the pair as it was, both ids as they were.
          return { kind: "transfer", from, to, ownId: row.transactionId, otherId: row.linkedId, note: null };
        }
        // Both legs' rows (one in each account's file) name the same pair: keyed by the out leg's
        // id and the two accounts, whichever of the two files comes in first, the other adds nothing.
        const outSource = out ? row.transactionId : row.linkedId;
        const key = outSource
          ? `transfer#${from.accountId}#${to.accountId}#${outSource}`
          : `${target}#${source}`;
        const outId = derive(row.date, `${key}#out`);
        const inId = derive(row.date, `${key}#in`);
        return {
          kind: "transfer",
          from,
          to,
          ownId: out ? outId : inId,
          otherId: out ? inId : outId,
          note: null,
        };
      }
      const kind = row.direction === "out" ? "expense" : "income";
      return {
        kind,
        from: ctx.account,
        to: null,
        ownId: same && row.transactionId ? row.transactionId : derive(row.date, `${target}#${source}`),
        otherId: null,
        note: `line ${row.line}: the transfer ${row.direction === "out" ? "to" : "from"} "${
          row.transferAccount?.name || row.transferAccount?.id
        }" is imported as ${kind === "expense" ? "an expense" : "income"}: ${other.why}`,
      };
    }
    return {
      kind: row.kind,
      from: ctx.account,
      to: null,
      ownId: same && row.transactionId ? row.transactionId : derive(row.date, `${target}#${source}`),
      otherId: null,
      note: null,
    };
  });
}

/** Every id an import of these rows into `account` would write: what to look up as already there. */
export function tycheCandidateIds(rows: readonly TycheExportRow[], ctx: ResolveContext): string[] {
  return resolveAll(rows, ctx).flatMap((r) => (r.otherId ? [r.ownId, r.otherId] : [r.ownId]));
}

export interface TycheRecords {
  /** Per row: its record in the target account, or null when it is already there. */
  records: (TransactionRecord | null)[];
  /** Per row, the id of its record in the target account. */
  ids: string[];
  /** Per row, the kind it becomes here (a transfer to an account this user lacks: expense or income). */
  kinds: TransactionRecord["type"][];
  duplicate: boolean[];
  /** The other legs of the transfers among `records`. */
  linked: TransactionRecord[];
  categories: CategoryPlan;
  notes: string[];
}

/**
 * The records an import of these rows into `ctx.account` writes, built as hand-entered ones are
 * (`build` is TransactionService.buildNew), with the categories they need. No I/O: `existing` are
 * the ids of `tycheCandidateIds` already recorded, `categories` every category of the user.
 */
export function tycheExportRecords(
  rows: readonly TycheExportRow[],
  ctx: ResolveContext & {
    categories: ReadonlyMap<string, Category>;
    existing: ReadonlySet<string>;
    build: TransactionService["buildNew"];
    now?: Date;
  },
): TycheRecords {
  const resolved = resolveAll(rows, ctx);
  const names = new CategoryNames(ctx.categories, (ctx.now ?? new Date()).toISOString());
  const seen = new Set<string>();
  const notes: string[] = [];
  const linked: TransactionRecord[] = [];
  const duplicate: boolean[] = [];
  const records = rows.map((row, i): TransactionRecord | null => {
    const r = resolved[i] as Resolved;
    const ids = r.otherId ? [r.ownId, r.otherId] : [r.ownId];
    const dup = ids.some((id) => ctx.existing.has(id) || seen.has(id));
    for (const id of ids) seen.add(id);
    duplicate.push(dup);
    if (dup) return null;
    if (r.note) notes.push(r.note);

    const fail = (message: string) => invalidField("file", `line ${row.line}: ${message}`);
    if (row.currency !== ctx.account.currency) {
      throw fail(
        `the amounts are in ${row.currency}, but "${ctx.account.name}" is in ${ctx.account.currency}`,
      );
    }
    const categoryId = row.category ? names.idOf(row.category) : null;
    const input = TransactionCreate.safeParse({
      date: row.date,
      amount: row.amount,
      type: r.kind,
      ...(r.to ? { accountId: r.from.accountId, toAccountId: r.to.accountId } : {}),
      ...(categoryId ? { categoryId } : {}),
      ...(row.merchant ? { merchant: row.merchant } : {}),
      description: row.description,
      tags: row.tags,
      notes: row.notes,
      ...(row.splits
        ? {
            splits: row.splits.map((s) => ({
              categoryId: names.idOf(s.category),
              amount: s.amount,
              ...(s.note !== undefined ? { note: s.note } : {}),
            })),
          }
        : {}),
    });
    if (!input.success) {
      const issue = input.error.issues[0];
      throw fail(`${issue?.path.join(".") || "row"} ${issue?.message ?? "is not valid"}`);
    }
    // For a transfer into the target account, the record built first is the other account's out leg.
    const builtOther = r.to !== null && r.from.accountId !== ctx.account.accountId;
    const record = {
      ...withMerchantName(
        ctx.build(input.data, names.all, {
          account: r.from,
          // Nothing is categorised: the file says what each row's category is, or that it has none.
          rules: [],
          learned: new Map(),
          transactionId: builtOther ? (r.otherId as string) : r.ownId,
          recordedAt: Date.parse(`${row.date}T00:00:00Z`),
          bank: { bankId: row.bankId, pending: row.pending },
        }),
        row.merchantName,
      ),
      cleared: row.cleared,
    };
    if (!r.to) return record;
    const [outLeg, inLeg] = transferPair(record, r.from, r.to, builtOther ? r.ownId : (r.otherId as string));
    // The row tells its own leg's bank details; the other leg's are its own row's, in the other
    // account's file (which, imported later, links them: see prepareTycheExport).
    const own = outLeg.accountId === ctx.account.accountId ? outLeg : inLeg;
    linked.push({ ...(own === outLeg ? inLeg : outLeg), bankId: null, cleared: false });
    return { ...own, bankId: row.bankId, cleared: row.cleared, pending: row.pending };
  });
  const plan = names.plan();
  if (plan.create.length)
    notes.push(`Categories created: ${plan.create.map((c) => `"${c.name}"`).join(", ")}`);
  if (plan.restore.length)
    notes.push(`Archived categories restored: ${plan.restore.map((c) => `"${c.after.name}"`).join(", ")}`);
  return {
    records,
    ids: resolved.map((r) => r.ownId),
    kinds: resolved.map((r) => r.kind),
    duplicate,
    linked,
    categories: plan,
    notes,
  };
}

/**
 * The record with the merchant name the file shows. buildNew cleans a merchant up as a bank's text;
 * one the user typed is kept as typed, and a rule may have renamed it: both come back as they were.
 */
function withMerchantName(record: TransactionRecord, name: string): TransactionRecord {
  if (!name || record.merchant === name) return record;
  const typed = record.merchantRaw ? normalizeTypedMerchant(record.merchantRaw) : null;
  if (typed?.name === name) return { ...record, merchant: typed.name, merchantKey: typed.key || null };
  return { ...record, merchant: name, merchantKey: normalizeMerchant(name).key || null };
}

/** Category ids by name for the rows, planning what must be created or restored for them. */
class CategoryNames {
  /** The user's categories with the planned ones: what records are built (and checked) against. */
  readonly all: Map<string, Category>;
  private readonly byName = new Map<string, string>();
  private readonly created: Category[] = [];
  private readonly restored: { before: Category; after: Category }[] = [];
  private readonly slugs: Set<string>;

  constructor(
    categories: ReadonlyMap<string, Category>,
    private readonly now: string,
  ) {
    this.all = new Map(categories);
    this.slugs = new Set([...categories.values()].map((c) => c.type));
  }

  idOf(name: string): string {
    const key = fold(name);
    const known = this.byName.get(key);
    if (known) return known;
    const list = [...this.all.values()].sort(
      (a, b) => Number(a.archived) - Number(b.archived) || a.categoryId.localeCompare(b.categoryId),
    );
    const slug = slugify(name);
    const match =
      list.find((c) => fold(c.name) === key) ?? (slug ? list.find((c) => c.type === slug) : undefined);
    const id = match ? this.usable(match) : this.create(name.trim(), slug);
    this.byName.set(key, id);
    return id;
  }

  plan(): CategoryPlan {
    return { create: [...this.created], restore: [...this.restored] };
  }

  private usable(c: Category): string {
    if (!c.archived) return c.categoryId;
    const after: Category = { ...c, archived: false, version: c.version + 1, updatedAt: this.now };
    this.restored.push({ before: c, after });
    this.all.set(c.categoryId, after);
    return c.categoryId;
  }

  private create(name: string, slug: string): string {
    const base = slug || "imported";
    let type = base;
    for (let n = 2; this.slugs.has(type) || RESERVED_CATEGORY_SLUGS.includes(type); n++) {
      type = `${base.slice(0, 36).replace(/-+$/, "")}-${n}`;
    }
    this.slugs.add(type);
    const known = DEFAULT_CATEGORIES.find((c) => c.type === base);
    const group: CategoryGroup = known?.group ?? "discretionary";
    const category: Category = {
      categoryId: ulid(),
      name: name.slice(0, 60),
      type,
      group,
      color: known?.color ?? PALETTE[this.created.length % PALETTE.length] ?? "#4e79a7",
      archived: false,
      version: 1,
      createdAt: this.now,
      updatedAt: this.now,
    };
    this.created.push(category);
    this.all.set(category.categoryId, category);
    return category.categoryId;
  }
}

const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];

/** What the reader "guessed": nothing, the header fixes the layout; `notes` say what the import decided. */
function tycheGuesses(encoding: TextEncoding, notes: string[]): StatementGuesses {
  const evidence = "Fixed by Tyche's own export layout, which its header names";
  const fixed = <T>(value: T) => ({ value, source: "layout" as const, evidence, overrideWith: [] });
  const index = (name: (typeof TYCHE_EXPORT_HEADER)[number]) => ({
    header: name,
    index: TYCHE_EXPORT_HEADER.indexOf(name),
  });
  const roles = {
    date: index("Date"),
    amount: index("Amount"),
    type: index("Kind"),
    category: index("Category"),
    merchant: index("Merchant"),
    description: index("Description"),
    memo: index("Notes"),
    reference: index("Bank Id"),
    currency: index("Currency"),
  };
  const used = new Set(Object.values(roles).map((r) => r.index));
  return {
    layout: {
      name: "Tyche export (version 1)",
      evidence: "The first line is the header Tyche's export writes",
    },
    encoding: fixed(encoding),
    delimiter: fixed(","),
    header: fixed({ hasHeader: true, line: 1, skippedLines: 0, headers: [...TYCHE_EXPORT_HEADER] }),
    columns: {
      ...fixed(roles),
      unused: TYCHE_EXPORT_HEADER.filter((_, i) => !used.has(i)).map(index),
    },
    dateFormat: { ...fixed("iso" as const), ambiguous: false },
    decimalSeparator: fixed("." as const),
    signConvention: {
      ...fixed("negative-is-expense" as const),
      evidence: "Amounts are signed as their account sees them: money out (a card's charge too) is negative",
      decidedBy: "layout",
    },
    notes,
  };
}

/** What the preview shows of a row: the kind it becomes here, and which way the money went. */
function previewRow(row: TycheExportRow, kind: TransactionRecord["type"]): ParsedRow {
  return {
    line: row.line,
    date: row.date,
    amount: row.amount,
    direction: row.direction === "out" ? "debit" : "credit",
    kind,
    type: row.direction === "out" ? "expense" : "income",
    merchantRaw: row.merchant,
    description: row.description,
    ...(row.category ? { category: row.category } : {}),
    ...(row.bankId ? { bankId: row.bankId } : {}),
    pending: row.pending,
    paymentLike: false,
  };
}
