import type { CategoryGroup } from "@tyche/types";

export interface DefaultCategory {
  name: string;
  type: string;
  group: CategoryGroup;
  color: string;
}

/** What a new user starts with: the usual spending of a household, each in its group. */
export const DEFAULT_CATEGORIES: readonly DefaultCategory[] = [
  { name: "Housing", type: "housing", group: "essential", color: "#4e79a7" },
  { name: "Groceries", type: "groceries", group: "essential", color: "#59a14f" },
  { name: "Transport", type: "transport", group: "essential", color: "#76b7b2" },
  { name: "Utilities", type: "utilities", group: "essential", color: "#9c755f" },
  { name: "Health", type: "health", group: "essential", color: "#e15759" },
  { name: "Dining", type: "dining", group: "discretionary", color: "#f28e2b" },
  { name: "Subscriptions", type: "subscriptions", group: "discretionary", color: "#b07aa1" },
  { name: "Shopping", type: "shopping", group: "discretionary", color: "#ff9da7" },
  { name: "Entertainment", type: "entertainment", group: "discretionary", color: "#edc948" },
  { name: "Savings", type: "savings", group: "savings", color: "#2f9e44" },
  { name: "Debt payments", type: "debt-payments", group: "debt", color: "#bab0ac" },
];
