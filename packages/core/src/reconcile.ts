/**
 * Reconciling a bank file with what an account already holds, so nothing a person or a bank
 * entered is doubled. Like Actual Budget's import: a row is first recognised by the bank's own id;
 * failing that, by the same amount in the same direction within a few days, the nearest date
 * with a similar merchant preferred. A row that two different transactions fit equally well is
 * reported, not guessed. Pure: the caller reads the candidates and writes the outcome.
 */

/** A row of the file, as far as matching needs it. */
export interface IncomingRow {
  date: string;
  amount: number;
  /** Money into the account (+1) or out of it (-1). */
  direction: 1 | -1;
  merchantKey: string;
  bankId: string | null;
}

/** A transaction already in the account. */
export interface ExistingTransaction {
  transactionId: string;
  date: string;
  amount: number;
  direction: 1 | -1;
  merchantKey: string;
  bankId: string | null;
  pending: boolean;
  /**
   * A posted occurrence of a recurring bill: a bank row may differ from its amount by up to this
   * many cents (the template's matchTolerance) and still be it. Absent: only the same amount.
   */
  tolerance?: number;
  /** With a tolerance: how many days from its date such a row may be (the template's matchWindowDays). */
  windowDays?: number;
}

export type MatchOutcome =
  | { kind: "new" }
  | { kind: "matched"; transactionId: string; by: "bank-id" | "amount-date" }
  | { kind: "ambiguous"; candidates: string[] };

/** How far apart a bank's date and the same transaction entered by hand (or pending) may be. */
export const MATCH_WINDOW_DAYS = 5;

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Words of a merchant key long enough to mean something ("sq", "the" and store numbers do not). */
const words = (key: string) => key.split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !/^\d+$/.test(w));

export function similarMerchants(a: string, b: string): boolean {
  if (!a || !b) return false;
  if (a === b || a.includes(b) || b.includes(a)) return true;
  const theirs = new Set(words(b));
  return words(a).some((w) => theirs.has(w));
}

/**
 * Decides each row's outcome. Each existing transaction is matched at most once, and rows are
 * taken in file order, so two identical coffees pair off with two identical entries.
 */
export function reconcileRows(
  rows: readonly IncomingRow[],
  existing: readonly ExistingTransaction[],
  windowDays = MATCH_WINDOW_DAYS,
): MatchOutcome[] {
  const taken = new Set<string>();
  const byBankId = new Map<string, ExistingTransaction>();
  for (const e of existing) if (e.bankId) byBankId.set(e.bankId, e);
  // Bank ids first, for the whole file: a fuzzy match must not take a transaction a later row names.
  const outcomes: (MatchOutcome | undefined)[] = rows.map((row) => {
    const hit = row.bankId ? byBankId.get(row.bankId) : undefined;
    if (!hit || taken.has(hit.transactionId)) return undefined;
    taken.add(hit.transactionId);
    return { kind: "matched", transactionId: hit.transactionId, by: "bank-id" };
  });
  // Candidates by amount and direction, each with its day number worked out once: a file of
  // thousands of rows against thousands of transactions stays linear, not a product of the two.
  const byAmount = new Map<string, { e: ExistingTransaction; day: number }[]>();
  // Posted recurring bills, which also take a row of a nearby amount: few, so looked through whole.
  const tolerant: { e: ExistingTransaction; day: number }[] = [];
  for (const e of existing) {
    const key = `${e.amount}|${e.direction}`;
    const list = byAmount.get(key) ?? [];
    list.push({ e, day: dayNumber(e.date) });
    byAmount.set(key, list);
    if ((e.tolerance ?? 0) > 0) tolerant.push({ e, day: dayNumber(e.date) });
  }
  return rows.map((row, i) => {
    const known = outcomes[i];
    if (known) return known;
    const day = dayNumber(row.date);
    const near = tolerant.filter(
      ({ e }) =>
        e.direction === row.direction &&
        e.amount !== row.amount &&
        Math.abs(e.amount - row.amount) <= (e.tolerance ?? 0),
    );
    const scored = [...(byAmount.get(`${row.amount}|${row.direction}`) ?? []), ...near]
      .filter(
        ({ e, day: d }) =>
          !taken.has(e.transactionId) &&
          // The same amount within the usual window (or a bill's own, when wider); another amount
          // only within the bill's window.
          Math.abs(d - day) <=
            (e.amount === row.amount
              ? Math.max(windowDays, e.windowDays ?? 0)
              : (e.windowDays ?? windowDays)) &&
          // Two different ids from the bank are two different transactions.
          !(row.bankId && e.bankId && row.bankId !== e.bankId),
      )
      .map(({ e, day: d }) => ({
        e,
        // The same amount wins over a nearby one only between candidates as near in time.
        score:
          (similarMerchants(row.merchantKey, e.merchantKey) ? 0 : 100) +
          Math.abs(d - day) +
          (e.amount === row.amount ? 0 : 0.5),
      }))
      .sort((a, b) => a.score - b.score);
    const best = scored[0];
    if (!best) return { kind: "new" };
    const tied = scored.filter((s) => s.score === best.score).map((s) => s.e);
    // Tied candidates that are alike in every way that matters are interchangeable: take the first.
    const alike = tied.every(
      (t) => t.date === best.e.date && t.merchantKey === best.e.merchantKey && t.amount === best.e.amount,
    );
    if (!alike) return { kind: "ambiguous", candidates: tied.map((t) => t.transactionId) };
    taken.add(best.e.transactionId);
    return { kind: "matched", transactionId: best.e.transactionId, by: "amount-date" };
  });
}
