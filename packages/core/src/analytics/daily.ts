import type { DailySpending } from "@tyche/types";
import type { z } from "zod";
import { dayOfMonth, daysInMonth } from "../month";

/**
 * Spending day by day, with its running total and the budget's even pace beside it: the
 * "are we on pace" chart. `spentByDate` is net of refunds, so a day can be negative.
 */
export function dailySpending(
  month: string,
  spentByDate: ReadonlyMap<string, number>,
  budgeted: number,
): z.infer<typeof DailySpending>[] {
  const days = daysInMonth(month);
  const out: z.infer<typeof DailySpending>[] = [];
  let cumulative = 0;
  for (let day = 1; day <= days; day++) {
    const date = dayOfMonth(month, day);
    const spent = spentByDate.get(date) ?? 0;
    cumulative += spent;
    out.push({ date, spent, cumulative, pace: Math.round((budgeted * day) / days) });
  }
  return out;
}
