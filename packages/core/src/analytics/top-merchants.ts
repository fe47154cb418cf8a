import type { MerchantSpending } from "@tyche/types";
import type { z } from "zod";
import { percentOf } from "../percent";

export const TOP_MERCHANTS = 10;

export interface MerchantCharge {
  merchant: string;
  merchantKey: string;
  /** Change of spending: a refund is negative. */
  spent: number;
}

/**
 * Where the money went, by merchant: spending net of refunds per merchant key, the largest first.
 * A merchant whose refunds cover its spending is left out; nothing was spent there.
 */
export function topMerchants(
  charges: Iterable<MerchantCharge>,
  expenses: number,
  limit = TOP_MERCHANTS,
): z.infer<typeof MerchantSpending>[] {
  const byKey = new Map<string, { merchant: string; spent: number; count: number }>();
  for (const c of charges) {
    const m = byKey.get(c.merchantKey) ?? { merchant: c.merchant, spent: 0, count: 0 };
    m.spent += c.spent;
    m.count += 1;
    byKey.set(c.merchantKey, m);
  }
  return [...byKey]
    .filter(([, m]) => m.spent > 0)
    .sort(
      ([ka, a], [kb, b]) => b.spent - a.spent || a.merchant.localeCompare(b.merchant) || ka.localeCompare(kb),
    )
    .slice(0, limit)
    .map(([merchantKey, m]) => ({
      merchant: m.merchant,
      merchantKey,
      spent: m.spent,
      transactionCount: m.count,
      share: percentOf(m.spent, expenses),
    }));
}
