import { addMonths } from "../month";

/** A row of a card's account: its effect on the account's flow, and what it charged in interest or fees. */
export interface CardHistoryRow {
  date: string;
  /** The row's flow (ledger.ts accountFlow): negative for a purchase, positive for a payment. */
  flow: number;
  /** Interest or fees charged by the row (negative when refunded), 0 for anything else. */
  charge: number;
}

export interface CardMonthEnd {
  month: string;
  /** Owed at the end of the month. */
  balance: number;
  /** Interest and fees charged in the month. */
  charges: number;
}

/**
 * A card's owed balance at the end of each of `months` (oldest first) and what it charged in
 * each, worked back from what it owes now: a card owes its opening balance less its flow, so the
 * balance at a month's end is today's plus the flow of every row dated after that month. Exact,
 * and needs only the rows from the first month on, not the card's whole history.
 */
export function cardHistory(
  balanceNow: number,
  rows: readonly CardHistoryRow[],
  months: readonly string[],
): CardMonthEnd[] {
  const flowByMonth = new Map<string, number>();
  const chargeByMonth = new Map<string, number>();
  for (const r of rows) {
    const m = r.date.slice(0, 7);
    flowByMonth.set(m, (flowByMonth.get(m) ?? 0) + r.flow);
    chargeByMonth.set(m, (chargeByMonth.get(m) ?? 0) + r.charge);
  }
  const sorted = [...months].sort();
  const last = sorted.at(-1);
  // Flow of every row dated after the last month asked for.
  let after = 0;
  for (const [m, f] of flowByMonth) if (last !== undefined && m > last) after += f;
  const out: CardMonthEnd[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const month = sorted[i] as string;
    out.push({ month, balance: balanceNow + after, charges: chargeByMonth.get(month) ?? 0 });
    // Stepping back a month adds this month's rows (and any gap months' rows) to what came after.
    const previous = sorted[i - 1];
    for (let m = month; previous !== undefined && m > previous; m = addMonths(m, -1)) {
      after += flowByMonth.get(m) ?? 0;
    }
  }
  return out.reverse();
}
