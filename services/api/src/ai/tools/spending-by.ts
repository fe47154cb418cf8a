import { monthIndex, monthRange } from "@tyche/core";
import { Month } from "@tyche/types";
import { z } from "zod";
import { invalidField } from "../../errors";
import type { Services } from "../../services";
import { defineTool, type ToolContext } from "./tool";
import { budgetOrNone } from "./user-context";

/** Grouping by merchant or account reads every transaction of the range: a year at most. */
const MAX_LEDGER_MONTHS = 12;
/** By category or month the stored month analytics answer: as many months as a trend. */
const MAX_ANALYTICS_MONTHS = 36;
/** The rows a model is shown, largest first; the total still counts every row. */
const MAX_ROWS = 25;

const Input = z
  .strictObject({
    by: z.enum(["category", "merchant", "account", "month"]),
    from: Month.optional().describe("First month (YYYY-MM); defaults to the current month"),
    to: Month.optional().describe("Last month (YYYY-MM); defaults to from"),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["from"], error: "must not be after to" });

interface Row {
  key: string;
  name: string;
  amount: number;
  count?: number;
}

/**
 * Spending (expenses net of refunds; transfers never count) totalled by category, merchant, account
 * or month over a range of months.
 */
export const spendingByTool = (s: Services) =>
  defineTool({
    name: "spending_by",
    description:
      "Totals the user's spending (expenses net of refunds, in cents) by category, merchant, account or month over " +
      "a range of months (default: the current month), largest first, with the grand total. By category or month " +
      "up to 36 months; by merchant or account up to 12.",
    input: Input,
    write: false,
    async run(ctx, input) {
      const from = input.from ?? ctx.today.slice(0, 7);
      const to = input.to ?? from;
      const span = monthIndex(to) - monthIndex(from) + 1;
      const max =
        input.by === "merchant" || input.by === "account" ? MAX_LEDGER_MONTHS : MAX_ANALYTICS_MONTHS;
      if (span > max) throw invalidField("to", `must be within ${max} months of from for by=${input.by}`);
      const { rows, currency } =
        input.by === "merchant" || input.by === "account"
          ? await fromLedger(s, ctx, input.by, from, to)
          : await fromAnalytics(s, ctx, input.by, from, to);
      const sorted =
        input.by === "month"
          ? rows
          : [...rows].sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
      return {
        by: input.by,
        from,
        to,
        currency,
        rows: sorted.slice(0, MAX_ROWS),
        otherRows: Math.max(0, sorted.length - MAX_ROWS),
        total: rows.reduce((sum, r) => sum + r.amount, 0),
      };
    },
  });

async function fromAnalytics(
  s: Services,
  ctx: ToolContext,
  by: "category" | "month",
  from: string,
  to: string,
) {
  const months = await s.analytics.trend(ctx.owner, from, to);
  const currency = months[0]?.currency ?? "USD";
  if (by === "month") {
    // A month with nothing recorded has no analytics: it spent nothing, and says so.
    const spent = new Map(months.map((m) => [m.month, m.totals.expenses]));
    return {
      currency,
      rows: monthRange(from, to).map((m) => ({ key: m, name: m, amount: spent.get(m) ?? 0 })),
    };
  }
  const byCategory = new Map<string, Row>();
  for (const m of months) {
    for (const c of m.categories) {
      const row = byCategory.get(c.categoryId) ?? { key: c.categoryId, name: c.name, amount: 0 };
      row.amount += c.spent;
      byCategory.set(c.categoryId, row);
    }
  }
  return { currency, rows: [...byCategory.values()].filter((r) => r.amount !== 0) };
}

async function fromLedger(
  s: Services,
  ctx: ToolContext,
  by: "merchant" | "account",
  from: string,
  to: string,
) {
  const accounts = by === "account" ? await s.accounts.list(ctx.owner, true) : [];
  const accountNames = new Map(accounts.map((a) => [a.accountId, a.name]));
  const rows = new Map<string, Row>();
  const currency = (await budgetOrNone(s, ctx, from))?.currency ?? "USD";
  for (const month of monthRange(from, to)) {
    for (const type of ["expense", "refund"] as const) {
      let cursor: string | undefined;
      do {
        const page = await s.transactions.list(ctx.owner, {
          month,
          type,
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        for (const t of page.items) {
          const key = by === "merchant" ? (t.merchant ?? "(no merchant)") : t.accountId;
          const name = by === "merchant" ? key : (accountNames.get(t.accountId) ?? t.accountId);
          const row = rows.get(key) ?? { key, name, amount: 0, count: 0 };
          row.amount += type === "expense" ? t.amount : -t.amount;
          row.count = (row.count ?? 0) + 1;
          rows.set(key, row);
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
  }
  return { currency, rows: [...rows.values()] };
}
