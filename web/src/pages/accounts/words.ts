import type { Account, AccountType } from "@tyche/types";
import { money } from "../../ui/format";

export const isCard = (a: Pick<Account, "type">) => a.type === "credit-card";

/**
 * A balance said in words: a card's is what is owed (or the credit on it), a cash account's what
 * it holds (or by how much it is overdrawn).
 */
export function balanceWords(balance: number, type: AccountType, currency: string): string {
  const amount = money(Math.abs(balance), currency);
  if (type === "credit-card") {
    if (balance > 0) return `You owe ${amount}`;
    if (balance < 0) return `In credit by ${amount}`;
    return "Nothing owed";
  }
  if (balance < 0) return `Overdrawn by ${amount}`;
  return `Holds ${amount}`;
}

/** A change to a balance with its sign written out: "+$12.00", "−$4.50". */
export const signedMoney = (cents: number, currency: string) =>
  cents > 0 ? `+${money(cents, currency)}` : money(cents, currency);

/** A date with its year: "12 Mar 2026" (in the reader's own order). */
export const fullDate = (date: string) =>
  new Intl.DateTimeFormat(navigator.language, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${date}T00:00:00Z`));

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Zod issues as a field → first message map, the way the forms show them. */
export function issuesByField(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const out: Record<string, string> = {};
  for (const i of issues) out[i.path.map(String).join(".")] ??= i.message;
  return out;
}
