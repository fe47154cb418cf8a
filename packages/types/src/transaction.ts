import { z } from "zod";
import { AccountId } from "./account";
import { CategoryType } from "./category";
import { Cents, Id, Instant, IsoDate, Month, Version } from "./primitives";

/** A transaction's amount: positive cents; `type` says which way the money went. */
export const PositiveCents = Cents.refine((v) => v > 0, { error: "must be more than zero" });

export const TransactionType = z
  .enum(["expense", "income", "refund", "transfer"])
  .describe(
    "expense adds to its category's spending, refund lowers it, income adds to the month's income; " +
      "a transfer moves money between two of your accounts and is neither (into a card it is a debt payment)",
  );
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
  accountId: AccountId.optional().describe(
    "The account the money moved in; defaults to your first open account",
  ),
  toAccountId: AccountId.optional().describe("For a transfer: the account the money went to"),
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

/**
 * A transfer (`kind`) names the other account the money moves to, and only a transfer does: for
 * a transaction's and a recurring template's bodies alike.
 */
export function checkTransferAccounts(
  kind: string | undefined,
  body: { accountId?: string | undefined; toAccountId?: string | null | undefined },
  ctx: z.RefinementCtx,
): void {
  if (kind === "transfer") {
    if (!body.toAccountId)
      ctx.addIssue({ code: "custom", path: ["toAccountId"], message: "is required for a transfer" });
    else if (body.toAccountId === body.accountId)
      ctx.addIssue({
        code: "custom",
        path: ["toAccountId"],
        message: "must be another account than accountId",
      });
  } else if (kind !== undefined && body.toAccountId) {
    ctx.addIssue({ code: "custom", path: ["toAccountId"], message: "is only for a transfer" });
  }
}

function checkSplits(
  body: {
    amount?: number;
    splits?: Split[] | undefined;
    categoryId?: string | null | undefined;
    type?: TransactionType;
    toAccountId?: string | undefined;
    accountId?: string | undefined;
  },
  ctx: z.RefinementCtx,
) {
  checkTransferAccounts(body.type, body, ctx);
  if (body.type === "transfer" && body.splits)
    ctx.addIssue({ code: "custom", path: ["splits"], message: "cannot be given for a transfer" });
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
    accountId: AccountId.optional().describe(
      "Moves the transaction (for a transfer: its source) to this account",
    ),
    toAccountId: AccountId.optional().describe("For a transfer: the account the money went to"),
    date: IsoDate.optional(),
    amount: PositiveCents.optional(),
    type: TransactionType.optional(),
    categoryId: Id.nullable().optional(),
    merchant: z.string().trim().max(200).optional(),
    description: z.string().trim().max(500).optional(),
    tags: z.array(Tag).max(20).optional(),
    notes: z.string().max(2000).optional(),
    splits: z.array(Split).min(2).max(20).nullable().optional().describe("null removes the splits"),
    pending: z.boolean().optional().describe("false once the bank has settled it"),
  })
  .describe("Fields to change; splits must add up to the resulting amount");
export type TransactionUpdate = z.infer<typeof TransactionUpdate>;

export const TransferLink = z.object({
  fromAccountId: AccountId,
  toAccountId: AccountId,
  linkedTransactionId: Id.describe("The other leg of the pair, in the other account"),
});

export const Transaction = z.object({
  transactionId: Id,
  accountId: AccountId.describe("The account this record moves; a transfer has one record in each account"),
  toAccountId: AccountId.nullable().describe("For a transfer, where the money went"),
  transfer: TransferLink.nullable(),
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
  bankId: z
    .string()
    .nullable()
    .describe("The bank's own id of this row (OFX FITID or a reference), when imported"),
  pending: z.boolean().describe("Not yet settled by the bank"),
  cleared: z.boolean().describe("Confirmed by a bank file (imported, or matched by an import)"),
  matchedSplit: z
    .object({ categoryId: Id, amount: z.number().int() })
    .optional()
    .describe("With ?category=, the part of a split transaction in that category"),
  recurring: z
    .object({
      recurringId: Id,
      date: IsoDate.describe("The occurrence's own date, which a bank's may be a few days from"),
    })
    .optional()
    .describe("On an occurrence of a recurring template: posted by it, or found already recorded"),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Transaction = z.infer<typeof Transaction>;

export const TransactionQuery = z.object({
  accountId: AccountId.optional().describe("Only this account's transactions"),
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
