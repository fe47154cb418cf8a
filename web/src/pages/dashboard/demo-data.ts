import { addMonths, centsToDecimal, daysInMonth, minorUnitDigits } from "@tyche/core";
import { TYCHE_EXPORT_HEADER } from "@tyche/types";

/**
 * Six months of a believable household's money, ending with the month of `today`: what "Fill with
 * demo data" writes through the public API. Pure and deterministic: the same seed and the same
 * day give the same plan, row for row. Amounts are integer cents; rows after `today` are left out.
 */

export type DemoAccountKey = "checking" | "savings" | "cardA" | "cardB";
export type DemoKind = "expense" | "income" | "refund" | "transfer";

export interface DemoAccount {
  key: DemoAccountKey;
  name: string;
  type: "checking" | "savings" | "credit-card";
  /** For a card: what was owed on the opening date. */
  openingBalance: number;
  openingDate: string;
}

export interface DemoRow {
  account: DemoAccountKey;
  date: string;
  kind: DemoKind;
  /** Positive cents; the kind says which way the money went. */
  amount: number;
  /** A default category's slug (groceries, dining, ...); null for income and transfers. */
  category: string | null;
  merchant: string;
  /** For a transfer: the account the money went to. */
  to?: DemoAccountKey;
}

export interface DemoBudget {
  month: string;
  totalIncome: number;
  /** Limit in cents per category slug. */
  limits: Record<string, number>;
}

export interface DemoPlan {
  months: string[];
  accounts: DemoAccount[];
  budgets: DemoBudget[];
  rows: DemoRow[];
}

export const DEMO_MONTHS = 6;

/** The plan every demo month starts from, by the default categories' slugs. */
export const DEMO_LIMITS: Readonly<Record<string, number>> = {
  housing: 165_000,
  groceries: 80_000,
  transport: 25_000,
  utilities: 30_000,
  health: 8_000,
  dining: 30_000,
  subscriptions: 4_000,
  shopping: 25_000,
  entertainment: 15_000,
  savings: 30_000,
  "debt-payments": 108_000,
};

const SALARY = 260_000;
const RENT = 165_000;
const TO_SAVINGS = 30_000;
const PAY_CARD_A = 73_000;
const PAY_CARD_B = 35_000;

/** mulberry32: a small seeded generator, enough for made-up spending. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

interface Spending {
  category: string;
  merchants: readonly string[];
  /** How many a month: [fewest, most]. */
  count: readonly [number, number];
  /** Cents: [least, most]. */
  amount: readonly [number, number];
  /** Which account pays, with its weight. */
  accounts: readonly (readonly [DemoAccountKey, number])[];
}

/** Day-to-day spending: how often, how much, where and with which account. */
const SPENDING: readonly Spending[] = [
  {
    category: "groceries",
    merchants: ["Whole Foods Market", "Trader Joe's", "Safeway", "Costco"],
    count: [9, 12],
    amount: [2_800, 13_500],
    accounts: [
      ["checking", 8],
      ["cardA", 2],
    ],
  },
  {
    category: "dining",
    merchants: [
      "Blue Bottle Coffee",
      "Chipotle",
      "Sweetgreen",
      "Thai Basil",
      "Olive Garden",
      "Domino's Pizza",
    ],
    count: [7, 11],
    amount: [550, 5_800],
    accounts: [
      ["cardA", 5],
      ["cardB", 5],
    ],
  },
  {
    category: "transport",
    merchants: ["Shell", "Chevron", "Metro Transit", "Uber"],
    count: [4, 6],
    amount: [1_250, 5_600],
    accounts: [
      ["checking", 7],
      ["cardA", 3],
    ],
  },
  {
    category: "shopping",
    merchants: ["Amazon", "Target", "REI", "IKEA"],
    count: [3, 5],
    amount: [1_900, 8_900],
    accounts: [["cardA", 1]],
  },
  {
    category: "entertainment",
    merchants: ["AMC Theatres", "Steam", "Ticketmaster", "Bowlero"],
    count: [2, 4],
    amount: [1_200, 4_800],
    accounts: [["cardB", 1]],
  },
  {
    category: "health",
    merchants: ["CVS Pharmacy", "Walgreens"],
    count: [1, 2],
    amount: [900, 3_800],
    accounts: [["checking", 1]],
  },
];

/** The same charge every month, on the same day. */
const BILLS: readonly {
  day: number;
  category: string;
  merchant: string;
  amount: number;
  account: DemoAccountKey;
}[] = [
  { day: 3, category: "subscriptions", merchant: "iCloud Storage", amount: 299, account: "cardB" },
  { day: 9, category: "subscriptions", merchant: "Netflix", amount: 1_549, account: "cardB" },
  { day: 14, category: "subscriptions", merchant: "Spotify", amount: 1_199, account: "cardB" },
  { day: 5, category: "health", merchant: "Planet Fitness", amount: 2_499, account: "checking" },
  { day: 12, category: "utilities", merchant: "Comcast Xfinity", amount: 7_999, account: "checking" },
  { day: 18, category: "utilities", merchant: "Verizon Wireless", amount: 6_500, account: "checking" },
];

/** Electricity by calendar month (1-12): more in winter and high summer. */
const POWER = [14_200, 13_100, 11_000, 8_900, 8_200, 10_400, 13_600, 13_900, 10_100, 8_700, 10_800, 13_400];

export function demoPlan({ today, seed = 17 }: { today: string; seed?: number }): DemoPlan {
  const next = random(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const weighted = (list: readonly (readonly [DemoAccountKey, number])[]): DemoAccountKey => {
    const total = list.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [key, w] of list) {
      r -= w;
      if (r < 0) return key;
    }
    return list[0]?.[0] ?? "checking";
  };

  const current = today.slice(0, 7);
  const months = Array.from({ length: DEMO_MONTHS }, (_, i) => addMonths(current, i - (DEMO_MONTHS - 1)));
  const first = months[0] as string;
  const openingDate = `${addMonths(first, -1)}-${pad(daysInMonth(addMonths(first, -1)))}`;
  const accounts: DemoAccount[] = [
    { key: "checking", name: "Checking", type: "checking", openingBalance: 320_000, openingDate },
    { key: "savings", name: "Savings", type: "savings", openingBalance: 450_000, openingDate },
    { key: "cardA", name: "Visa Rewards", type: "credit-card", openingBalance: 420_000, openingDate },
    { key: "cardB", name: "Mastercard", type: "credit-card", openingBalance: 185_000, openingDate },
  ];

  const rows: DemoRow[] = [];
  months.forEach((month, index) => {
    const days = daysInMonth(month);
    const date = (day: number) => `${month}-${pad(Math.min(day, days))}`;
    const add = (row: DemoRow) => {
      if (row.date <= today) rows.push(row);
    };

    add({
      account: "checking",
      date: date(1),
      kind: "income",
      amount: SALARY,
      category: null,
      merchant: "Acme Corp Payroll",
    });
    add({
      account: "checking",
      date: date(15),
      kind: "income",
      amount: SALARY,
      category: null,
      merchant: "Acme Corp Payroll",
    });
    add({
      account: "checking",
      date: date(1),
      kind: "expense",
      amount: RENT,
      category: "housing",
      merchant: "Parkside Apartments",
    });
    const power = POWER[Number(month.slice(5, 7)) - 1] ?? 10_000;
    add({
      account: "checking",
      date: date(7),
      kind: "expense",
      amount: power + between(-600, 600),
      category: "utilities",
      merchant: "City Power & Light",
    });
    for (const bill of BILLS)
      add({
        account: bill.account,
        date: date(bill.day),
        kind: "expense",
        amount: bill.amount,
        category: bill.category,
        merchant: bill.merchant,
      });

    for (const s of SPENDING) {
      const count = between(s.count[0], s.count[1]);
      for (let n = 0; n < count; n++) {
        add({
          account: weighted(s.accounts),
          // Spread over the month; groceries and coffee on the first too, so a new month is never blank.
          date: date(
            n === 0 && (s.category === "groceries" || s.category === "dining") ? 1 : between(1, days),
          ),
          kind: "expense",
          amount: between(s.amount[0], s.amount[1]),
          category: s.category,
          merchant: pick(s.merchants),
        });
      }
    }

    // The month before this one had a birthday dinner that ran the dining budget over.
    if (index === DEMO_MONTHS - 2)
      add({
        account: "cardA",
        date: date(21),
        kind: "expense",
        amount: 18_650,
        category: "dining",
        merchant: "Bistro Laurent",
      });
    // A couple of refunds: a return to Amazon and a billing error at the grocer.
    if (index === 1)
      add({
        account: "cardA",
        date: date(19),
        kind: "refund",
        amount: 4_999,
        category: "shopping",
        merchant: "Amazon",
      });
    if (index === 3)
      add({
        account: "checking",
        date: date(11),
        kind: "refund",
        amount: 1_275,
        category: "groceries",
        merchant: "Safeway",
      });

    add({
      account: "checking",
      date: date(2),
      kind: "transfer",
      amount: TO_SAVINGS,
      category: null,
      merchant: "Transfer to savings",
      to: "savings",
    });
    add({
      account: "checking",
      date: date(20),
      kind: "transfer",
      amount: PAY_CARD_A,
      category: null,
      merchant: "Visa Rewards payment",
      to: "cardA",
    });
    add({
      account: "checking",
      date: date(22),
      kind: "transfer",
      amount: PAY_CARD_B,
      category: null,
      merchant: "Mastercard payment",
      to: "cardB",
    });
    add({
      account: "savings",
      date: date(days),
      kind: "income",
      amount: between(310, 420),
      category: null,
      merchant: "Interest",
    });
  });
  rows.sort((a, b) => a.date.localeCompare(b.date));

  const budgets = months.map((month) => ({ month, totalIncome: 2 * SALARY, limits: { ...DEMO_LIMITS } }));
  return { months, accounts, budgets, rows };
}

/** Text a spreadsheet would run as a formula gets an apostrophe, as Tyche's export does. */
const protect = (text: string) => (/^[=+\-@\t\r']/.test(text) ? `'${text}` : text);

const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * One account's rows as a Tyche CSV. Amounts are signed as the account sees them: an expense (a
 * card's charge too) and a transfer out are negative. `categoryName` gives the user's name for a
 * slug; `accountName` the names of the accounts a transfer goes to.
 */
export function tycheCsv(
  rows: readonly DemoRow[],
  accountName: (key: DemoAccountKey) => string,
  categoryName: (slug: string) => string,
  currency = "USD",
): string {
  const lines = [TYCHE_EXPORT_HEADER.join(",")];
  for (const r of rows) {
    const out = r.kind === "expense" || r.kind === "transfer";
    const values: Record<(typeof TYCHE_EXPORT_HEADER)[number], string> = {
      "Tyche Id": "",
      Date: r.date,
      Account: protect(accountName(r.account)),
      "Account Id": "",
      Kind: r.kind,
      Amount: centsToDecimal(out ? -r.amount : r.amount, minorUnitDigits(currency)),
      Currency: currency,
      Category: r.category ? protect(categoryName(r.category)) : "",
      Splits: "",
      Merchant: protect(r.merchant),
      "Merchant Name": protect(r.merchant),
      Description: "",
      Tags: "",
      Notes: "",
      Pending: "false",
      Cleared: "true",
      "Bank Id": "",
      "Transfer Account": r.to ? protect(accountName(r.to)) : "",
      "Transfer Account Id": "",
      "Linked Id": "",
    };
    lines.push(TYCHE_EXPORT_HEADER.map((h) => cell(values[h])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
