import { z } from "zod";
import { CategoryType } from "./category";
import { Cents, Id, Instant, Month, Version } from "./primitives";

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date as YYYY-MM-DD" })
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      error: "must be a real calendar date",
    },
  )
  .refine((d) => d >= "1970-01-01" && d <= "2999-12-31", { error: "must be between 1970 and 2999" })
  .describe("Calendar date, YYYY-MM-DD");

/** A transaction's amount: positive cents; `type` says which way the money went. */
export const PositiveCents = Cents.refine((v) => v > 0, { error: "must be more than zero" });

export const TransactionType = z.enum(["expense", "income"]);
export type TransactionType = z.infer<typeof TransactionType>;

export const CategorizedBy = z.enum(["user", "rule", "merchant-history", "none"]);
export type CategorizedBy = z.infer<typeof CategorizedBy>;

export const Split = z.strictObject({
  categoryId: Id,
  amount: PositiveCents,
  note: z.string().max(200).optional(),
});
export type Split = z.infer<typeof Split>;

const Tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((t) => t.toLowerCase());

const TransactionFields = {
  date: IsoDate,
  amount: PositiveCents,
  type: TransactionType.default("expense"),
  categoryId: Id.nullable().optional().describe("Omit to let rules and merchant history choose"),
  merchant: z.string().trim().max(200).optional().describe("As written by the bank or the user"),
  description: z.string().trim().max(500).optional(),
  tags: z.array(Tag).max(20).optional(),
  notes: z.string().max(2000).optional(),
  splits: z
    .array(Split)
    .min(2)
    .max(20)
    .optional()
    .describe("Parts in several categories; must add up to amount"),
};

function checkSplits(
  body: { amount?: number; splits?: Split[] | undefined; categoryId?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  if (!body.splits || body.amount === undefined) return;
  const total = body.splits.reduce((sum, s) => sum + s.amount, 0);
  if (total !== body.amount) {
    ctx.addIssue({
      code: "custom",
      path: ["splits"],
      message: `add up to ${total}, not to amount ${body.amount}`,
    });
  }
}

export const TransactionCreate = z.strictObject(TransactionFields).superRefine(checkSplits);
export type TransactionCreate = z.input<typeof TransactionCreate>;
export type TransactionCreateParsed = z.output<typeof TransactionCreate>;

export const TransactionUpdate = z
  .strictObject({
    date: IsoDate.optional(),
    amount: PositiveCents.optional(),
    type: TransactionType.optional(),
    categoryId: Id.nullable().optional(),
    merchant: z.string().trim().max(200).optional(),
    description: z.string().trim().max(500).optional(),
    tags: z.array(Tag).max(20).optional(),
    notes: z.string().max(2000).optional(),
    splits: z.array(Split).min(2).max(20).nullable().optional().describe("null removes the splits"),
  })
  .describe("Fields to change; splits must add up to the resulting amount");
export type TransactionUpdate = z.infer<typeof TransactionUpdate>;

export const Transaction = z.object({
  transactionId: Id,
  date: IsoDate,
  amount: z.number().int(),
  type: TransactionType,
  categoryId: Id.nullable(),
  categoryType: z.string().nullable().describe("The category's slug at the time of writing, e.g. groceries"),
  merchant: z.string().nullable().describe("Normalised display name"),
  merchantRaw: z.string().nullable().describe("As the bank or the user wrote it"),
  description: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  receiptUrl: z.string().nullable(),
  splits: z.array(Split).nullable(),
  categorizedBy: CategorizedBy,
  importId: z.string().nullable(),
  matchedSplit: z
    .object({ categoryId: Id, amount: z.number().int() })
    .optional()
    .describe("With ?category=, the part of a split transaction in that category"),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Transaction = z.infer<typeof Transaction>;

export const TransactionQuery = z.object({
  month: Month.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  category: CategoryType.optional().describe("Category slug; needs month, or from and to"),
  merchant: z.string().trim().min(1).max(200).optional(),
  tag: Tag.optional(),
  type: TransactionType.optional(),
  q: z.string().trim().min(1).max(100).optional().describe("Text in merchant, description or notes"),
  minAmount: z.coerce.number().pipe(Cents).optional(),
  maxAmount: z.coerce.number().pipe(Cents).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(4096).optional(),
});
export type TransactionQuery = z.infer<typeof TransactionQuery>;

/** Conditions of a categorisation rule; all given conditions must hold. */
export const TextCondition = z.strictObject({
  op: z.enum(["equals", "contains", "startsWith"]),
  value: z.string().trim().min(1).max(200),
});

export const RuleConditions = z
  .strictObject({
    merchant: TextCondition.optional(),
    description: TextCondition.optional(),
    minAmount: Cents.optional(),
    maxAmount: Cents.optional(),
    type: TransactionType.optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), {
    error: "must have at least one condition",
  });

export const RuleActions = z
  .strictObject({
    categoryId: Id.optional(),
    tags: z.array(Tag).max(20).optional(),
    merchantName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), { error: "must have at least one action" });

export const RuleCreate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  priority: z.number().int().min(0).max(1000).default(100).describe("Lower runs first"),
  enabled: z.boolean().default(true),
  conditions: RuleConditions,
  actions: RuleActions,
});
export type RuleCreate = z.input<typeof RuleCreate>;

export const RuleUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  priority: z.number().int().min(0).max(1000).optional(),
  enabled: z.boolean().optional(),
  conditions: RuleConditions.optional(),
  actions: RuleActions.optional(),
});
export type RuleUpdate = z.infer<typeof RuleUpdate>;

export const Rule = z.object({
  ruleId: Id,
  name: z.string(),
  priority: z.number().int(),
  enabled: z.boolean(),
  conditions: RuleConditions,
  actions: RuleActions,
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Rule = z.infer<typeof Rule>;

export const Merchant = z.object({
  name: z.string(),
  count: z.number().int(),
  categoryId: Id.nullable().describe("The category the user last gave this merchant"),
});
export type Merchant = z.infer<typeof Merchant>;
