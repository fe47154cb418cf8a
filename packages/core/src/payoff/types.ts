/** How a card's minimum payment is set by its issuer. */
export type MinimumRule =
  | { kind: "fixed"; amount: number }
  | {
      kind: "percent";
      /** Share of the balance after the month's interest, in basis points (100 = 1 %). */
      percentBasisPoints: number;
      /** When true the month's interest is added on top of the share ("1 % plus interest"). */
      plusInterest: boolean;
      /** The least the issuer accepts, in cents (still capped at what is owed). */
      floor: number;
    };

export interface PayoffCard {
  cardId: string;
  name: string;
  /** Cents owed, at least 0. */
  balance: number;
  /** Regular APR in basis points: 2499 is 24.99 %. */
  aprBasisPoints: number;
  minimum: MinimumRule;
  /** A promotional APR that applies in every month up to and including `until` (`YYYY-MM`). */
  promo?: { aprBasisPoints: number; until: string };
}

/**
 * Where the money beyond the minimums goes. `minimum-only` is the baseline: minimums and nothing
 * else, whatever the monthly amount. `custom` follows `customOrder`.
 */
export type PayoffStrategy = "avalanche" | "snowball" | "highest-interest" | "custom" | "minimum-only";

export const PAYOFF_STRATEGIES: readonly PayoffStrategy[] = [
  "avalanche",
  "snowball",
  "highest-interest",
  "custom",
  "minimum-only",
];

/** A one-off extra payment in a month, on top of the monthly amount. */
export interface Snowflake {
  month: string;
  amount: number;
}

export interface PayoffInput {
  cards: readonly PayoffCard[];
  /** The first month paid (`YYYY-MM`); interest accrues in it first. */
  startMonth: string;
  /** Cents a month for the cards, minimums included (DESIGN.md's availableForDebtPayoff). */
  monthlyAmount: number;
  strategy: PayoffStrategy;
  /** For `custom`: card ids, first paid first. Cards left out follow in input order. */
  customOrder?: readonly string[];
  snowflakes?: readonly Snowflake[];
  /** Months planned at most; 600 (50 years) when left out. */
  horizonMonths?: number;
}

export interface CardMonth {
  cardId: string;
  interest: number;
  payment: number;
  /** Owed at the end of the month, after interest and payment. */
  balance: number;
}

export interface ScheduleMonth {
  month: string;
  /** The cards that owed something at the start of the month, in input order. */
  cards: CardMonth[];
}

export interface CardOutcome {
  cardId: string;
  /** The month of the payment that cleared it; null when it was not cleared (or owed nothing). */
  payoffMonth: string | null;
  interest: number;
  paid: number;
  /** Still owed when the plan had to give up on it: its payments were not bringing it down. */
  neverPaidOff: boolean;
}

/** Why the plan ended. */
export type PayoffEnd =
  /** Every card cleared (or nothing was owed). */
  | "debt-free"
  /** The monthly amount did not cover the month's minimums: see `shortfall`. */
  | "shortfall"
  /** No card's balance fell for STALL_MONTHS months with nothing changing ahead: it never would. */
  | "stalled"
  /** A balance grew past MAX_PLANNED_BALANCE. */
  | "runaway"
  /** The horizon was reached with debt left. */
  | "horizon";

export interface PayoffPlan {
  strategy: PayoffStrategy;
  /** False when a month's minimums exceeded the monthly amount. */
  feasible: boolean;
  shortfall?: { month: string; missing: number };
  end: PayoffEnd;
  /** Months until every card was cleared; null when the plan did not get there. */
  monthsToDebtFree: number | null;
  /** The month of the last payment; null when not debt-free (or when nothing was owed). */
  debtFreeMonth: string | null;
  totalInterest: number;
  totalPaid: number;
  /** Still owed when the plan ended (0 when debt-free). */
  remainingBalance: number;
  cards: CardOutcome[];
  schedule: ScheduleMonth[];
}

export interface StrategyComparison {
  strategy: PayoffStrategy;
  plan: PayoffPlan;
  /** Baseline interest less this plan's; null unless both got debt-free. */
  interestSaved: number | null;
  /** Baseline months less this plan's; null unless both got debt-free. */
  monthsSaved: number | null;
}

export interface PayoffComparison {
  baseline: PayoffPlan;
  /** avalanche, snowball, highest-interest, and custom when the input has a customOrder. */
  strategies: StrategyComparison[];
}
