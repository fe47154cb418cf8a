import type { Goal } from "@tyche/types";
import { startTransition, useOptimistic } from "react";
import { useSearchParams } from "react-router";
import { type GoalFilter, useGoals } from "../../api/goals";
import { useCategories } from "../../api/queries";
import { LoadFailed } from "../../ui/ErrorMessage";
import { money, plural } from "../../ui/format";
import { usePageTitle, useStatusLine } from "../../ui/page";
import { GoalItem } from "./GoalItem";
import { NewGoalForm } from "./NewGoalForm";
import { GOAL_STATUSES, isGoalStatus, STATUS_LABELS } from "./words";
import "./goals.css";

/** What the active goals ask for each month, per currency (amounts in two currencies are never added). */
function monthlyOf(goals: readonly Goal[]) {
  const by = new Map<string, { currency: string; monthly: number; count: number }>();
  for (const g of goals) {
    if (g.status !== "active") continue;
    const t = by.get(g.currency) ?? { currency: g.currency, monthly: 0, count: 0 };
    t.monthly += g.requiredMonthly ?? 0;
    t.count += 1;
    by.set(g.currency, t);
  }
  return [...by.values()];
}

/** Moves the focus (and the view) to the first field of the new-goal form. */
const toNewGoal = () => {
  const field = document.querySelector<HTMLElement>("#new-goal input");
  field?.focus();
  field?.scrollIntoView({ block: "center" });
};

/**
 * Savings goals (`/goals`): each goal's progress, milestones, whether it is on track, what to save
 * monthly and when it is reached at the recent pace; contributions, edits, status changes and
 * deletes; a filter by status (the API's `?status=`) and the form to create a goal.
 */
export default function GoalsPage() {
  const [params, setParams] = useSearchParams();
  const asked = params.get("status");
  // The router moves the URL in a transition, after the click: a radio bound to the URL alone would
  // show the old choice until then. The choice shows at once, optimistically, until the URL has it.
  const [filter, showFilter] = useOptimistic<GoalFilter>(isGoalStatus(asked) ? asked : "all");
  // Every goal (for the counts and the first-goal state) and, with a filter, that status's goals.
  const all = useGoals("all");
  const filtered = useGoals(filter, filter !== "all");
  const goals = filter === "all" ? all : filtered;
  const categories = useCategories();
  const setFilter = (next: GoalFilter) =>
    startTransition(() => {
      showFilter(next);
      setParams(next === "all" ? {} : { status: next }, { replace: true, preventScrollReset: true });
    });

  const { say, line } = useStatusLine();
  usePageTitle("Savings goals");

  const everyGoal = all.data ?? [];
  const list = goals.data ?? [];
  const count = (s: GoalFilter) =>
    s === "all" ? everyGoal.length : everyGoal.filter((g) => g.status === s).length;
  const cats = categories.data ?? [];

  return (
    <div className="goals-page">
      <h1>Savings goals</h1>
      {line}
      {all.isPending ? (
        <p className="loading" role="status">
          Loading your goals…
        </p>
      ) : all.isError ? (
        <div className="card">
          <h2>Your goals could not be loaded</h2>
          <LoadFailed query={all} />
        </div>
      ) : everyGoal.length === 0 ? (
        <section className="card goals-empty" aria-labelledby="empty-heading" data-testid="goals-empty">
          <h2 id="empty-heading">No goals yet</h2>
          <p>
            Save toward something that matters: a holiday, an emergency fund, a car. Give it a target amount
            and a date, and Tyche tells you what to put aside each month, marks each milestone you pass, and
            says whether you are on track.
          </p>
          <p>
            <button type="button" className="primary" onClick={toNewGoal}>
              Create your first goal
            </button>
          </p>
        </section>
      ) : (
        <>
          {monthlyOf(everyGoal).map((t) => (
            <p key={t.currency} className="card goals-summary" data-testid={`goals-monthly-${t.currency}`}>
              Your {plural(t.count, "active goal")} {t.count === 1 ? "asks" : "ask"} for{" "}
              <strong className="amount">{money(t.monthly, t.currency)}</strong> a month in all to be reached
              on time.
            </p>
          ))}
          <section aria-labelledby="goals-heading" className="goals-list">
            <div className="goals-list-head">
              <h2 id="goals-heading">Your goals</h2>
              <fieldset className="goals-filter">
                <legend>Show</legend>
                {(["all", ...GOAL_STATUSES] as const).map((s) => (
                  <label key={s} className={filter === s ? "chosen" : undefined}>
                    <input
                      type="radio"
                      name="goal-status"
                      value={s}
                      checked={filter === s}
                      onChange={() => setFilter(s)}
                    />{" "}
                    {s === "all" ? "All" : STATUS_LABELS[s]} ({count(s)})
                  </label>
                ))}
              </fieldset>
            </div>
            <p className="muted goals-order">
              {filter === "all" ? "By priority, then target date." : "By target date."}
            </p>
            {goals.isPending ? (
              <p className="loading" role="status">
                Loading these goals…
              </p>
            ) : goals.isError ? (
              <div>
                <LoadFailed query={goals} />
              </div>
            ) : list.length === 0 ? (
              <p className="goals-none" data-testid="goals-none">
                No {filter === "all" ? "" : STATUS_LABELS[filter].toLowerCase()} goals.{" "}
                <button type="button" onClick={() => setFilter("all")}>
                  Show all goals
                </button>
              </p>
            ) : (
              <ul className="goal-grid" aria-busy={goals.isFetching}>
                {list.map((g) => (
                  <GoalItem
                    key={g.goalId}
                    goal={g}
                    categories={cats}
                    stays={(after) => filter === "all" || after.status === filter}
                    onDone={say}
                  />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      <NewGoalForm
        categories={cats.filter((c) => !c.archived)}
        onCreated={(goal) => {
          say(`${goal.name} was created.`);
          if (filter !== "all" && filter !== goal.status) setFilter("all");
        }}
      />
    </div>
  );
}
