/**
 * Goal milestones: the standard 25, 50, 75 and 100 % and any custom whole percentages, each with
 * the instant it was first reached. A percentage p is reached when currentAmount / targetAmount ≥
 * p / 100, decided with integers (currentAmount × 100 ≥ targetAmount × p), never with a float.
 */

export const STANDARD_MILESTONES: readonly number[] = [25, 50, 75, 100];

export interface Milestone {
  percent: number;
  /** ISO instant of the write that first reached it; null while not reached. */
  reachedAt: string | null;
}

function checkPercent(p: number): void {
  if (!Number.isInteger(p) || p < 1 || p > 100)
    throw new RangeError(`a milestone is a whole percentage from 1 to 100, not ${p}`);
}

/** The standard milestones and the custom ones, each once, in increasing order. */
export function milestonePercents(custom: readonly number[] = []): number[] {
  for (const p of custom) checkPercent(p);
  return [...new Set([...STANDARD_MILESTONES, ...custom])].sort((a, b) => a - b);
}

/** Whether `amount` of `targetAmount` reaches `percent`. */
export function milestoneReached(amount: number, targetAmount: number, percent: number): boolean {
  checkPercent(percent);
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(targetAmount) || targetAmount <= 0)
    throw new RangeError("amounts must be whole cents and the target above zero");
  return amount * 100 >= targetAmount * percent;
}

/** The percentages a move from `before` to `after` crosses upward (none for a withdrawal). */
export function crossedMilestones(
  before: number,
  after: number,
  targetAmount: number,
  percents: readonly number[],
): number[] {
  return percents.filter(
    (p) => !milestoneReached(before, targetAmount, p) && milestoneReached(after, targetAmount, p),
  );
}

/**
 * The milestones after the goal's amount became `amount`, at instant `at`.
 *
 * - `keep` (a contribution, or a change of the custom list): a milestone once reached keeps its
 *   first `reachedAt`, even after a withdrawal takes the amount below it again; one not reached
 *   before and reached now gets `at`.
 * - `remeasure` (the target amount changed, so every milestone stands for another sum): a
 *   milestone keeps its `reachedAt` only if `amount` still reaches it; one reached now and not
 *   before gets `at`; the others are cleared.
 *
 * The result lists exactly `percents`, in increasing order; milestones dropped from the custom
 * list are gone.
 */
export function updateMilestones(
  previous: readonly Milestone[],
  percents: readonly number[],
  amount: number,
  targetAmount: number,
  at: string,
  mode: "keep" | "remeasure",
): Milestone[] {
  const before = new Map(previous.map((m) => [m.percent, m.reachedAt]));
  return [...new Set(percents)]
    .sort((a, b) => a - b)
    .map((percent) => {
      const reachedNow = milestoneReached(amount, targetAmount, percent);
      const first = before.get(percent) ?? null;
      if (mode === "keep") return { percent, reachedAt: first ?? (reachedNow ? at : null) };
      return { percent, reachedAt: reachedNow ? (first ?? at) : null };
    });
}
