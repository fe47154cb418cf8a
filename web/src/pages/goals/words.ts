import type { Goal, GoalStatus } from "@tyche/types";
import { fullDate, money, monthLabel } from "../../ui/format";

/** Each status as a person names it. */
export const STATUS_LABELS: Record<GoalStatus, string> = {
  active: "Active",
  paused: "Paused",
  completed: "Completed",
  cancelled: "Cancelled",
};

export const GOAL_STATUSES = ["active", "paused", "completed", "cancelled"] as const;
export const isGoalStatus = (s: string | null): s is GoalStatus =>
  (GOAL_STATUSES as readonly string[]).includes(s ?? "");

/** Priorities 1 to 5 in words (1 is the highest). */
export const PRIORITY_LABELS: Record<number, string> = {
  1: "1: highest",
  2: "2: high",
  3: "3: medium",
  4: "4: low",
  5: "5: lowest",
};

/**
 * The whole percentage saved, rounded down, with integers only: the rule the milestones use
 * (p % is reached when current × 100 ≥ target × p), so the figure shown never runs ahead of them.
 */
export function percentSaved(current: number, target: number): number {
  if (target <= 0 || current <= 0) return 0;
  const a = current * 100;
  let p = Math.floor(a / target);
  // The float quotient is a first guess; integer products settle it.
  if (p * target > a) p -= 1;
  else if ((p + 1) * target <= a) p += 1;
  return p;
}

/** A whole percentage in the reader's own notation ("25%", "25 %"). */
export const percentLabel = (p: number) =>
  new Intl.NumberFormat(navigator.language, { style: "percent", maximumFractionDigits: 0 }).format(p / 100);

/** "$1,250.00 of $5,000.00 — 25%": what the bar shows, in words. */
export const progressWords = (goal: Pick<Goal, "currentAmount" | "targetAmount" | "currency">) =>
  `${money(goal.currentAmount, goal.currency)} of ${money(goal.targetAmount, goal.currency)} — ${percentLabel(
    percentSaved(goal.currentAmount, goal.targetAmount),
  )}`;

/** An instant's day, as the API counts days (UTC). */
export const dayOf = (instant: string) => fullDate(instant.slice(0, 10));

export interface Track {
  /** The badge: on track or not, completed, cancelled. */
  label: string;
  /** For its colour; the label says the same in words. */
  level: "on" | "off" | "done" | "cancelled";
  /** Why, in a sentence. */
  detail: string;
}

/** Whether a goal is on track, in words, with the reason. */
export function trackOf(goal: Goal): Track {
  const avg = goal.averageMonthly;
  if (goal.status === "completed")
    return {
      label: "Completed",
      level: "done",
      detail:
        goal.currentAmount >= goal.targetAmount
          ? `Target reached${goal.completedAt ? ` on ${dayOf(goal.completedAt)}` : ""}.`
          : `Marked completed${goal.completedAt ? ` on ${dayOf(goal.completedAt)}` : ""}.`,
    };
  if (goal.status === "cancelled")
    return { label: "Cancelled", level: "cancelled", detail: "Not being saved for; its history is kept." };
  if (goal.onTrack)
    return {
      label: "On track",
      level: "on",
      detail:
        avg !== null && goal.projectedCompletion
          ? `At your recent pace of ${money(avg, goal.currency)} a month it is reached in ${monthLabel(
              goal.projectedCompletion,
            )}.`
          : "It is reached in time at your recent pace.",
    };
  let detail: string;
  if (goal.monthsLeft === 0) detail = "The target date has passed.";
  else if (avg === null)
    detail = "No pace yet: it is measured over complete months, so it shows from next month.";
  else if (goal.projectedCompletion === null)
    detail = `Over the last complete months you saved ${money(avg, goal.currency)} a month, which does not reach it.`;
  else
    detail = `At your recent pace of ${money(avg, goal.currency)} a month it is reached in ${monthLabel(
      goal.projectedCompletion,
    )}, after the target date.`;
  return { label: "Not on track", level: "off", detail };
}

/** What to put aside each month, in a sentence. */
export function monthlyWords(goal: Goal): string {
  if (goal.requiredMonthly === null) return "Nothing: the goal is cancelled";
  if (goal.requiredMonthly === 0) return "Nothing more: the target is reached";
  if (goal.monthsLeft === 0)
    return `${money(goal.requiredMonthly, goal.currency)} now: the target date has passed`;
  return `${money(goal.requiredMonthly, goal.currency)} a month`;
}
