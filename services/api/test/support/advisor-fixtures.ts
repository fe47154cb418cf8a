import { expect } from "vitest";
import { type Account, type Harness, signup } from "./harness";

/**
 * Users for the built-in advisor's tests, each worked out by hand in its comment. Every one plans
 * January 2030 with today 2030-01-15: the month is in the future so that no clock changes what
 * it holds (the analytics read it as of its first day).
 */
export const MONTH = "2030-01";
export const TODAY = "2030-01-15";

export interface FixtureUser {
  user: Account;
  /** Category ids by slug. */
  ids: Record<string, string>;
  cards: Record<string, string>;
  goals: Record<string, string>;
}

async function ok(h: Harness, u: Account, method: string, path: string, body?: unknown, status = 200) {
  const res = await h.call(method, path, { token: u.token, ...(body !== undefined ? { body } : {}) });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

interface Plan {
  income: number;
  currency?: string;
  limits: Record<string, number>;
  spent?: [day: string, amount: number, slug: string, merchant: string][];
  cards?: {
    name: string;
    balance: number;
    apr: number;
    minimum: number;
    currency?: string;
  }[];
  goals?: {
    name: string;
    target: number;
    current?: number;
    targetDate: string;
    contributions?: [date: string, amount: number][];
  }[];
}

async function build(
  h: Harness,
  name: string,
  plan: Plan | null,
  extra?: Partial<Plan>,
): Promise<FixtureUser> {
  const user = await signup(h, name);
  const categories = (await ok(h, user, "GET", "/v1/categories")).items as {
    type: string;
    categoryId: string;
  }[];
  const ids = Object.fromEntries(categories.map((c) => [c.type, c.categoryId]));
  const p: Partial<Plan> = { ...(plan ?? {}), ...extra };
  if (plan) {
    await ok(
      h,
      user,
      "POST",
      "/v1/budgets",
      {
        month: MONTH,
        totalIncome: plan.income,
        ...(plan.currency ? { currency: plan.currency } : {}),
        categories: Object.entries(plan.limits).map(([slug, limit]) => ({ categoryId: ids[slug], limit })),
      },
      201,
    );
  }
  for (const [day, amount, slug, merchant] of p.spent ?? []) {
    await ok(
      h,
      user,
      "POST",
      "/v1/transactions",
      { date: `${MONTH}-${day}`, amount, type: "expense", categoryId: ids[slug], merchant },
      201,
    );
  }
  const cards: Record<string, string> = {};
  for (const c of p.cards ?? []) {
    const card = await ok(
      h,
      user,
      "POST",
      "/v1/cards",
      {
        name: c.name,
        balance: c.balance,
        aprBasisPoints: c.apr,
        creditLimit: 500_000,
        dueDay: 20,
        minimumPayment: { kind: "fixed", amount: c.minimum },
        ...(c.currency ? { currency: c.currency } : {}),
      },
      201,
    );
    cards[c.name] = card.cardId;
  }
  const goals: Record<string, string> = {};
  for (const g of p.goals ?? []) {
    const goal = await ok(
      h,
      user,
      "POST",
      "/v1/goals",
      {
        name: g.name,
        targetAmount: g.target,
        currentAmount: g.current ?? 0,
        targetDate: g.targetDate,
        ...(plan?.currency ? { currency: plan.currency } : {}),
      },
      201,
    );
    for (const [date, amount] of g.contributions ?? [])
      await ok(h, user, "POST", `/v1/goals/${goal.goalId}/contributions`, { amount, date }, 201);
    goals[g.name] = goal.goalId;
  }
  return { user, ids: ids as Record<string, string>, cards, goals };
}

/**
 * Maya, as in ai-tools.test.ts: income $3,000; housing $1,200, groceries $500, dining $200,
 * entertainment $100 planned ($2,000, so $1,000 unallocated). Spent: groceries $300 (FreshMart),
 * dining $320 (Bistro $200 on the 8th, $120 on the 10th), entertainment $40 (Cinema). Committed
 * 1,200 + 500 + 320 + 100 = $2,120: availableForDebtPayoff $880. Dining is $120 over; the month's
 * recommendation moves $120 of Housing's unused limit onto it. Entertainment has $60 left.
 *
 * Visa owes $1,000 at 12 % (1 % a month), fixed $50 minimum: January's interest $10, $880 paid,
 * $130 left; February's interest $1.30, $131.30 pays it: debt-free February 2030, $11.30 interest.
 * What-if +$100 a month: $980 paid in January, $30 left, $0.30 interest, $30.30 in February:
 * $10.30 interest, $1 saved, no month saved.
 *
 * Goals: Emergency fund $200 of $1,200 by 2030-12-31: $1,000 over 12 months, ⌈100,000 / 12⌉ =
 * $83.34 a month, no pace yet. Vacation $1,500 by 2030-06-30 with $100 put in in each of October,
 * November and December 2029: $300 saved, $1,200 to go, pace $100 a month, so 12 months from
 * January: December 2030, past June (off track); ⌈120,000 / 6⌉ = $200 a month would do it.
 */
export const maya = (h: Harness) =>
  build(h, "Maya", {
    income: 300_000,
    limits: { housing: 120_000, groceries: 50_000, dining: 20_000, entertainment: 10_000 },
    spent: [
      ["05", 30_000, "groceries", "FreshMart"],
      ["08", 20_000, "dining", "Bistro"],
      ["10", 12_000, "dining", "Bistro"],
      ["12", 4_000, "entertainment", "Cinema"],
    ],
    cards: [{ name: "Visa", balance: 100_000, apr: 1200, minimum: 5_000 }],
    goals: [
      { name: "Emergency fund", target: 120_000, current: 20_000, targetDate: "2030-12-31" },
      {
        name: "Vacation",
        target: 150_000,
        targetDate: "2030-06-30",
        contributions: [
          ["2029-10-15", 10_000],
          ["2029-11-15", 10_000],
          ["2029-12-15", 10_000],
        ],
      },
    ],
  });

/**
 * Sam: income $2,500; housing $1,500, groceries $400, dining $100: $500 a month for two cards.
 * Rewards Visa owes $1,000 at 24 % (2 % a month, $50 minimum); Store card $300 at 12 % (1 %, $25).
 *
 * Avalanche (Visa first). January: interest $20 and $3; minimums $75, the other $425 to the Visa:
 * it pays $475 (owes $545), the Store card $25 (owes $278). February: $10.90 and $2.78 interest;
 * Visa $475 (owes $80.90), Store $25 (owes $255.78). March: $1.62 and $2.56; both paid off
 * ($82.52 and $233.34). Debt-free March 2030, interest 20 + 3 + 10.90 + 2.78 + 1.62 + 2.56 = $40.86.
 *
 * Snowball (Store card first). January: Store card paid off ($303), Visa gets $197 (owes $823).
 * February: $16.46 interest, $500 paid, owes $339.46. March: $6.79, $346.25 pays it. Debt-free
 * March 2030, interest 20 + 3 + 16.46 + 6.79 = $46.25. Highest-interest is avalanche's order here.
 */
export const sam = (h: Harness) =>
  build(h, "Sam", {
    income: 250_000,
    limits: { housing: 150_000, groceries: 40_000, dining: 10_000 },
    cards: [
      { name: "Rewards Visa", balance: 100_000, apr: 2400, minimum: 5_000 },
      { name: "Store card", balance: 30_000, apr: 1200, minimum: 2_500 },
    ],
  });

/**
 * Lee, short of the minimums: income $2,000; housing $1,400, groceries $300, dining $100 (spent
 * $180 at Pizza Place), shopping $50 (spent $90 at MegaMart). Committed 1,400 + 300 + 180 + 90 =
 * $1,970: $30 for the cards. Mastercard owes $2,000 at 18 %, fixed $80 minimum: $50 short. The
 * largest overrun first: Dining, $80 over, closes the gap alone.
 */
export const lee = (h: Harness) =>
  build(h, "Lee", {
    income: 200_000,
    limits: { housing: 140_000, groceries: 30_000, dining: 10_000, shopping: 5_000 },
    spent: [
      ["06", 18_000, "dining", "Pizza Place"],
      ["09", 9_000, "shopping", "MegaMart"],
    ],
    cards: [{ name: "Mastercard", balance: 200_000, apr: 1800, minimum: 8_000 }],
  });

/** Noah: no budget; a Visa owing $500 at 20 % with a $25 minimum; $45 spent at Corner Cafe (dining). */
export const noah = (h: Harness) =>
  build(h, "Noah", null, {
    spent: [["03", 4_500, "dining", "Corner Cafe"]],
    cards: [{ name: "Visa", balance: 50_000, apr: 2000, minimum: 2_500 }],
  });

/** Ezra: a new user with nothing at all. */
export const ezra = (h: Harness) => build(h, "Ezra", null);

/**
 * Cleo, a card in credit: income $1,000, housing $600: $400 for the cards. Amex is $25 in credit
 * (left out of the plan); Visa owes $200 at 15 % (1.25 % a month): $2.50 of interest and $202.50
 * clears it in January 2030. No goals, nothing spent.
 */
export const cleo = (h: Harness) =>
  build(h, "Cleo", {
    income: 100_000,
    limits: { housing: 60_000 },
    cards: [
      { name: "Amex", balance: -2_500, apr: 2000, minimum: 2_500 },
      { name: "Visa", balance: 20_000, apr: 1500, minimum: 2_500 },
    ],
  });

/**
 * Élodie, in euros: income EUR 2,000, housing EUR 800: EUR 1,200 for the cards. Her Visa (EUR) owes
 * EUR 1,000 at 12 %: EUR 10 of interest, EUR 1,010 clears it in January 2030. A goal "New bike"
 * EUR 600 by 2030-06-30: ⌈60,000 / 6⌉ = EUR 100 a month.
 */
export const elodie = (h: Harness) =>
  build(h, "Élodie", {
    income: 200_000,
    currency: "EUR",
    limits: { housing: 80_000 },
    cards: [{ name: "Visa", balance: 100_000, apr: 1200, minimum: 5_000, currency: "EUR" }],
    goals: [{ name: "New bike", target: 60_000, targetDate: "2030-06-30" }],
  });
