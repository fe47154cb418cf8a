import { z } from "zod";
import { AccountId, SignedCents } from "./account";
import { Cents, CurrencyCode, Id, Instant, IsoDate, Month } from "./primitives";
import { PositiveCents, Transaction } from "./transaction";

/** Basis points of a rate: 2499 is 24.99 %. Up to 100 %: no card charges more and stays legal. */
export const AprBasisPoints = z
  .number({ error: "must be whole basis points" })
  .int({ error: "must be whole basis points" })
  .min(0, { error: "must not be negative" })
  .max(10_000, { error: "must be at most 10000 (100 %)" })
  .describe("Annual percentage rate in basis points: 2499 is 24.99 %");

const Name = z.string().trim().min(1, { error: "must not be empty" }).max(100);

export const MinimumPaymentRule = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("fixed"),
      amount: Cents.describe("The same minimum every month (capped at what is owed)"),
    }),
    z.strictObject({
      kind: z.literal("percent"),
      percentBasisPoints: z
        .number()
        .int()
        .min(1, { error: "must be at least 1 basis point" })
        .max(10_000, { error: "must be at most 10000 (100 %)" })
        .describe("Share of the balance (after the month's interest) in basis points: 100 is 1 %"),
      plusInterest: z.boolean().default(true).describe('"1 % plus interest", as most US issuers do'),
      floor: Cents.default(2500).describe("The least the issuer accepts, in cents (capped at what is owed)"),
    }),
  ])
  .describe("How the issuer sets the minimum payment");
export type MinimumPaymentRule = z.output<typeof MinimumPaymentRule>;

/** The usual US rule: 1 % of the balance plus the month's interest, at least $25. */
export const DEFAULT_MINIMUM_PAYMENT: MinimumPaymentRule = {
  kind: "percent",
  percentBasisPoints: 100,
  plusInterest: true,
  floor: 2500,
};

export const PromoRate = z
  .strictObject({
    aprBasisPoints: AprBasisPoints,
    until: IsoDate.describe(
      "The last day of the promotional rate; a month accrues at it only when the promotion covers the whole month",
    ),
  })
  .describe("A promotional APR (a balance transfer offer, 0 % on purchases) until a date");
export type PromoRate = z.infer<typeof PromoRate>;

const DueDay = z
  .number()
  .int()
  .min(1, { error: "must be a day of the month from 1 to 31" })
  .max(31, { error: "must be a day of the month from 1 to 31" })
  .describe("Day of the month the payment is due; in shorter months, their last day");

/** What the issuer set: everything about the card beside what is owed. */
export const CardTerms = z.object({
  issuer: z.string().nullable(),
  aprBasisPoints: AprBasisPoints,
  creditLimit: Cents,
  dueDay: DueDay,
  minimumPayment: MinimumPaymentRule,
  promo: PromoRate.nullable(),
});
export type CardTerms = z.infer<typeof CardTerms>;

const TermFields = {
  issuer: z.string().trim().max(100).optional(),
  aprBasisPoints: AprBasisPoints,
  creditLimit: Cents.describe("The credit limit in cents; 0 when the card has none"),
  dueDay: DueDay,
  minimumPayment: MinimumPaymentRule.default(DEFAULT_MINIMUM_PAYMENT),
  promo: PromoRate.nullable().optional(),
};

export const CardCreate = z.strictObject({
  name: Name,
  balance: SignedCents.default(0).describe(
    "What is owed today (negative when in credit); it becomes the card account's opening balance, " +
      "and from then on purchases raise it and payments and refunds lower it",
  ),
  balanceDate: IsoDate.optional().describe("The day that balance is for; defaults to today"),
  currency: CurrencyCode.default("USD"),
  onBudget: z.boolean().default(true),
  ...TermFields,
});
export type CardCreate = z.input<typeof CardCreate>;
export type CardCreateParsed = z.output<typeof CardCreate>;

export const CardUpdate = z.strictObject({
  name: Name.optional(),
  issuer: z.string().trim().max(100).nullable().optional(),
  aprBasisPoints: AprBasisPoints.optional(),
  creditLimit: Cents.optional(),
  dueDay: DueDay.optional(),
  minimumPayment: MinimumPaymentRule.optional(),
  promo: PromoRate.nullable().optional().describe("null ends a promotion"),
});
export type CardUpdate = z.output<typeof CardUpdate>;

export const Card = z.object({
  cardId: AccountId.describe("The card's account id: a card is an account of type credit-card"),
  name: z.string(),
  currency: z.string(),
  onBudget: z.boolean(),
  closed: z.boolean(),
  balance: z.number().int().describe("What is owed now, in cents (negative when in credit)"),
  openingBalance: z.number().int(),
  openingDate: IsoDate,
  terms: CardTerms.nullable().describe(
    "null for a credit-card account whose terms were never given (made in accounts or by an import): " +
      "PUT them to plan with it",
  ),
  currentAprBasisPoints: z
    .number()
    .int()
    .nullable()
    .describe("The promotional APR while it lasts, else the APR"),
  utilisationBasisPoints: z
    .number()
    .int()
    .nullable()
    .describe("balance / credit limit in basis points (3000 is 30 %); null without a limit"),
  availableCredit: z.number().int().nullable(),
  monthlyInterest: z
    .number()
    .int()
    .nullable()
    .describe("This month's interest on the balance at the current APR"),
  minimumDue: z.number().int().nullable().describe("This month's minimum payment, by the card's rule"),
  nextDueDate: IsoDate.nullable(),
  paidThisMonth: z.number().int().describe("Payments into the card dated this month"),
  version: z
    .number()
    .int()
    .min(0)
    .describe("Version of the card's terms, also its ETag; 0 before any were given"),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Card = z.infer<typeof Card>;

export const CardPaymentCreate = z.strictObject({
  amount: PositiveCents,
  date: IsoDate,
  fromAccountId: AccountId.optional().describe(
    "The account the money came from; defaults to your first open on-budget account that is not a card",
  ),
  note: z.string().max(2000).optional(),
});
export type CardPaymentCreate = z.infer<typeof CardPaymentCreate>;

export const CardPayment = z.object({
  transactionId: Id.describe("The payment's leg in the card account"),
  cardId: AccountId,
  fromAccountId: AccountId,
  amount: z.number().int(),
  date: IsoDate,
  month: Month,
  createdAt: Instant,
});
export type CardPayment = z.infer<typeof CardPayment>;

export const CardPaymentResult = z.object({
  payment: CardPayment,
  transaction: Transaction.describe("The transfer's out leg, as /v1/transactions shows it"),
  card: Card,
});
export type CardPaymentResult = z.infer<typeof CardPaymentResult>;
