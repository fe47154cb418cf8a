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
