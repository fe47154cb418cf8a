import { Link } from "react-router";
import { useGoals } from "../../api/goals";
import { LoadFailed } from "../../ui/ErrorMessage";
import { GoalProgress } from "../goals/GoalProgress";
import { monthlyWords, trackOf } from "../goals/words";

/** How many active goals the dashboard lists; the rest are on the goals page. */
const SHOWN = 5;

/** The active savings goals, nearest target first, each with its progress and whether it is on track. */
export function GoalsPanel() {
  const goals = useGoals("active");
  const list = goals.data ?? [];
  return (
    <section className="card goals-panel" aria-labelledby="goals-panel-heading" data-testid="goals-panel">
      <h2 id="goals-panel-heading">Goals</h2>
      {goals.isPending ? (
        <p className="loading">Loading your goals…</p>
      ) : goals.isError ? (
        <LoadFailed query={goals} />
      ) : list.length === 0 ? (
        <p className="muted">No active savings goals.</p>
      ) : (
        <ul className="plain-list goals-panel-list">
          {list.slice(0, SHOWN).map((g) => {
            const track = trackOf(g);
            return (
              <li key={g.goalId} data-testid="dashboard-goal">
                <h3 className="goals-panel-name">{g.name}</h3>
                <GoalProgress goal={g} compact />
                <p className="small goals-panel-track">
                  <strong className={`goals-panel-badge track-${track.level}`} data-testid="track">
                    {track.level === "on" ? "✓ " : ""}
                    {track.label}
                  </strong>
                  <span className="muted"> · Save {monthlyWords(g)}</span>
                </p>
              </li>
            );
          })}
        </ul>
      )}
      {list.length > SHOWN && <p className="muted small">And {list.length - SHOWN} more.</p>}
      <p>
        <Link to="/goals">{list.length === 0 && goals.isSuccess ? "Set a savings goal" : "All goals"}</Link>
      </p>
    </section>
  );
}
