import { useBudget, useUnplannedSpending } from "../../api/budgets";
import { useCategories } from "../../api/queries";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { monthLabel } from "../../ui/format";
import { PlanForm } from "./PlanForm";

/** Loads what a month's plan needs (the plan, the categories, spending so far), then the form. */
export function BudgetMonth({ month }: { month: string }) {
  const budget = useBudget(month);
  const categories = useCategories();
  const spending = useUnplannedSpending(month, budget.data === null);
  const failed = budget.error ?? categories.error;
  if (failed)
    return (
      <div className="card">
        <h2>The plan for {monthLabel(month)} could not be loaded</h2>
        <ErrorMessage error={failed} />
        <button
          type="button"
          onClick={() => {
            void budget.refetch();
            void categories.refetch();
          }}
        >
          Try again
        </button>
      </div>
    );
  if (budget.data === undefined || categories.data === undefined)
    return (
      <p className="loading" role="status">
        Loading the plan for {monthLabel(month)}…
      </p>
    );
  return (
    <PlanForm
      month={month}
      budget={budget.data}
      categories={categories.data}
      unplannedSpending={spending.data ?? NOTHING}
    />
  );
}

const NOTHING: Readonly<Record<string, number>> = {};
