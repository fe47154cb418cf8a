import type { AccountType } from "@tyche/types";

/** Each kind of account as a person names it. */
export const ACCOUNT_TYPE_LABELS: Record<AccountType, string> = {
  checking: "Checking",
  savings: "Savings",
  cash: "Cash",
  "credit-card": "Credit card",
};
