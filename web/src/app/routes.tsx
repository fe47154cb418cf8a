import { lazy } from "react";

/**
 * The signed-in pages, each its own chunk: the first load carries the shell and the page opened,
 * and charts arrive with the pages that draw them.
 */
export const pages = [
  { path: "/", Page: lazy(() => import("../pages/dashboard/SpendingDashboard")) },
  { path: "/budget", Page: lazy(() => import("../pages/budget/BudgetSetupPage")) },
  { path: "/goals", Page: lazy(() => import("../pages/goals/GoalsPage")) },
  { path: "/transactions", Page: lazy(() => import("../pages/transactions/TransactionsPage")) },
  { path: "/accounts", Page: lazy(() => import("../pages/accounts/AccountsPage")) },
  { path: "/accounts/:accountId", Page: lazy(() => import("../pages/accounts/RegisterPage")) },
  { path: "/import", Page: lazy(() => import("../pages/import/ImportPage")) },
  { path: "/debt", Page: lazy(() => import("../pages/debt/DebtPage")) },
  { path: "/recurring", Page: lazy(() => import("../pages/recurring/RecurringPage")) },
  { path: "/assistant", Page: lazy(() => import("../pages/assistant/AssistantPage")) },
  { path: "/settings/tokens", Page: lazy(() => import("../pages/tokens/TokensPage")) },
];
