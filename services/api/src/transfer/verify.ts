import { AnalyticsTotals, Budget, CategoryAnalytics } from "@tyche/types";
import { z } from "zod";
import type { RunContext } from "./context";
import type { TycheClient } from "./http-client";
import type { AccountPair } from "./kinds/accounts";
import { fold } from "./plan";

/*
 * The check: after the run, every month with data must show the same figures on both sides, read
 * as a person reads them (the month's budget, and its analytics), and every account the same
 * balance and number of transactions. Categories are compared by name, since their ids differ.
 */

export interface Mismatch {
  /** A month (YYYY-MM) or an account's name. */
  where: string;
  figure: string;
  source: number | string | null;
  target: number | string | null;
}

export const describeMismatch = (m: Mismatch) =>
  `${m.where}: ${m.figure} is ${m.source ?? "missing"} in the source but ${m.target ?? "missing"} in the target`;

/** A month's figures, flat: `income`, `spent "Groceries"` and so on, to compare key by key. */
export type Figures = Record<string, number | string>;

const Analytics = z.object({
  totals: AnalyticsTotals,
  categories: z.array(CategoryAnalytics.pick({ name: true, spent: true, transactionCount: true })),
});

/** The figures of a month's plan (GET /v1/budgets/{month}). */
export function budgetFigures(b: Budget): Figures {
  const out: Figures = {
    "budget status": b.status,
    "budget currency": b.currency,
    "planned income": b.totalIncome,
    "budget actual income": b.actualIncome,
    "budgeted in all": b.totalBudgeted,
    "spent in all": b.totalActualExpenses,
    "paid to debt": b.paidToDebt,
    "available for debt payoff": b.availableForDebtPayoff,
  };
  for (const c of b.categories) {
    // A category at 0 with nothing spent is listed on one side only when it was planned at 0.
    if (c.limit === 0 && c.spent === 0) continue;
    out[`limit of "${c.name}"`] = c.limit;
    out[`spent in "${c.name}"`] = c.spent;
  }
  return out;
}

/** The figures of a month's analytics, which every month has, planned or not. */
export function analyticsFigures(a: z.output<typeof Analytics>): Figures {
  const out: Figures = {
    "transactions recorded": a.totals.transactionCount,
    "actual income": a.totals.actualIncome,
    expenses: a.totals.expenses,
    "paid to cards": a.totals.paidToDebt,
  };
  for (const c of a.categories) {
    if (c.spent === 0 && c.transactionCount === 0) continue;
    out[`analytics spent in "${c.name}"`] = c.spent;
    out[`transactions in "${c.name}"`] = c.transactionCount;
  }
  return out;
}

/** Every figure either side has that the other does not have equal; names compared folded. */
export function compareFigures(where: string, source: Figures, target: Figures): Mismatch[] {
  const norm = (f: Figures) => new Map(Object.entries(f).map(([k, v]) => [fold(k), { label: k, value: v }]));
  const s = norm(source);
  const t = norm(target);
  const out: Mismatch[] = [];
  for (const key of [...new Set([...s.keys(), ...t.keys()])].sort()) {
    const a = s.get(key);
    const b = t.get(key);
    if (a?.value === b?.value) continue;
    out.push({ where, figure: (a ?? b)?.label ?? key, source: a?.value ?? null, target: b?.value ?? null });
  }
  return out;
}

async function monthFigures(client: TycheClient, month: string, planned: boolean): Promise<Figures> {
  const [budget, analytics] = await Promise.all([
    planned ? client.optional(`/v1/budgets/${month}`, Budget, { includeArchived: "true" }) : undefined,
    client.json("GET", `/v1/budgets/${month}/analytics`, Analytics),
  ]);
  return { ...(budget ? budgetFigures(budget) : {}), ...analyticsFigures(analytics) };
}

async function checkMonth(ctx: RunContext, month: string, planned: boolean): Promise<Mismatch[]> {
  const [s, t] = await Promise.all([
    monthFigures(ctx.source, month, planned),
    monthFigures(ctx.target, month, planned),
  ]);
  return compareFigures(month, s, t);
}

export function compareAccounts(pairs: readonly AccountPair[]): Mismatch[] {
  const out: Mismatch[] = [];
  for (const { source, target } of pairs) {
    const where = `account "${source.name}"`;
    if (!target) {
      out.push({ where, figure: "the account", source: source.name, target: null });
      continue;
    }
    for (const figure of ["balance", "transactionCount", "closed"] as const) {
      const a = source[figure];
      const b = target[figure];
      if (a !== b) out.push({ where, figure, source: String(a), target: String(b) });
    }
  }
  return out;
}

/**
 * Months with transactions or a plan (from --from-month on), and, when the whole history moved,
 * the accounts. A month that differs is read once more after a pause: the cloud's reads may trail
 * its writes by a moment.
 */
export async function verify(
  ctx: RunContext,
  months: { all: readonly string[]; planned: ReadonlySet<string> },
  accounts: readonly AccountPair[],
): Promise<Mismatch[]> {
  const list = months.all.filter((m) => !ctx.fromMonth || m >= ctx.fromMonth);
  const out: Mismatch[] = ctx.fromMonth ? [] : compareAccounts(accounts);
  for (const month of list) {
    let found = await checkMonth(ctx, month, months.planned.has(month));
    if (found.length) {
      await new Promise((r) => setTimeout(r, ctx.pollMs));
      found = await checkMonth(ctx, month, months.planned.has(month));
    }
    out.push(...found);
  }
  ctx.io.out(
    `check: ${list.length} month(s) compared${ctx.fromMonth ? "" : `, ${accounts.length} account(s)`}`,
  );
  return out;
}
