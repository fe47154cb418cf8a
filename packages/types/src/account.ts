import { z } from "zod";
import { CurrencyCode, Id, Instant, IsoDate, MAX_CENTS, Version } from "./primitives";

export const ACCOUNT_TYPES = ["checking", "savings", "cash", "credit-card"] as const;
export const AccountType = z.enum(ACCOUNT_TYPES);
export type AccountType = z.infer<typeof AccountType>;

/** Ids of accounts are ULIDs, like every id (a user's first account has a time part of zero). */
export const AccountId = Id;

/** A balance may be below zero (an overdrawn checking account, a card in credit). */
export const SignedCents = z
  .number({ error: "must be a whole number of cents" })
  .int({ error: "must be a whole number of cents" })
  .min(-MAX_CENTS, { error: `must be at least -${MAX_CENTS} cents` })
  .max(MAX_CENTS, { error: `must be at most ${MAX_CENTS} cents` })
  .describe("Amount in minor units (cents), an integer that may be negative");

const Name = z.string().trim().min(1, { error: "must not be empty" }).max(100);

export const AccountCreate = z.strictObject({
  name: Name,
  type: AccountType.default("checking"),
  currency: CurrencyCode.default("USD"),
  openingBalance: SignedCents.default(0).describe(
    "What the account held (for a card: what was owed) on openingDate",
  ),
  openingDate: IsoDate.optional().describe("Defaults to today"),
  onBudget: z
    .boolean()
    .default(true)
    .describe("Off budget: a tracking account whose spending and income are not the budget's"),
});
export type AccountCreate = z.input<typeof AccountCreate>;
export type AccountCreateParsed = z.output<typeof AccountCreate>;

export const AccountUpdate = z.strictObject({
  name: Name.optional(),
  type: AccountType.optional().describe(
    "A card cannot become a cash account (or back) once it has transactions",
  ),
  currency: CurrencyCode.optional().describe("Only while the account has no transactions"),
  openingBalance: SignedCents.optional(),
  openingDate: IsoDate.optional(),
  onBudget: z.boolean().optional().describe("Only while the account has no transactions"),
  closed: z.boolean().optional().describe("A closed account takes no new transactions; false reopens it"),
});
export type AccountUpdate = z.infer<typeof AccountUpdate>;

export const Account = z.object({
  accountId: AccountId,
  name: z.string(),
  type: AccountType,
  currency: z.string(),
  openingBalance: z.number().int(),
  openingDate: IsoDate,
  onBudget: z.boolean(),
  closed: z.boolean(),
  balance: z
    .number()
    .int()
    .describe("What the account holds now, in cents; for a card, what is owed (negative when in credit)"),
  transactionCount: z.number().int(),
  lastImportAt: Instant.nullable(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Account = z.infer<typeof Account>;

export const ReconcileRequest = z.strictObject({
  balance: SignedCents.describe("The balance the bank shows (for a card: what it says is owed)"),
  date: IsoDate.describe("The day the bank's balance is for, counting every transaction up to it"),
});
export type ReconcileRequest = z.infer<typeof ReconcileRequest>;

export const Reconciliation = z.object({
  accountId: AccountId,
  date: IsoDate,
  bankBalance: z.number().int(),
  tycheBalance: z.number().int().describe("Tyche's balance counting every transaction dated up to date"),
  difference: z.number().int().describe("bankBalance - tycheBalance; 0 when they match"),
  matches: z.boolean(),
  transactionsCounted: z.number().int(),
});
export type Reconciliation = z.infer<typeof Reconciliation>;
