import { describe, expect, it } from "vitest";
import { type Intent, recognise, type Vocabulary } from "../src/ai/builtin/intents";

/** Maya's names (advisor-fixtures.ts): her budget's categories, her goals and her card, on 2030-01-15. */
const vocab: Vocabulary = {
  today: "2030-01-15",
  currency: "USD",
  categories: [
    { categoryId: "c-groceries", name: "Groceries", type: "groceries" },
    { categoryId: "c-housing", name: "Housing", type: "housing" },
    { categoryId: "c-dining", name: "Dining", type: "dining" },
    { categoryId: "c-entertainment", name: "Entertainment", type: "entertainment" },
  ],
  goals: [
    { goalId: "g-emergency", name: "Emergency fund" },
    { goalId: "g-vacation", name: "Vacation" },
  ],
  cards: ["Visa"],
};

const dining = { categoryId: "c-dining", name: "Dining", type: "dining" };
const groceries = { categoryId: "c-groceries", name: "Groceries", type: "groceries" };
const entertainment = { categoryId: "c-entertainment", name: "Entertainment", type: "entertainment" };
/** Not in Maya's budget: the default category, without an id. */
const shopping = { categoryId: null, name: "Shopping", type: "shopping" };
const health = { categoryId: null, name: "Health", type: "health" };
const emergency = { goalId: "g-emergency", name: "Emergency fund" };
const vacation = { goalId: "g-vacation", name: "Vacation" };
const january = { from: "2030-01", to: "2030-01" };

type Row = [question: string, expected: Intent];

/** Every intent, in varied wording, casing, light typos and amounts written several ways. */
export const PHRASINGS: readonly Row[] = [
  // payoff
  ["How do I get out of debt?", { kind: "payoff", strategy: null, compare: false }],
  ["What's the fastest way to pay off my cards?", { kind: "payoff", strategy: null, compare: false }],
  ["Avalanche or snowball?", { kind: "payoff", strategy: null, compare: true }],
  ["snowbal vs avalanch — which saves more", { kind: "payoff", strategy: null, compare: true }],
  ["Show me the snowball plan", { kind: "payoff", strategy: "snowball", compare: false }],
  ["WHEN WILL I BE DEBT FREE", { kind: "payoff", strategy: null, compare: false }],
  ["which card should I pay first?", { kind: "payoff", strategy: null, compare: false }],
  ["how do i pay down my visa", { kind: "payoff", strategy: null, compare: false }],
  // overspending
  ["Where am I overspending?", { kind: "overspending", month: null, free: null, cuts: false }],
  ["what should i cut", { kind: "overspending", month: null, free: null, cuts: true }],
  ["Am I over budget anywhere?", { kind: "overspending", month: null, free: null, cuts: false }],
  ["where am i overspendng this month", { kind: "overspending", month: "2030-01", free: null, cuts: false }],
  ["How can I free up $200 a month?", { kind: "overspending", month: null, free: 20_000, cuts: true }],
  [
    "What should I cut to pay off my cards faster?",
    { kind: "overspending", month: null, free: null, cuts: true },
  ],
  ["did I overspend last month", { kind: "overspending", month: "2029-12", free: null, cuts: false }],
  // afford
  [
    "Can I afford a $400 TV?",
    { kind: "afford", amount: 40_000, monthly: false, category: shopping, item: "tv" },
  ],
  [
    "is $150 for concert tickets ok this month",
    { kind: "afford", amount: 15_000, monthly: false, category: entertainment, item: "concert tickets" },
  ],
  [
    "Should I buy a new laptop for 1200 dollars?",
    { kind: "afford", amount: 120_000, monthly: false, category: shopping, item: "laptop" },
  ],
  [
    "can i affrod a $45/month gym membership",
    { kind: "afford", amount: 4_500, monthly: true, category: health, item: "gym" },
  ],
  [
    "Can I spend 80 bucks on dinner out?",
    { kind: "afford", amount: 8_000, monthly: false, category: dining, item: "dinner" },
  ],
  [
    "could I afford $1.2k on a trip?",
    { kind: "afford", amount: 120_000, monthly: false, category: null, item: null },
  ],
  ["can I afford it?", { kind: "afford", amount: null, monthly: false, category: null, item: null }],
  // goal
  ["How do I reach my emergency fund goal?", { kind: "goal", goal: emergency, asked: null, monthly: null }],
  ["When will I hit my vacation savings?", { kind: "goal", goal: vacation, asked: null, monthly: null }],
  ["am I on track for my goals", { kind: "goal", goal: null, asked: null, monthly: null }],
  [
    "how much should i save each month for the emergncy fund",
    { kind: "goal", goal: emergency, asked: null, monthly: null },
  ],
  [
    "What if I put $100 a month into my vacation fund?",
    { kind: "goal", goal: vacation, asked: null, monthly: 10_000 },
  ],
  ["when will my wedding goal be done", { kind: "goal", goal: null, asked: "wedding", monthly: null }],
  [
    "What if I put $250 a month into my wedding fund?",
    { kind: "goal", goal: null, asked: "wedding", monthly: 25_000 },
  ],
  // what-if
  ["What if I add $100 a month to my cards?", { kind: "what-if", extraMonthly: 10_000, oneOff: null }],
  ["If I paid $50 more each month", { kind: "what-if", extraMonthly: 5_000, oneOff: null }],
  [
    "what happens if i put an extra 200 per month toward debt",
    { kind: "what-if", extraMonthly: 20_000, oneOff: null },
  ],
  [
    "I got a $500 bonus, what if I put it on my cards this month?",
    { kind: "what-if", extraMonthly: null, oneOff: { amount: 50_000, month: "2030-01" } },
  ],
  [
    "What if I put my $1,500 tax refund on the Visa in April?",
    { kind: "what-if", extraMonthly: null, oneOff: { amount: 150_000, month: "2030-04" } },
  ],
  [
    "if I cut dining by $100 a month, when am I debt free?",
    { kind: "what-if", extraMonthly: 10_000, oneOff: null },
  ],
  ["adding 75 dollars monthly to my credit cards?", { kind: "what-if", extraMonthly: 7_500, oneOff: null }],
  [
    "what if I add $100 a month to my cards instead of my vacation fund",
    { kind: "what-if", extraMonthly: 10_000, oneOff: null },
  ],
  // summary
  ["How am I doing?", { kind: "summary", month: null }],
  ["Summary of my month", { kind: "summary", month: null }],
  ["give me an overview of my finances", { kind: "summary", month: null }],
  ["how did I do in December 2029?", { kind: "summary", month: "2029-12" }],
  // spending
  ["How much did I spend on dining?", { kind: "spending", category: dining, merchant: null, span: january }],
  [
    "What did I spend at Bistro last month?",
    { kind: "spending", category: null, merchant: "Bistro", span: { from: "2029-12", to: "2029-12" } },
  ],
  [
    "how much have i spent on grocereis this month",
    { kind: "spending", category: groceries, merchant: null, span: january },
  ],
  ["show my spending by category", { kind: "spending", category: null, merchant: null, span: january }],
  ["Where does my money go?", { kind: "spending", category: null, merchant: null, span: january }],
  [
    "what have I spent at amazon in the last 3 months",
    { kind: "spending", category: null, merchant: "amazon", span: { from: "2029-11", to: "2030-01" } },
  ],
  [
    "how much did I spend on entertainment in 2029-12",
    { kind: "spending", category: entertainment, merchant: null, span: { from: "2029-12", to: "2029-12" } },
  ],
  // unknown
  ["hello", { kind: "unknown" }],
  ["What's the weather like tomorrow?", { kind: "unknown" }],
  ["tell me a joke", { kind: "unknown" }],
];

describe("recognising a question's intent and parameters", () => {
  it("has at least 30 phrasings, and every intent among them", () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(30);
    const kinds = new Set(PHRASINGS.map(([, intent]) => intent.kind));
    expect([...kinds].sort()).toEqual(
      ["afford", "goal", "overspending", "payoff", "spending", "summary", "unknown", "what-if"].sort(),
    );
  });

  it.each(PHRASINGS)("%s", (question, expected) => {
    expect(recognise(question, vocab)).toEqual(expected);
  });
});

describe("parameters", () => {
  it("reads amounts in minor units of the user's currency, with or without a sign", () => {
    const euros = { ...vocab, currency: "EUR" };
    expect(recognise("what if I add €100 a month to my cards", euros)).toMatchObject({
      extraMonthly: 10_000,
    });
    expect(recognise("what if I add 100 euros a month to my cards", euros)).toMatchObject({
      extraMonthly: 10_000,
    });
    const yen = { ...vocab, currency: "JPY" };
    expect(recognise("can I afford a 30,000 yen TV", yen)).toMatchObject({ kind: "afford", amount: 30_000 });
    expect(recognise("can I afford $19.99 a month for Netflix", vocab)).toMatchObject({
      amount: 1_999,
      monthly: true,
      category: { type: "subscriptions" },
    });
  });

  it("takes neither a year, the day of a month nor a count for an amount", () => {
    expect(recognise("can I afford a $300 phone by March 5 2030", vocab)).toMatchObject({ amount: 30_000 });
    expect(recognise("what if I pay 2 cards with $60 more a month", vocab)).toMatchObject({
      kind: "what-if",
      extraMonthly: 6_000,
    });
  });

  it("reads a month name alone only as a month after a word that makes it one", () => {
    expect(recognise("how much did I spend in March", vocab)).toMatchObject({
      span: { from: "2029-03", to: "2029-03" },
    });
    expect(recognise("may I see where my money goes", vocab)).toMatchObject({ span: january });
  });

  it("matches the user's own category names and goals before the everyday words", () => {
    const own = {
      ...vocab,
      categories: [{ categoryId: "c-eat", name: "Eating out", type: "eating-out" }],
      goals: [{ goalId: "g-car", name: "New car" }],
    };
    expect(recognise("how much did I spend on eating out", own)).toMatchObject({
      category: { categoryId: "c-eat", name: "Eating out" },
    });
    expect(recognise("when do I reach the car goal", own)).toMatchObject({
      kind: "goal",
      goal: { goalId: "g-car" },
    });
  });

  it("does not correct a short everyday word into a keyword", () => {
    expect(recognise("is there anything new", vocab)).toEqual({ kind: "unknown" });
  });
});
