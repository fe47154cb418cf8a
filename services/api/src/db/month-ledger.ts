import type { AnalyticsTransaction, PriorCharge } from "@tyche/core";
import { addMonths } from "@tyche/core";
import { z } from "zod";
import { type Owner, ownerKey, prefixes } from "./keys";
import { queryRange } from "./query";
import type { Store } from "./store";

/**
 * A month's transactions as the analytics read them: only the fields the figures use, with the
 * defaults of transactions stored before accounts (on budget, no transfer).
 */
const LedgerRow = z.object({
  transactionId: z.string(),
  date: z.string(),
  amount: z.number().int(),
  type: z.enum(["expense", "income", "refund", "transfer"]),
  categoryId: z.string().nullable().default(null),
  splits: z
    .array(z.object({ categoryId: z.string(), amount: z.number().int() }))
    .nullable()
    .default(null),
  onBudget: z.boolean().default(true),
  transfer: z
    .object({
      direction: z.enum(["out", "in"]),
      counts: z.enum(["expense", "income"]).nullable(),
      debtPayment: z.boolean(),
    })
    .nullable()
    .default(null),
  merchant: z.string().nullable().default(null),
  merchantKey: z.string().nullable().default(null),
});

const ChargeRow = z.object({
  date: z.string(),
  amount: z.number().int(),
  onBudget: z.boolean().default(true),
  merchantKey: z.string().nullable().default(null),
});

const NAMES = { "#date": "date", "#type": "type", "#transfer": "transfer" };
const LEDGER_FIELDS =
  "transactionId, #date, amount, #type, categoryId, splits, onBudget, #transfer, merchant, merchantKey";

/** The transaction keys of the months `from` to `to`, both included. */
const monthsRange = (from: string, to: string) => ({
  low: `${prefixes.transaction}${from}-01`,
  high: `${prefixes.transaction}${to}-31#\uffff`,
});

/** Reads of a month's transactions for derived figures; strongly consistent, like the totals beside them. */
export class MonthLedgerReader {
  constructor(private readonly store: Store) {}

  async transactions(owner: Owner, month: string): Promise<AnalyticsTransaction[]> {
    const out: AnalyticsTransaction[] = [];
    for await (const item of queryRange(this.store.db, {
      table: this.store.tables.transactionDetails,
      pk: ownerKey(owner),
      ...monthsRange(month, month),
      projection: LEDGER_FIELDS,
      names: NAMES,
      consistent: true,
    })) {
      out.push(LedgerRow.parse(item));
    }
    return out;
  }

  /** The expense charges with a merchant of the `months` months before `month`, on budget. */
  async chargesBefore(owner: Owner, month: string, months: number): Promise<PriorCharge[]> {
    const out: PriorCharge[] = [];
    for await (const item of queryRange(this.store.db, {
      table: this.store.tables.transactionDetails,
      pk: ownerKey(owner),
      ...monthsRange(addMonths(month, -months), addMonths(month, -1)),
      projection: "#date, amount, onBudget, merchantKey",
      names: { "#date": "date", "#type": "type" },
      filter: { expression: "#type = :expense", values: { ":expense": "expense" } },
      consistent: true,
    })) {
      const row = ChargeRow.parse(item);
      if (row.merchantKey && row.onBudget)
        out.push({ month: row.date.slice(0, 7), merchantKey: row.merchantKey, amount: row.amount });
    }
    return out;
  }
}
