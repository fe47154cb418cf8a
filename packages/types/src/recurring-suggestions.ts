import { z } from "zod";
import { Cents, Instant, IsoDate } from "./primitives";
import { Schedule } from "./recurring";

/**
 * "Found for you": charges (and income) that look recurring in a user's history, as
 * `GET /v1/recurring/suggestions` answers them. The detector's rules and its confidence formula
 * are in docs/SUGGESTIONS.md.
 */

export const RecurringCadence = z
  .enum(["weekly", "biweekly", "monthly", "quarterly", "yearly"])
  .describe("How often it recurs: every week, every two weeks, every month, every three months, every year");
export type RecurringCadence = z.infer<typeof RecurringCadence>;

export const SuggestionKind = z
  .enum(["expense", "income"])
  .describe("A recurring charge (a subscription, a bill) or recurring income (a salary)");
export type SuggestionKind = z.infer<typeof SuggestionKind>;

/** A suggestion's key: 16 lowercase hex digits, stable while its merchant, account, kind and cadence are. */
export const SuggestionKey = z
  .string()
  .regex(/^[0-9a-f]{16}$/, { error: "must be a suggestion key (16 hex digits)" })
  .describe("Stable id of a suggestion: a hash of its kind, account, merchant key and cadence");

/**
 * The schedule that fits the evidence, in the recurring templates' own terms (`Schedule` of
 * recurring.ts), starting at the next date due: `{rrule}` alone makes a template's schedule that
 * posts nothing already in the history.
 */
export const SuggestedSchedule = Schedule.describe(
  "The schedule that fits the evidence, from the next date due; as a recurring template's schedule, " +
    "its rrule alone is enough",
);
export type SuggestedSchedule = z.infer<typeof SuggestedSchedule>;

export const RecurringEvidence = z.object({
  transactionId: z.string(),
  date: IsoDate,
  amount: Cents,
});
export type RecurringEvidence = z.infer<typeof RecurringEvidence>;

export const ConfidenceFactors = z
  .object({
    evidence: z.number().min(0).max(1).describe("More occurrences than the cadence's minimum raise it"),
    coverage: z
      .number()
      .min(0)
      .max(1)
      .describe("Occurrences seen over occurrences expected (missed ones lower it)"),
    regularity: z.number().min(0).max(1).describe("How close the dates are to the fitted schedule"),
    amountStability: z.number().min(0).max(1).describe("How little the amount changes from one to the next"),
    exclusivity: z
      .number()
      .min(0)
      .max(1)
      .describe(
        "Share of the merchant's like-amount transactions near the schedule's dates that are the series",
      ),
  })
  .describe("The factors whose product is the confidence");
export type ConfidenceFactors = z.infer<typeof ConfidenceFactors>;

export const RecurringSuggestion = z.object({
  key: SuggestionKey,
  kind: SuggestionKind,
  merchant: z.string().describe("The merchant as shown on its latest occurrence"),
  merchantKey: z.string(),
  accountId: z.string(),
  categoryId: z.string().nullable().describe("The category of its latest occurrence"),
  cadence: RecurringCadence,
  typicalAmount: Cents.describe("Median of the occurrences' amounts"),
  lastAmount: Cents.describe("The latest occurrence's amount: after a price change, what comes next"),
  amountRange: z.object({ min: Cents, max: Cents }),
  occurrences: z.number().int().min(2),
  missed: z
    .number()
    .int()
    .min(0)
    .describe("Expected occurrences between the first and the last that were not seen"),
  firstSeen: IsoDate,
  lastSeen: IsoDate,
  nextExpected: IsoDate.nullable().describe("The next date due by the schedule; null when no longer active"),
  active: z.boolean().describe("Seen within one and a half cadences of today"),
  confidence: z.number().min(0).max(1).describe("0 to 1: the product of confidenceFactors, to 2 decimals"),
  confidenceFactors: ConfidenceFactors,
  schedule: SuggestedSchedule,
  evidence: z.array(RecurringEvidence).describe("The occurrences, oldest first"),
});
export type RecurringSuggestion = z.infer<typeof RecurringSuggestion>;

/** A suggestion as the API lists it: with whether the user dismissed it. */
export const RecurringSuggestionItem = RecurringSuggestion.extend({
  dismissed: z.boolean().describe("Dismissed by you; listed only with includeDismissed=true"),
});
export type RecurringSuggestionItem = z.infer<typeof RecurringSuggestionItem>;

export const RecurringSuggestionList = z.object({
  items: z.array(RecurringSuggestionItem),
  from: IsoDate.describe("The first day of history read"),
  to: IsoDate.describe("The last day of history read (today)"),
});
export type RecurringSuggestionList = z.infer<typeof RecurringSuggestionList>;

export const SuggestionDismissal = z.object({
  key: SuggestionKey,
  kind: SuggestionKind,
  merchant: z.string(),
  merchantKey: z.string(),
  accountId: z.string(),
  cadence: RecurringCadence,
  typicalAmount: Cents,
  dismissedAt: Instant,
});
export type SuggestionDismissal = z.infer<typeof SuggestionDismissal>;
