import {
  accountFlow,
  type ExistingTransaction,
  type IncomingRow,
  type MatchOutcome,
  reconcileRows,
} from "@tyche/core";
import type { TransactionRecord } from "../db/transactions";
import { postedOccurrence } from "../recurring/materialiser";

/** A row of the file as reconciliation sees it, with the id its content gives it. */
export interface RowToPlace extends IncomingRow {
  id: string;
  pending: boolean;
}

/** What becomes of one row of the file. */
export type Placement =
  | { kind: "new" }
  /** Recorded already (this file, or the same row of an earlier one). */
  | { kind: "duplicate"; settles?: TransactionRecord }
  /** Linked to a transaction already in the account; `link` is set when the link changes it. */
  | { kind: "matched"; transactionId: string; link?: TransactionRecord }
  | { kind: "ambiguous"; candidates: string[] };

const sign = (r: TransactionRecord): 1 | -1 => (accountFlow(r) < 0 ? -1 : 1);

/**
 * Places every row against the account's transactions around the file's dates: a row whose id is
 * already recorded is a duplicate (and settles a pending transaction it finds pending); the rest
 * go to `reconcileRows` against what no row of the file claimed by id. A match that gains nothing
 * (the transaction already came from a bank file and is settled) changes nothing.
 */
export function placeRows(
  rows: readonly RowToPlace[],
  inAccount: readonly TransactionRecord[],
  recordedIds: ReadonlySet<string>,
): Placement[] {
  const byId = new Map(inAccount.map((r) => [r.transactionId, r]));
  const seen = new Set<string>();
  const placements: (Placement | undefined)[] = rows.map((row) => {
    const again = seen.has(row.id);
    seen.add(row.id);
    if (again) return { kind: "duplicate" };
    if (!recordedIds.has(row.id)) return undefined;
    const stored = byId.get(row.id);
    return stored?.pending && !row.pending ? { kind: "duplicate", settles: stored } : { kind: "duplicate" };
  });
  const open = rows.flatMap((row, i) => (placements[i] ? [] : [{ row, i }]));
  const fileIds = new Set(rows.map((row) => row.id));
  const candidates: ExistingTransaction[] = inAccount
    .filter((r) => !fileIds.has(r.transactionId))
    .map((r) => ({
      transactionId: r.transactionId,
      date: r.date,
      amount: r.amount,
      direction: sign(r),
      merchantKey: r.merchantKey ?? "",
      bankId: r.bankId,
      pending: r.pending,
      // A recurring bill's occurrence also takes a bank row of a nearby amount, within its own window.
      ...(r.recurring
        ? { tolerance: r.recurring.matchTolerance, windowDays: r.recurring.matchWindowDays }
        : {}),
    }));
  const outcomes: MatchOutcome[] = reconcileRows(
    open.map(({ row }) => row),
    candidates,
  );
  outcomes.forEach((outcome, k) => {
    const { row, i } = open[k] as { row: RowToPlace; i: number };
    if (outcome.kind !== "matched") {
      placements[i] = outcome;
      return;
    }
    const stored = byId.get(outcome.transactionId) as TransactionRecord;
    const gains = !stored.cleared || (stored.pending && !row.pending) || (!stored.bankId && row.bankId);
    placements[i] = gains ? { kind: "matched", transactionId: stored.transactionId, link: stored } : outcome;
  });
  return placements as Placement[];
}

/** The stored transaction a placement changes (links, or settles), if any. */
export function toLink(placement: Placement | undefined): TransactionRecord | undefined {
  if (placement?.kind === "matched") return placement.link;
  if (placement?.kind === "duplicate") return placement.settles;
  return undefined;
}

/**
 * The transaction as linked to a bank row: cleared, settled when the row is, with the bank's id.
 * What the person wrote stays as written; only a recurring bill posted ahead of the bank takes the
 * bank's amount (it matched within the template's tolerance: the bank's is what was charged). What
 * it was is kept for an undo of the import.
 */
export function linked(
  stored: TransactionRecord,
  row: Pick<RowToPlace, "bankId" | "pending" | "amount">,
  importId: string,
): TransactionRecord {
  // Not once the person split it: the parts add up to the amount they split. Nor when the bill was
  // found already recorded: that amount is one the person (or a bank) wrote.
  const reamount = postedOccurrence(stored) && !stored.splits && row.amount !== stored.amount;
  return {
    ...stored,
    cleared: true,
    pending: stored.pending && row.pending,
    bankId: row.bankId ?? stored.bankId,
    ...(reamount ? { amount: row.amount } : {}),
    importLink: {
      importId,
      previous: {
        cleared: stored.cleared,
        pending: stored.pending,
        bankId: stored.bankId,
        ...(reamount ? { amount: stored.amount } : {}),
      },
    },
    version: stored.version + 1,
    updatedAt: new Date().toISOString(),
  };
}

/** The transaction as it was before the import that linked it is undone. */
export function unlinked(stored: TransactionRecord): TransactionRecord {
  if (!stored.importLink) return stored;
  return {
    ...stored,
    ...stored.importLink.previous,
    importLink: null,
    version: stored.version + 1,
    updatedAt: new Date().toISOString(),
  };
}

/**
 * A leg whose amount changes (a recurring bill linked at the bank's amount, or given its own back)
 * with its transfer's other leg, read by `find` (strongly), at the same amount: a pair always
 * carries one amount, so a write replaces both.
 */
export async function withOtherLeg(
  find: (transactionId: string) => Promise<TransactionRecord | undefined>,
  before: TransactionRecord,
  after: TransactionRecord,
): Promise<{ befores: TransactionRecord[]; afters: TransactionRecord[] }> {
  const pair = before.transfer ? await find(before.transfer.linkedTransactionId) : undefined;
  if (!pair) return { befores: [before], afters: [after] };
  return {
    befores: [before, pair],
    afters: [after, { ...pair, amount: after.amount, version: pair.version + 1, updatedAt: after.updatedAt }],
  };
}
