import { z } from "zod";
import { SignedCents } from "./account";
import { Cents, CurrencyCode, Id, Instant, IsoDate, Month, Version } from "./primitives";
import { PositiveCents } from "./transaction";

/**
 * Savings goals (tyche-budget-goals). The maths behind requiredMonthly, projectedCompletion,
 * onTrack and milestones is in docs/GOALS.md.
 */

export const GoalStatus = z
  .enum(["active", "paused", "completed", "cancelled"])
  .describe(
    "active: being saved for; paused: kept, not being saved for now; completed: the target was reached " +
      "(set by the contribution or edit that reached it, or by hand); cancelled: given up, takes no contributions",
  );
export type GoalStatus = z.infer<typeof GoalStatus>;

export const GoalPriority = z
  .number({ error: "must be a whole number from 1 to 5" })
  .int({ error: "must be a whole number from 1 to 5" })
  .min(1, { error: "must be a whole number from 1 to 5" })
  .max(5, { error: "must be a whole number from 1 to 5" })
  .describe("1 is the highest priority, 5 the lowest; GET /v1/goals lists by priority, then target date");

export const MilestonePercent = z
  .number({ error: "must be a whole percentage from 1 to 100" })
  .int({ error: "must be a whole percentage from 1 to 100" })
  .min(1, { error: "must be a whole percentage from 1 to 100" })
  .max(100, { error: "must be a whole percentage from 1 to 100" });

const CustomMilestones = z
  .array(MilestonePercent)
  .max(20, { error: "must have at most 20 milestones" })
  .describe("Percentages to mark besides 25, 50, 75 and 100; duplicates are merged");

const Name = z.string().trim().min(1, { error: "must not be empty" }).max(100);

const LinkedCategory = Id.nullable().describe(
  "One of your categories the goal saves through (e.g. a savings category); null for none",
);

export const GoalCreate = z.strictObject({
  name: Name,
  targetAmount: PositiveCents.describe("What to save, in cents"),
  currentAmount: Cents.default(0).describe(
    "What is already saved when the goal is made, in cents; afterwards only contributions move it",
  ),
  targetDate: IsoDate.describe("The day to have it by"),
  priority: GoalPriority.default(3),
  status: z
    .enum(["active", "paused"])
    .default("active")
    .describe("A goal starts active or paused (completed if currentAmount already reaches the target)"),
  categoryId: LinkedCategory.optional(),
  currency: CurrencyCode.default("USD"),
  customMilestones: CustomMilestones.default([]),
});
export type GoalCreate = z.input<typeof GoalCreate>;
export type GoalCreateParsed = z.output<typeof GoalCreate>;

export const GoalUpdate = z
  .strictObject({
    name: Name.optional(),
    targetAmount: PositiveCents.optional(),
    targetDate: IsoDate.optional(),
    priority: GoalPriority.optional(),
    status: GoalStatus.optional().describe(
      "Any status; active or paused only while below the target (a goal at its target is completed)",
    ),
    categoryId: LinkedCategory.optional(),
    currency: CurrencyCode.optional().describe("Only while nothing has been saved toward the goal"),
    customMilestones: CustomMilestones.optional(),
  })
  .describe(
    "Fields to change; currentAmount is not among them: it moves only by contributions " +
      "(POST /v1/goals/{id}/contributions), so the history always explains it",
  );
export type GoalUpdate = z.output<typeof GoalUpdate>;

export const GoalMilestone = z.object({
  percent: z.number().int(),
  reachedAt: Instant.nullable().describe(
    "When the goal first reached it; kept when a withdrawal takes the goal below it again, " +
      "cleared when a new target amount means it is no longer reached",
  ),
});
export type GoalMilestone = z.infer<typeof GoalMilestone>;

export const Goal = z.object({
  goalId: Id,
  name: z.string(),
  targetAmount: z.number().int(),
  currentAmount: z.number().int(),
  startingAmount: z
    .number()
    .int()
    .describe("What the goal was made with: currentAmount = startingAmount + the sum of its contributions"),
  remaining: z.number().int().describe("targetAmount - currentAmount, never below 0"),
  targetDate: IsoDate,
  priority: z.number().int(),
  status: GoalStatus,
  categoryId: Id.nullable(),
  currency: z.string(),
  customMilestones: z.array(z.number().int()),
  milestones: z.array(GoalMilestone).describe("25, 50, 75, 100 % and the custom ones, in increasing order"),
  monthsLeft: z
    .number()
    .int()
    .describe("Calendar months with a day from today to the target date, both included; 0 once it is past"),
  requiredMonthly: z
    .number()
    .int()
    .nullable()
    .describe(
      "What is left spread over monthsLeft, rounded up to the cent (all of it when the target is past); " +
        "0 once reached; null for a cancelled goal",
    ),
  averageMonthly: z
    .number()
    .int()
    .nullable()
    .describe(
      "Net contributions a month over the last three complete months (only those since the goal began), " +
        "rounded down; null in the goal's first month",
    ),
  projectedCompletion: Month.nullable().describe(
    "The month the goal is reached at averageMonthly from this month on; null when reached, cancelled, " +
      "without a positive average, or beyond 2999-12",
  ),
  onTrack: z
    .boolean()
    .describe(
      "Reached, or (not cancelled, target date not past and) projected to complete in the target's month or before",
    ),
  contributionCount: z.number().int(),
  completedAt: Instant.nullable().describe("When the goal last became completed"),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Goal = z.infer<typeof Goal>;

export const GoalListQuery = z.object({
  status: GoalStatus.optional().describe(
    "Only goals with this status, by target date (read from GSI1, which is eventually consistent)",
  ),
});

export const ContributionCreate = z.strictObject({
  amount: SignedCents.refine((v) => v !== 0, { error: "must not be zero" }).describe(
    "Cents put in (positive) or taken out (negative); the goal may not go below 0",
  ),
  date: IsoDate.describe("The day the money moved; it counts in that month's pace"),
  note: z.string().trim().max(500).optional(),
});
export type ContributionCreate = z.infer<typeof ContributionCreate>;

export const Contribution = z.object({
  contributionId: Id,
  goalId: Id,
  amount: z.number().int(),
  date: IsoDate,
  note: z.string().nullable(),
  balanceAfter: z.number().int().describe("The goal's currentAmount right after this contribution"),
  milestonesReached: z
    .array(z.number().int())
    .describe("Milestones (percent) this contribution reached for the first time"),
  createdAt: Instant,
});
export type Contribution = z.infer<typeof Contribution>;

export const ContributionResult = z.object({ contribution: Contribution, goal: Goal });
export type ContributionResult = z.infer<typeof ContributionResult>;
