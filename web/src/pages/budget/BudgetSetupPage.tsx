import { useSearchParams } from "react-router";
import { currentMonth, isMonth, monthLabel } from "../../ui/format";
import { usePageTitle } from "../../ui/page";
import { BudgetMonth } from "./BudgetMonth";
import { MonthPicker } from "./MonthPicker";
import "./budget.css";

/**
 * Budget Setup (`/budget?month=YYYY-MM`): plan a month's income and each category's limit, with
 * what is left to allocate and what is available for paying off cards always in view.
 */
export default function BudgetSetupPage() {
  const [params, setParams] = useSearchParams();
  const asked = params.get("month");
  const month = isMonth(asked) ? asked : currentMonth();
  usePageTitle(`Budget for ${monthLabel(month)}`);
  return (
    <div className="budget-page">
      <header className="budget-header">
        <h1>Budget for {monthLabel(month)}</h1>
        <MonthPicker month={month} onChange={(m) => setParams({ month: m })} />
      </header>
      {/* A month of its own: its draft, its figures, its messages. */}
      <BudgetMonth key={month} month={month} />
    </div>
  );
}
