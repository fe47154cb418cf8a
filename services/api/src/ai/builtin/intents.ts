import { addMonths, DEFAULT_CATEGORIES, MONTH_NAMES as ENGLISH_MONTHS, minorUnitDigits } from "@tyche/core";

/**
 * What a question asks, recognised without a model: the question is normalised (lower case,
 * contractions spelled out, a one-letter typo in a known word put right), every intent scores the
 * patterns it matches, and the highest score wins; a tie goes to the more specific intent (a
 * what-if over a payoff plan, an affordability question over a spending total). Parameters (an
 * amount, whether it is monthly, a month, a category, a merchant, a goal) are read from the same
 * text and matched against the user's own categories and goals. Pure and deterministic.
 */

export const INTENT_KINDS = [
  "payoff",
  "overspending",
  "afford",
  "goal",
  "what-if",
  "summary",
  "spending",
  "unknown",
] as const;
export type IntentKind = (typeof INTENT_KINDS)[number];

export type Strategy = "avalanche" | "snowball" | "highest-interest";

export interface CategoryRef {
  /** Null for a default category the month's budget does not have. */
  categoryId: string | null;
  name: string;
  /** The category's slug, as find_transactions filters by it. */
  type: string;
}

export interface GoalRef {
  goalId: string;
  name: string;
}

/** What recognition knows of the user: today, and the names their questions may use. */
export interface Vocabulary {
  /** `YYYY-MM-DD`: "last month" and "in March" are read from it. */
  today: string;
  /** The currency amounts are read in (its minor units); USD when not given. */
  currency?: string;
  categories?: readonly CategoryRef[];
  goals?: readonly GoalRef[];
  cards?: readonly string[];
}

export interface MonthSpan {
  from: string;
  to: string;
}

export type Intent =
  | { kind: "payoff"; strategy: Strategy | null; compare: boolean }
  | {
      kind: "overspending";
      month: string | null;
      /** Minor units a month to free. */
      free: number | null;
      /** The question asks what to cut, not only where the budget is over. */
      cuts: boolean;
    }
  | {
      kind: "afford";
      /** Minor units; null when the question names no price. */
      amount: number | null;
      /** A cost every month (a membership) rather than once. */
      monthly: boolean;
      category: CategoryRef | null;
      /** The words that named what it is ("concert tickets"), when known. */
      item: string | null;
    }
  | {
      kind: "goal";
      goal: GoalRef | null;
      /** The words the question used for a goal it did not find among the user's. */
      asked: string | null;
      /** An amount a month the user means to put in. */
      monthly: number | null;
    }
  | {
      kind: "what-if";
      extraMonthly: number | null;
      oneOff: { amount: number; month: string } | null;
    }
  | { kind: "summary"; month: string | null }
  | { kind: "spending"; category: CategoryRef | null; merchant: string | null; span: MonthSpan }
  | { kind: "unknown" };

/** The more specific intent first: it wins a tie. */
const SPECIFICITY: readonly IntentKind[] = [
  "what-if",
  "afford",
  "goal",
  "overspending",
  "spending",
  "payoff",
  "summary",
  "unknown",
];

/** Below this no intent is sure enough, and the advisor says what it can do instead. */
const THRESHOLD = 2;

const MONTH_NAMES = ENGLISH_MONTHS.map((m) => m.toLowerCase());
const MONTH_ABBREVIATIONS = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];

const NUMBER_WORDS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

/** Everyday words for the default categories, by slug: "eating out" is dining, a TV is shopping. */
const CATEGORY_WORDS: Record<string, readonly string[]> = {
  housing: ["rent", "mortgage", "housing"],
  groceries: ["groceries", "grocery", "supermarket"],
  transport: [
    "transport",
    "transportation",
    "gas",
    "fuel",
    "petrol",
    "uber",
    "lyft",
    "taxi",
    "bus pass",
    "car",
  ],
  utilities: ["utilities", "utility", "electricity", "electric bill", "water bill", "internet", "phone bill"],
  health: ["health", "doctor", "medical", "pharmacy", "dentist", "gym"],
  dining: [
    "dining",
    "restaurant",
    "restaurants",
    "eating out",
    "eat out",
    "takeout",
    "take-out",
    "dinner",
    "lunch",
    "brunch",
    "coffee",
    "food delivery",
  ],
  subscriptions: ["subscriptions", "subscription", "netflix", "spotify", "streaming"],
  shopping: [
    "shopping",
    "clothes",
    "clothing",
    "shoes",
    "tv",
    "television",
    "laptop",
    "phone",
    "gadget",
    "furniture",
    "electronics",
    "gift",
    "gifts",
  ],
  entertainment: [
    "entertainment",
    "concert tickets",
    "concert",
    "concerts",
    "tickets",
    "movie",
    "movies",
    "cinema",
    "games",
    "festival",
  ],
};

/** Words too general to tell one goal from another. */
const GENERIC_GOAL_WORDS = new Set([
  "goal",
  "goals",
  "fund",
  "savings",
  "saving",
  "save",
  "my",
  "the",
  "for",
  "new",
]);

/** Words the patterns below rely on, so a one-letter slip in one of them is put right first. */
const KEYWORDS = [
  "afford",
  "avalanche",
  "snowball",
  "overspending",
  "overspend",
  "overspent",
  "budget",
  "budgets",
  "spending",
  "spend",
  "spent",
  "debt",
  "debts",
  "credit",
  "cards",
  "card",
  "payoff",
  "fastest",
  "quickest",
  "faster",
  "quicker",
  "strategy",
  "summary",
  "overview",
  "doing",
  "goal",
  "goals",
  "reach",
  "track",
  "saving",
  "savings",
  "extra",
  "month",
  "monthly",
  "each",
  "every",
  "should",
  "could",
  "would",
  "where",
  "money",
  "balance",
  "balances",
  "interest",
  "minimum",
  "minimums",
  "categories",
  "category",
  "merchant",
  "transactions",
  "purchase",
  "purchases",
  "bought",
  "paying",
  "emergency",
  "vacation",
  "holiday",
  "refund",
  "bonus",
  "finances",
  "limit",
  "limits",
  "tickets",
];

interface Rule {
  pattern: RegExp;
  weight: number;
}

const DEBT_WORDS = /\b(debt|debts|cards?|credit|balances?|visa|mastercard|amex|loans?)\b/;

const RULES: Record<Exclude<IntentKind, "unknown">, readonly Rule[]> = {
  payoff: [
    { pattern: /\b(get|getting|be|become|stay) out of debt\b/, weight: 3 },
    { pattern: /\bdebt[- ]?free\b/, weight: 3 },
    { pattern: /\bpay(ing)? ?(off?|down)\b|\bpayoff\b|\bpaid off\b/, weight: 2 },
    { pattern: /\b(avalanche|snowball)\b/, weight: 4 },
    { pattern: /\bwhich (card|debt|balance)s?\b/, weight: 2 },
    { pattern: /\b(pay|clear|tackle) first\b|\bfirst\b.*\bpay\b/, weight: 1 },
    { pattern: DEBT_WORDS, weight: 1 },
    { pattern: /\b(plan|strategy|fastest|quickest|faster|quicker|best way)\b/, weight: 1 },
    { pattern: /\bhighest interest\b|\binterest\b/, weight: 1 },
  ],
  overspending: [
    { pattern: /\bover ?spen(d|ding|t)\b/, weight: 4 },
    { pattern: /\bover (my |the |its |their )?(budget|limits?)\b/, weight: 3 },
    { pattern: /\b(what|where) (should|can|could|do) i cut\b/, weight: 4 },
    { pattern: /\bcut(ting)?( back| down)?\b/, weight: 2 },
    { pattern: /\b(free up|find)\b/, weight: 2 },
    { pattern: /\bwhere (can|could|should) i save\b/, weight: 3 },
    { pattern: /\b(save|trim|reduce|spend less)\b/, weight: 1 },
    { pattern: /\b(too much|wasting|waste)\b/, weight: 2 },
  ],
  afford: [
    { pattern: /\bafford(able)?\b/, weight: 5 },
    { pattern: /\b(should|can|could|may) i (buy|get|purchase|spend|splurge)\b/, weight: 3 },
    { pattern: /\b(is|would|will)\b.*\b(ok|okay|fine|alright|reasonable|too much)\b/, weight: 2 },
    { pattern: /\b(buy|buying|purchase|splurge)\b/, weight: 2 },
  ],
  goal: [
    { pattern: /\bgoals?\b/, weight: 3 },
    { pattern: /\b(reach|hit|get to|on track|make it|complete)\b/, weight: 1.5 },
    { pattern: /\b(save|saving|savings)\b/, weight: 1 },
    { pattern: /\bemergency fund\b|\brainy day\b/, weight: 2 },
  ],
  "what-if": [
    { pattern: /\bwhat if\b|\bwhat happens if\b|\bwhat would happen\b|\bsuppose\b/, weight: 3 },
    {
      pattern:
        /\bif i (paid|pay|put|add|added|threw|throw|send|sent|increase|increased|cut|found|used|use)\b/,
      weight: 3,
    },
    { pattern: /\b(extra|more|additional)\b/, weight: 1.5 },
  ],
  summary: [
    { pattern: /\bhow am i doing\b|\bhow (are|is) (my|things)\b|\bhow did i do\b/, weight: 4 },
    { pattern: /\b(summary|summarise|summarize|overview|snapshot|recap|status|check[- ]?in)\b/, weight: 3 },
    { pattern: /\b(my month|so far|my finances|financial picture|big picture)\b/, weight: 1 },
  ],
  spending: [
    { pattern: /\bhow much (did|have|do) i (spend|spent)\b|\bwhat (did|have) i (spend|spent)\b/, weight: 4 },
    { pattern: /\bspen(d|t)\b/, weight: 2 },
    { pattern: /\bspending\b/, weight: 1 },
    { pattern: /\bwhere (does |did |is )?(all )?(my|the) money (go|goes|going|went)\b/, weight: 3 },
    { pattern: /\bby (category|merchant|store|month)\b|\btransactions?\b|\bpurchases\b/, weight: 2 },
  ],
};

/** The intent of a question and its parameters. */
export function recognise(question: string, vocab: Vocabulary): Intent {
  const { scores, facts } = analyse(question, vocab);
  let best: IntentKind = "unknown";
  for (const kind of SPECIFICITY) {
    if (kind === "unknown") continue;
    if (scores[kind] >= THRESHOLD && scores[kind] > (best === "unknown" ? 0 : scores[best])) best = kind;
  }
  return build(best, facts, vocab);
}

interface Amount {
  minor: number;
  monthly: boolean;
  /** A currency sign, code or word came with it, or "k". */
  explicit: boolean;
}

interface Facts {
  text: string;
  amounts: Amount[];
  month: string | null;
  futureMonth: string | null;
  span: MonthSpan | null;
  category: { ref: CategoryRef; words: string } | null;
  merchant: string | null;
  goal: GoalRef | null;
  asked: string | null;
  oneOff: boolean;
  strategies: Strategy[];
}

function analyse(question: string, vocab: Vocabulary) {
  const raw = normalise(question);
  const amounts = amountsIn(raw, vocab.currency ?? "USD");
  const text = correct(raw, vocab);
  const { month, futureMonth, span } = monthsIn(text, vocab.today);
  const category = categoryIn(text, vocab);
  const merchant = merchantIn(question, vocab, category?.words ?? null);
  const { goal, asked } = goalIn(text, vocab);
  const strategies: Strategy[] = [];
  if (/\bavalanche\b/.test(text)) strategies.push("avalanche");
  if (/\bsnowball\b/.test(text)) strategies.push("snowball");
  if (/\bhighest[- ]interest\b/.test(text)) strategies.push("highest-interest");
  const facts: Facts = {
    text,
    amounts,
    month,
    futureMonth,
    span,
    category,
    merchant,
    goal,
    asked,
    oneOff:
      /\b(bonus|refund|windfall|lump sum|once|one[- ]off|one[- ]time|inheritance|tax return|gift of)\b/.test(
        text,
      ),
    strategies,
  };

  const scores = Object.fromEntries(INTENT_KINDS.map((k) => [k, 0])) as Record<IntentKind, number>;
  for (const [kind, rules] of Object.entries(RULES) as [Exclude<IntentKind, "unknown">, readonly Rule[]][]) {
    for (const rule of rules) if (rule.pattern.test(text)) scores[kind] += rule.weight;
  }
  const amount = amounts[0];
  const debt = DEBT_WORDS.test(text) || (vocab.cards ?? []).some((c) => hasPhrase(text, c.toLowerCase()));
  if ((vocab.cards ?? []).some((c) => hasPhrase(text, c.toLowerCase()))) scores.payoff += 1;
  if (amount) {
    // A price makes "can I" and "is it ok" a purchase; a monthly sum on top of a debt, a what-if.
    if (scores.afford > 0) scores.afford += 1;
    if (scores["what-if"] > 0) scores["what-if"] += amount.monthly || facts.oneOff ? 2 : 1;
    if (scores.overspending > 0 && /\b(free up|find|cut|save)\b/.test(text)) scores.overspending += 1;
    if (scores["what-if"] === 0 && debt && /\b(add|adding|put|putting|throw|extra|more)\b/.test(text))
      scores["what-if"] += 3;
  }
  if (goal) scores.goal += 4;
  else if (facts.asked) scores.goal += 3;
  // Money into a goal (one of the user's or not) is a question about that goal, not about the cards.
  if ((goal || facts.asked) && !debt) scores["what-if"] = 0;
  if (scores.spending > 0 && (category || merchant)) scores.spending += 1.5;
  if (scores.spending > 0 && merchant) scores.spending += 1;
  // "How much have I spent on dining" is a total, not overspending, whatever else it says.
  if (/\bover ?spen/.test(text)) scores.spending = Math.max(0, scores.spending - 2);
  return { scores, facts };
}

function build(kind: IntentKind, f: Facts, vocab: Vocabulary): Intent {
  const current = vocab.today.slice(0, 7);
  const amount = f.amounts[0] ?? null;
  switch (kind) {
    case "payoff":
      return {
        kind,
        strategy: f.strategies.length === 1 ? (f.strategies[0] as Strategy) : null,
        compare: f.strategies.length > 1 || /\b(compare|versus|vs|which (strategy|method))\b/.test(f.text),
      };
    case "overspending":
      return {
        kind,
        month: f.month,
        free: amount?.minor ?? null,
        cuts:
          amount !== null || /\b(cut|cutting|trim|reduce|free up|find|save|spend less|lower)\b/.test(f.text),
      };
    case "afford":
      return {
        kind,
        amount: amount?.minor ?? null,
        monthly: amount?.monthly ?? false,
        category: f.category?.ref ?? null,
        item: f.category?.words ?? null,
      };
    case "goal":
      return { kind, goal: f.goal, asked: f.goal ? null : f.asked, monthly: amount?.minor ?? null };
    case "what-if": {
      if (!amount) return { kind, extraMonthly: null, oneOff: null };
      if (f.oneOff && !amount.monthly)
        return {
          kind,
          extraMonthly: null,
          oneOff: { amount: amount.minor, month: f.futureMonth ?? current },
        };
      return { kind, extraMonthly: amount.minor, oneOff: null };
    }
    case "summary":
      return { kind, month: f.month };
    case "spending":
      return {
        kind,
        category: f.merchant ? null : (f.category?.ref ?? null),
        merchant: f.merchant,
        span: f.span ?? { from: f.month ?? current, to: f.month ?? current },
      };
    default:
      return { kind: "unknown" };
  }
}

/** Lower case, plain quotes and spelled-out contractions, so the patterns see one way of writing. */
function normalise(question: string): string {
  return question
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\bwhat's\b/g, "what is")
    .replace(/\bwhere's\b/g, "where is")
    .replace(/\bhow's\b/g, "how is")
    .replace(/\bi'm\b/g, "i am")
    .replace(/\bi've\b/g, "i have")
    .replace(/\bi'd\b/g, "i would")
    .replace(/\bcan't\b/g, "cannot")
    .replace(/\bwon't\b/g, "will not")
    .replace(/n't\b/g, " not")
    .replace(/\bim\b/g, "i am")
    .replace(/\s+/g, " ")
    .trim();
}

/** Edit distance with a swap of two neighbours counted as one edit, stopping past 1. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a === b) return true;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const restA = a.slice(i);
  const restB = b.slice(i);
  if (restA.slice(1) === restB.slice(1)) return true; // one substituted
  if (restA.slice(1) === restB || restA === restB.slice(1)) return true; // one added or dropped
  return (
    restA.length >= 2 && restA[0] === restB[1] && restA[1] === restB[0] && restA.slice(2) === restB.slice(2)
  );
}

/**
 * Puts a word of five letters or more right when it is one edit from exactly one known word of six
 * letters or more: shorter known words have too many everyday neighbours ("there" is not "where").
 */
function correct(text: string, vocab: Vocabulary): string {
  const known = new Set(KEYWORDS.filter((w) => w.length >= 6));
  const add = (name: string) => {
    for (const w of name.toLowerCase().split(/[^a-z]+/)) if (w.length >= 6) known.add(w);
  };
  for (const c of vocab.categories ?? []) add(c.name);
  for (const c of DEFAULT_CATEGORIES) add(c.name);
  for (const g of vocab.goals ?? []) add(g.name);
  for (const words of Object.values(CATEGORY_WORDS)) for (const w of words) add(w);
  const exact = new Set([...KEYWORDS, ...known]);
  return text.replace(/[a-z]{5,}/g, (word) => {
    if (exact.has(word)) return word;
    const near = [...known].filter((k) => withinOneEdit(word, k));
    return near.length === 1 ? (near[0] as string) : word;
  });
}

const AMOUNT =
  /(?<![\w.,-])(?:(usd|eur|gbp|cad|aud|[$€£])\s?)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?![\d,]*\d)(\s?k\b)?(\s?(?:dollars?|bucks|usd|euros?|eur|pounds?|gbp|quid)\b)?/g;
const MONTHLY_AFTER =
  /^\s?(?:more |extra |additional )?(?:\/\s?(?:mo|month)\b|(?:a|per|each|every) ?(?:month|mo)\b|monthly\b|(?:a |per )?month\b)/;
const NOT_MONEY_AFTER =
  /^\s?(?:%|percent|months?\b|years?\b|days?\b|weeks?\b|times\b|cards?\b|categories\b|goals?\b|st\b|nd\b|rd\b|th\b|am\b|pm\b)/;

/** The amounts a question names, in minor units of `currency`. */
function amountsIn(text: string, currency: string): Amount[] {
  const digits = minorUnitDigits(currency);
  const found: Amount[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const [whole, prefix, fraction, k, suffix] = [m[2] as string, m[1], m[3], m[4], m[5]];
    const start = m.index ?? 0;
    const after = text.slice(start + m[0].length, start + m[0].length + 30);
    const before = text.slice(Math.max(0, start - 12), start);
    const explicit = Boolean(prefix || suffix || k);
    if (!explicit) {
      if (NOT_MONEY_AFTER.test(after)) continue;
      // A year, or the day of a month ("march 5"), is no amount.
      if (/^(19|20|21)\d\d$/.test(whole)) continue;
      if (new RegExp(`\\b(${MONTH_NAMES.join("|")}|${MONTH_ABBREVIATIONS.join("|")})\\s?$`).test(before))
        continue;
      if (/-$/.test(before)) continue;
    }
    const decimals = (fraction ?? "").padEnd(digits, "0").slice(0, digits);
    let minor = Number(whole.replaceAll(",", "")) * 10 ** digits + Number(decimals || "0");
    if (k) minor *= 1000;
    if (!Number.isSafeInteger(minor) || minor <= 0) continue;
    const monthly = MONTHLY_AFTER.test(after) || /\bmonthly\s?$/.test(before);
    found.push({ minor, monthly, explicit });
  }
  // With an amount in dollars written out, a bare number beside it is something else (a count).
  return found.some((a) => a.explicit) ? found.filter((a) => a.explicit) : found;
}

function monthsIn(
  text: string,
  today: string,
): { month: string | null; futureMonth: string | null; span: MonthSpan | null } {
  const current = today.slice(0, 7);
  const iso = text.match(/\b(\d{4})-(\d{2})\b/);
  if (iso && Number(iso[2]) >= 1 && Number(iso[2]) <= 12) {
    const m = `${iso[1]}-${iso[2]}`;
    return { month: m, futureMonth: m, span: null };
  }
  const names = MONTH_NAMES.join("|");
  const named = text.match(new RegExp(`\\b(${names})\\s+(\\d{4})\\b`));
  if (named) {
    const m = `${named[2]}-${String(MONTH_NAMES.indexOf(named[1] as string) + 1).padStart(2, "0")}`;
    return { month: m, futureMonth: m, span: null };
  }
  const recent = text.match(
    /\b(?:last|past|previous) (\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) months\b/,
  );
  if (recent) {
    const n = Math.min(12, Number(recent[1]) || NUMBER_WORDS[recent[1] as string] || 1);
    return { month: null, futureMonth: null, span: { from: addMonths(current, -(n - 1)), to: current } };
  }
  if (/\bthis year\b/.test(text))
    return { month: null, futureMonth: null, span: { from: `${current.slice(0, 4)}-01`, to: current } };
  if (/\blast year\b/.test(text)) {
    const year = Number(current.slice(0, 4)) - 1;
    return { month: null, futureMonth: null, span: { from: `${year}-01`, to: `${year}-12` } };
  }
  if (/\b(last|previous|past) month\b/.test(text)) {
    const m = addMonths(current, -1);
    return { month: m, futureMonth: m, span: null };
  }
  if (/\bnext month\b/.test(text)) {
    const m = addMonths(current, 1);
    return { month: m, futureMonth: m, span: null };
  }
  if (/\bthis month\b/.test(text)) return { month: current, futureMonth: current, span: null };
  // A month name alone only after a word that makes it a month: "may I" is no May.
  const alone = text.match(
    new RegExp(`\\b(?:in|for|during|of|since|last|this|next|by|until|early|late|mid) (${names})\\b`),
  );
  if (alone) {
    const number = MONTH_NAMES.indexOf(alone[1] as string) + 1;
    const year = Number(current.slice(0, 4));
    const thisYear = `${year}-${String(number).padStart(2, "0")}`;
    const past = thisYear <= current ? thisYear : `${year - 1}-${thisYear.slice(5)}`;
    const future = thisYear >= current ? thisYear : `${year + 1}-${thisYear.slice(5)}`;
    return { month: past, futureMonth: future, span: null };
  }
  return { month: null, futureMonth: null, span: null };
}

const hasPhrase = (text: string, phrase: string) =>
  phrase.length > 0 &&
  new RegExp(`(?<![a-z])${phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![a-z])`).test(text);

/** The category a question names: by the user's own name for it first, then by everyday words. */
function categoryIn(text: string, vocab: Vocabulary): { ref: CategoryRef; words: string } | null {
  const mine = vocab.categories ?? [];
  const byType = (type: string): CategoryRef | null => {
    const own = mine.find((c) => c.type === type);
    if (own) return own;
    const d = DEFAULT_CATEGORIES.find((c) => c.type === type);
    return d ? { categoryId: null, name: d.name, type: d.type } : null;
  };
  let best: { ref: CategoryRef; words: string } | null = null;
  const consider = (ref: CategoryRef | null, words: string) => {
    if (ref && hasPhrase(text, words) && (!best || words.length > best.words.length)) best = { ref, words };
  };
  for (const c of mine) consider(c, c.name.toLowerCase());
  for (const d of DEFAULT_CATEGORIES) consider(byType(d.type), d.name.toLowerCase());
  for (const [type, words] of Object.entries(CATEGORY_WORDS))
    for (const w of words) consider(byType(type), w);
  return best;
}

const NOT_A_MERCHANT = new Set([
  "all",
  "least",
  "most",
  "the",
  "a",
  "an",
  "my",
  "home",
  "work",
  "once",
  "this",
  "that",
  "it",
  "night",
  "first",
  "last",
  "any",
  "some",
  "what",
]);

/** A shop named after "at" (or after "from" or "on", capitalised), but not a category or a month. */
function merchantIn(question: string, vocab: Vocabulary, categoryWords: string | null): string | null {
  const stop = (word: string) => {
    const w = word.toLowerCase();
    return (
      NOT_A_MERCHANT.has(w) ||
      MONTH_NAMES.includes(w) ||
      w === categoryWords ||
      (vocab.categories ?? []).some((c) => c.name.toLowerCase() === w) ||
      DEFAULT_CATEGORIES.some((c) => c.name.toLowerCase() === w || c.type === w)
    );
  };
  const capitalised = question.match(/\b(?:at|from|on|with)\s+([A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*)*)/);
  if (capitalised) {
    const name = (capitalised[1] as string).replace(/[.'-]+$/, "");
    if (!stop(name) && !stop(name.split(/\s+/)[0] as string)) return name;
  }
  const lower = question.match(/\bat\s+([a-z][\w&'-]*)/i);
  if (lower && !stop(lower[1] as string)) return lower[1] as string;
  return null;
}

/** The user's goal a question names: its whole name, or the words that set it apart from the others. */
function goalIn(text: string, vocab: Vocabulary): { goal: GoalRef | null; asked: string | null } {
  let best: { goal: GoalRef; score: number } | null = null;
  for (const g of vocab.goals ?? []) {
    const name = g.name.toLowerCase();
    const words = name.split(/[^a-z0-9]+/).filter((w) => w && !GENERIC_GOAL_WORDS.has(w));
    let score = hasPhrase(text, name) ? 3 : 0;
    for (const w of words) if (hasPhrase(text, w) || hasPhrase(text, w.replace(/s$/, ""))) score += 1;
    if (score > 0 && (!best || score > best.score)) best = { goal: g, score };
  }
  if (best) return { goal: best.goal, asked: null };
  const asked = text.match(/\b(?:my|the|our) ([a-z]+(?: [a-z]+)?) (?:goal|fund|savings)\b/);
  const words = asked?.[1]?.replace(/^(savings?|goal) /, "") ?? null;
  return { goal: null, asked: words && !GENERIC_GOAL_WORDS.has(words) ? words : null };
}
