import { ContributionCreate, type Goal, GoalCreate, type GoalCreateParsed, GoalUpdate } from "@tyche/types";
import { type Checked, checkedBy, issuesByField } from "../../ui/checked";
import { centsToInput, money, parseMoney } from "../../ui/format";

/** A goal as typed: every field text, so what is typed is kept as it is. */
export interface GoalDraft {
  name: string;
  target: string;
  /** What is already saved; only when creating (afterwards contributions move it). */
  saved: string;
  targetDate: string;
  priority: string;
  /** "" for none. */
  categoryId: string;
  /** Custom milestones as typed: "10, 90". */
  milestones: string;
  /** Only when creating: start paused rather than active. */
  paused: boolean;
}

export const blankGoal = (): GoalDraft => ({
  name: "",
  target: "",
  saved: "",
  targetDate: "",
  priority: "3",
  categoryId: "",
  milestones: "",
  paused: false,
});

/** The draft of a goal as it is now. */
export const draftOf = (goal: Goal): GoalDraft => ({
  name: goal.name,
  target: centsToInput(goal.targetAmount, goal.currency),
  saved: "",
  targetDate: goal.targetDate,
  priority: String(goal.priority),
  categoryId: goal.categoryId ?? "",
  milestones: goal.customMilestones.join(", "),
  paused: false,
});

export const AMOUNT = "must be an amount such as 5000.00";
const MILESTONES = "must be whole percentages from 1 to 100, separated by commas, such as 10, 90";

/** Custom milestones as typed ("10, 90 %") as numbers; undefined when one is not a whole number. */
export function parseMilestones(text: string): number[] | undefined {
  const parts = text
    .replace(/%/g, " ")
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (!parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  return parts.map(Number);
}

/** The API's field errors, each under the field the form has for it (a milestone's under the list). */
function byField(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const out = issuesByField(issues);
  for (const key of Object.keys(out))
    if (key.startsWith("customMilestones.")) {
      out.customMilestones ??= out[key] as string;
      delete out[key];
    }
  return out;
}

function common(draft: GoalDraft, currency: string) {
  const problems: Record<string, string> = {};
  const targetAmount = parseMoney(draft.target, currency);
  if (targetAmount === undefined) problems.targetAmount = AMOUNT;
  const customMilestones = parseMilestones(draft.milestones);
  if (customMilestones === undefined) problems.customMilestones = MILESTONES;
  return {
    problems,
    fields: {
      name: draft.name,
      targetAmount: targetAmount ?? 1,
      targetDate: draft.targetDate,
      priority: Number(draft.priority),
      categoryId: draft.categoryId === "" ? null : draft.categoryId,
      customMilestones: customMilestones ?? [],
    },
  };
}

/** A new goal from the form, checked with the API's own schema. */
export function checkCreate(draft: GoalDraft, currency = "USD"): Checked<GoalCreateParsed> {
  const { problems: own, fields } = common(draft, currency);
  const currentAmount = draft.saved.trim() === "" ? 0 : parseMoney(draft.saved, currency);
  if (currentAmount === undefined) own.currentAmount = AMOUNT;
  const result = GoalCreate.safeParse({
    ...fields,
    currentAmount: currentAmount ?? 0,
    status: draft.paused ? "paused" : "active",
    currency,
  });
  return checkedBy(result, own, byField);
}

/** A change of a goal from the form, checked with the API's own schema. */
export function checkUpdate(draft: GoalDraft, goal: Goal): Checked<GoalUpdate> {
  const { problems: own, fields } = common(draft, goal.currency);
  const result = GoalUpdate.safeParse(fields);
  return checkedBy(result, own, byField);
}

/** The API's paths the goal form has a field for; any other error is said under the form. */
export const GOAL_FIELDS = [
  "name",
  "targetAmount",
  "currentAmount",
  "targetDate",
  "priority",
  "categoryId",
  "customMilestones",
  "status",
  "currency",
] as const;

export interface ContributionDraft {
  direction: "in" | "out";
  amount: string;
  date: string;
  note: string;
}

/** A contribution from its form: money in is positive cents, money out negative. */
export function checkContribution(
  draft: ContributionDraft,
  goal: Pick<Goal, "currency" | "currentAmount">,
): Checked<ContributionCreate> {
  const own: Record<string, string> = {};
  const cents = parseMoney(draft.amount, goal.currency);
  if (cents === undefined) own.amount = "must be an amount such as 50.00";
  else if (cents <= 0) own.amount = "must be more than zero";
  else if (draft.direction === "out" && cents > goal.currentAmount)
    own.amount = `must be at most what the goal holds, ${money(goal.currentAmount, goal.currency)}`;
  const result = ContributionCreate.safeParse({
    amount: draft.direction === "out" ? -(cents ?? 1) : (cents ?? 1),
    date: draft.date,
    ...(draft.note.trim() ? { note: draft.note } : {}),
  });
  return checkedBy(result, own);
}
