import type { Goal } from "@tyche/types";
import { percentSaved, progressWords } from "./words";
import "./progress.css";

/**
 * How much of a goal is saved: the words ("$1,250.00 of $5,000.00 — 25%") for everyone, and a bar
 * for the eye that is a progressbar with the same words for assistive technology. Milestones are
 * ticks on the bar (decoration: the milestone list says them in words).
 */
export function GoalProgress({
  goal,
  ticks = [],
  compact = false,
}: {
  goal: Goal;
  /** Percentages to mark on the bar. */
  ticks?: readonly number[];
  compact?: boolean;
}) {
  const percent = percentSaved(goal.currentAmount, goal.targetAmount);
  const shown = Math.min(100, percent);
  const words = progressWords(goal);
  return (
    <div className={compact ? "goal-progress compact" : "goal-progress"}>
      <p className="goal-progress-words" data-testid="progress">
        {words}
      </p>
      <div
        className="goal-progress-track"
        role="progressbar"
        aria-label={`Saved toward ${goal.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={shown}
        aria-valuetext={words}
      >
        <div
          className={`goal-progress-fill goal-progress-${goal.status}`}
          style={{ width: `${shown}%` }}
          data-testid="progress-fill"
        />
        {ticks
          .filter((t) => t > 0 && t < 100)
          .map((t) => (
            <span
              key={t}
              className={t <= percent ? "goal-progress-tick passed" : "goal-progress-tick"}
              style={{ left: `${t}%` }}
            />
          ))}
      </div>
    </div>
  );
}
