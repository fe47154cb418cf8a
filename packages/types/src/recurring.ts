import { z } from "zod";
import { AccountId } from "./account";
import { Cents, Id, Instant, IsoDate, Version } from "./primitives";
import { checkTransferAccounts, PositiveCents } from "./transaction";

/**
 * Recurring bills (rent, subscriptions, a monthly card payment): templates whose occurrences
 * become transactions. The schedule is an RFC 5545 recurrence rule on calendar dates
 * (docs/RECURRING.md); it may be given as the rule's text or in a structured form, and is always
 * answered both ways.
 */

export const RecurringKind = z
  .enum(["expense", "income", "transfer"])
  .describe("expense and income as for transactions; a transfer moves money from accountId to toAccountId");
export type RecurringKind = z.infer<typeof RecurringKind>;

export const RecurringStatus = z.enum(["active", "paused"]).describe("A paused template posts nothing");

export const Frequency = z.enum(["weekly", "monthly", "yearly"]);

const WeekdayToken = z.string().regex(/^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/, {
  error: "must be MO to SU, with a position for monthly and yearly schedules (1MO, -1FR)",
});

const MonthDay = z
  .number()
  .int({ error: "must be a whole day" })
  .refine((d) => (d >= 1 && d <= 31) || d === -1, {
    error: "must be a day from 1 to 31, or -1 for the last day",
  });

const ShortMonths = z
  .enum(["last-day", "skip"])
  .describe(
    "For a byMonthDay of 29 to 31 in a shorter month: its last day (last-day, the default) or no occurrence (skip)",
  );

const ScheduleFields = {
  frequency: Frequency.optional().describe("Required unless rrule is given"),
  interval: z.number().int().min(1).max(99).optional().describe("Every n weeks, months or years; default 1"),
  byMonthDay: MonthDay.optional().describe(
    "Monthly and yearly: the day of the month (1-31, or -1 for the last day); defaults to startDate's day",
  ),
  byWeekday: z
    .array(WeekdayToken)
    .min(1)
    .max(7)
    .optional()
    .describe(
      "Weekly: the weekdays (default startDate's). Monthly and yearly, instead of byMonthDay: one weekday " +
        "with its position, 1MO the first Monday, -1FR the last Friday",
    ),
  byMonth: z.number().int().min(1).max(12).optional().describe("Yearly: the month; defaults to startDate's"),
  shortMonths: ShortMonths.optional(),
  startDate: IsoDate.optional().describe(
    "The first day an occurrence may fall on (DTSTART); required unless rrule has a DTSTART",
  ),
  endDate: IsoDate.optional().describe("The last day an occurrence may fall on (UNTIL)"),
  count: z.number().int().min(1).max(1000).optional().describe("How many occurrences in all (COUNT)"),
  rrule: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      "RFC 5545 text instead of (or agreeing with) the fields above, e.g. " +
        '"DTSTART;VALUE=DATE:20250131\\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1"',
    ),
};

export const ScheduleInput = z
  .strictObject(ScheduleFields)
  .superRefine((s, ctx) => {
    if (s.rrule === undefined) {
      if (s.frequency === undefined)
        ctx.addIssue({ code: "custom", path: ["frequency"], message: "is required unless rrule is given" });
      if (s.startDate === undefined)
        ctx.addIssue({ code: "custom", path: ["startDate"], message: "is required unless rrule is given" });
    }
    if (s.endDate !== undefined && s.count !== undefined)
      ctx.addIssue({ code: "custom", path: ["count"], message: "cannot be given together with endDate" });
  })
  .describe("When it recurs: the structured fields, or rrule, or both when they agree");
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const Schedule = z.object({
  rrule: z.string().describe("The RFC 5545 rule as stored: DTSTART;VALUE=DATE and RRULE lines"),
  frequency: Frequency,
  interval: z.number().int(),
  byMonthDay: z.number().int().nullable(),
  byWeekday: z.array(z.string()).nullable(),
  byMonth: z.number().int().nullable(),
  shortMonths: ShortMonths,
  startDate: IsoDate,
  endDate: IsoDate.nullable(),
  count: z.number().int().nullable(),
});
export type Schedule = z.infer<typeof Schedule>;

const Name = z.string().trim().min(1, { error: "must not be empty" }).max(100);
const Merchant = z.string().trim().max(200);
const MatchTolerance = Cents.describe(
  "Cents a bank's amount may differ from the template's and still be the same bill (default 0)",
);
/** The widest matchWindowDays: how far around its rows' dates an import looks for posted bills. */
export const MAX_RECURRING_WINDOW_DAYS = 7;

const MatchWindowDays = z
  .number()
  .int()
  .min(0)
  .max(MAX_RECURRING_WINDOW_DAYS)
  .describe("Days a bank's date may be from an occurrence's and still be the same bill (default 3)");

export const RecurringCreate = z
  .strictObject({
    name: Name,
    amount: PositiveCents,
    kind: RecurringKind.default("expense"),
    accountId: AccountId.describe("The account the money leaves (or, for income, arrives in)"),
    toAccountId: AccountId.optional().describe("A transfer's destination, e.g. a credit-card account"),
    categoryId: Id.nullable()
      .optional()
      .describe("null or absent: rules and merchant history choose when posted"),
    merchant: Merchant.nullable().optional(),
    schedule: ScheduleInput,
    autoPost: z
      .boolean()
      .default(true)
      .describe("Post each occurrence as a transaction when it is due; false: a reminder only"),
    matchTolerance: MatchTolerance.default(0),
    matchWindowDays: MatchWindowDays.default(3),
    status: RecurringStatus.default("active"),
    backfill: z
      .boolean()
      .default(false)
      .describe(
        "Also post the occurrences from startDate up to today (at most a year back). By default only " +
          "those from the day the template is made on are posted",
      ),
  })
  .superRefine((body, ctx) => checkTransferAccounts(body.kind, body, ctx));
export type RecurringCreate = z.input<typeof RecurringCreate>;
export type RecurringCreateParsed = z.output<typeof RecurringCreate>;

export const RecurringUpdate = z
  .strictObject({
    name: Name.optional(),
    amount: PositiveCents.optional(),
    kind: RecurringKind.optional(),
    accountId: AccountId.optional(),
    toAccountId: AccountId.nullable().optional(),
    categoryId: Id.nullable().optional(),
    merchant: Merchant.nullable().optional(),
    schedule: ScheduleInput.optional().describe("Replaces the whole schedule"),
    autoPost: z.boolean().optional(),
    matchTolerance: MatchTolerance.optional(),
    matchWindowDays: MatchWindowDays.optional(),
    status: RecurringStatus.optional(),
  })
  .describe(
    "Fields to change. A change applies to occurrences not posted yet: due ones are posted as the " +
      "template was before it; a new schedule, a resume or turning autoPost on starts from today",
  );
export type RecurringUpdate = z.infer<typeof RecurringUpdate>;

export const RecurringFailure = z.object({
  date: IsoDate.describe("The occurrence that could not be posted"),
  message: z.string(),
  at: Instant,
});

export const Recurring = z.object({
  recurringId: Id,
  name: z.string(),
  amount: z.number().int(),
  kind: RecurringKind,
  accountId: AccountId,
  toAccountId: AccountId.nullable(),
  categoryId: Id.nullable(),
  merchant: z.string().nullable(),
  currency: z.string().describe("The account's currency, fixed when the template was written"),
  schedule: Schedule,
  autoPost: z.boolean(),
  matchTolerance: z.number().int(),
  matchWindowDays: z.number().int(),
  status: RecurringStatus,
  postedThrough: IsoDate.describe(
    "Every occurrence dated on or before this day is done: posted, found already recorded, or before the template applied",
  ),
  nextOccurrence: IsoDate.nullable().describe(
    "The next occurrence not done yet (for a template that posts, possibly due and about to be posted); null when paused or ended",
  ),
  lastFailure: RecurringFailure.nullable().describe(
    "Why the last attempt to post an occurrence failed, until one succeeds",
  ),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Recurring = z.infer<typeof Recurring>;

export const UpcomingQuery = z.object({
  days: z.coerce
    .number({ error: "must be a whole number of days" })
    .int({ error: "must be a whole number of days" })
    .min(1, { error: "must be from 1 to 366" })
    .max(366, { error: "must be from 1 to 366" })
    .default(30)
    .describe("How many days ahead, today included: 1 to 366"),
});

export const UpcomingOccurrence = z.object({
  recurringId: Id,
  name: z.string(),
  date: IsoDate,
  amount: z.number().int(),
  kind: RecurringKind,
  accountId: AccountId,
  toAccountId: AccountId.nullable(),
  categoryId: Id.nullable(),
  merchant: z.string().nullable(),
  currency: z.string(),
  autoPost: z.boolean().describe("Whether it will be posted by itself, or is a reminder to pay"),
});
export type UpcomingOccurrence = z.infer<typeof UpcomingOccurrence>;

export const UpcomingTotal = z.object({
  currency: z.string(),
  expense: z.number().int(),
  income: z.number().int(),
  transfer: z.number().int(),
  count: z.number().int(),
});

export const Upcoming = z.object({
  from: IsoDate,
  to: IsoDate,
  items: z.array(UpcomingOccurrence),
  totals: z.array(UpcomingTotal).describe("Per currency, each kind apart"),
});
export type Upcoming = z.infer<typeof Upcoming>;
