import type { Account, CategoryAnalytics } from "@tyche/types";
import { money } from "../../ui/format";

/** A category's status in words, so that no colour has to be read to know it. */
export function statusWords(c: Pick<CategoryAnalytics, "status" | "budgeted" | "spent">): string {
  if (c.budgeted === 0 && c.spent > 0) return "Over budget: nothing planned";
  return { under: "Under budget", near: "Near the limit", over: "Over budget" }[c.status];
}

/** A change of money with its direction in words: "$12.00 more", "$3.50 less", "no change". */
export function changeWords(cents: number | null, currency: string, percent?: number | null): string {
  if (cents === null) return "no earlier spending to compare";
  if (cents === 0) return "no change";
  const pct = percent === null || percent === undefined ? "" : ` (${Math.abs(percent).toFixed(0)}%)`;
  return `${money(Math.abs(cents), currency)}${pct} ${cents > 0 ? "more" : "less"}`;
}

/** An account's balance as a person reads it: what a card owes, what a cash account holds. */
export function balanceWords(account: Pick<Account, "type" | "balance" | "currency">): string {
  const amount = money(Math.abs(account.balance), account.currency);
  if (account.type === "credit-card")
    return account.balance > 0
      ? `${amount} owed`
      : account.balance < 0
        ? `${amount} in credit`
        : "Nothing owed";
  return account.balance < 0 ? `${amount} overdrawn` : amount;
}

export function monthOf(search: string | null, fallback: string): string {
  return search && /^\d{4}-(0[1-9]|1[0-2])$/.test(search) ? search : fallback;
}
