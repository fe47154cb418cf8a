import { count, money, monthName, percent } from "../format";
import type { Intent, Strategy } from "../intents";
import type { Payoff } from "../turn";
import { type Answer, type Asked, couldNot, excludedLines, STRATEGY_NAMES, shortfallLines } from "./common";

type PayoffIntent = Extract<Intent, { kind: "payoff" }>;

const WHY_FIRST: Record<string, string> = {
  avalanche: "it has the highest APR",
  snowball: "it has the smallest balance",
  "highest-interest": "it charges the most interest each month",
};

/** "Debt-free in February 2030, in 2 months, with $11.30 of interest", or why not. */
export function outcomeText(
  plan: { end: string; debtFreeMonth: string | null; monthsToDebtFree: number | null; totalInterest: number },
  currency: string,
): string {
  if (plan.end === "debt-free" && plan.debtFreeMonth && plan.monthsToDebtFree !== null)
    return `debt-free in ${monthName(plan.debtFreeMonth)}, in ${count(plan.monthsToDebtFree, "month")}, with ${money(plan.totalInterest, currency)} of interest`;
  if (plan.end === "shortfall") return "short of the minimum payments, so no plan can be followed";
  if (plan.end === "stalled") return "never debt-free: the payments do not bring the balances down";
  if (plan.end === "runaway") return "never debt-free: the balances keep growing";
  return "not debt-free within 50 years";
}

interface Outcome {
  end: string;
  debtFreeMonth: string | null;
  monthsToDebtFree: number | null;
  totalInterest: number;
}

/** One plan against another: "debt-free in February 2030 either way, with $11.75 of interest instead of $11.30". */
export function compareOutcomes(before: Outcome, after: Outcome, currency: string): string {
  if (
    before.end !== "debt-free" ||
    after.end !== "debt-free" ||
    !before.debtFreeMonth ||
    !after.debtFreeMonth
  )
    return `${outcomeText(after, currency)}, rather than ${outcomeText(before, currency)}`;
  const interest =
    before.totalInterest === after.totalInterest
      ? `the same ${money(after.totalInterest, currency)} of interest`
      : `${money(after.totalInterest, currency)} of interest instead of ${money(before.totalInterest, currency)}`;
  return before.debtFreeMonth === after.debtFreeMonth
    ? `debt-free in ${monthName(after.debtFreeMonth)} either way, with ${interest}`
    : `debt-free in ${monthName(after.debtFreeMonth)} instead of ${monthName(before.debtFreeMonth)}, with ${interest}`;
}

/** The plan's first month, card by card, as numbered steps. */
export function thisMonthSteps(plan: Payoff): string[] {
  const c = plan.currency;
  const first = plan.chosen.thisMonth;
  if (!first) return [];
  const payments = [...first.payments].sort((a, b) => b.payment - a.payment);
  const steps = payments.map((p, i) => {
    const card = plan.cards.find((x) => x.cardId === p.cardId);
    const apr = card ? ` (${percent(card.aprBasisPoints)} APR)` : "";
    const minimum = card && p.payment === card.minimumDue ? ", its minimum" : "";
    const after = p.balanceAfter === 0 ? "; that pays it off" : `; it then owes ${money(p.balanceAfter, c)}`;
    return `${i + 1}. Pay ${money(p.payment, c)} to ${p.name}${apr}${minimum}${after}.`;
  });
  return [`This month (${monthName(first.month)}):`, ...steps];
}

export async function* answerPayoff(a: Asked, intent: PayoffIntent): Answer {
  const out = yield* a.turn.call("calculate_payoff", intent.strategy ? { strategy: intent.strategy } : {});
  if (!out.ok) return [couldNot("work out a payoff plan", out.error)];
  const plan = out.output;
  const c = plan.currency;
  const lines: string[] = [];

  if (plan.cards.length === 0 || plan.totalOwed === 0) {
    lines.push("You owe nothing on any credit card in Tyche, so there is no payoff plan to make.");
    lines.push(...excludedLines(plan, a.context));
    if (plan.availableForDebtPayoff !== null && plan.availableForDebtPayoff > 0)
      lines.push(
        `Your budget for ${monthName(plan.month)} leaves ${money(plan.availableForDebtPayoff, c)} after its categories: with no card debt, put it toward your savings goals.`,
      );
    return lines;
  }

  if (plan.availableForDebtPayoff === null) {
    lines.push(
      `There is no budget for ${monthName(plan.month)}, so I do not know how much your income leaves for your cards.`,
      `You owe ${money(plan.totalOwed, c)} on ${count(plan.cards.length, "card")}, with ${money(plan.minimumsDue, c)} of minimum payments this month.`,
    );
    if (plan.minimumOnly.end === "debt-free" && plan.minimumOnly.debtFreeMonth)
      lines.push(`Paying only the minimums you would be ${outcomeText(plan.minimumOnly, c)}.`);
    lines.push(
      "Plan this month's budget (your income and a limit for each category) and ask again: the plan then puts everything the budget leaves toward the cards.",
      `Meanwhile pay at least the minimums: ${plan.cards.map((card) => `${money(card.minimumDue, c)} to ${card.name}`).join(", ")}.`,
    );
    lines.push(...excludedLines(plan, a.context));
    return lines;
  }

  if (plan.shortfall) {
    const s = plan.shortfall;
    lines.push(...shortfallLines(plan));
    if (s.closesGap && s.cuts.length > 0) {
      const fixed = yield* a.turn.call("calculate_payoff", {
        monthly: s.monthlyAmount + s.cutsTotal,
        ...(intent.strategy ? { strategy: intent.strategy } : {}),
      });
      if (fixed.ok && fixed.output.chosen.end === "debt-free")
        lines.push(
          `With those changes ${money(fixed.output.monthlyAmount, c)} a month goes to your cards: following ${STRATEGY_NAMES[fixed.output.chosen.strategy]}, you would be ${outcomeText(fixed.output.chosen, c)}.`,
        );
      else if (!fixed.ok) lines.push(couldNot("plan the payoff with those changes", fixed.error));
    }
    lines.push(
      `Until then, pay at least the minimums: ${plan.cards.map((card) => `${money(card.minimumDue, c)} to ${card.name}`).join(", ")}.`,
    );
    lines.push(...excludedLines(plan, a.context));
    return lines;
  }

  const several = plan.cards.length > 1;
  lines.push(
    `Your budget for ${monthName(plan.month)} leaves ${money(plan.monthlyAmount, c)} a month for your cards, their ${money(plan.minimumsDue, c)} of minimums included; you owe ${money(plan.totalOwed, c)}${several ? ` on ${plan.cards.length} cards` : ""}.`,
  );
  if (several) lines.push(...strategyLines(plan, intent));
  else lines.push(`With one card every strategy pays it the same way.`);

  const chosen = plan.chosen;
  const name = STRATEGY_NAMES[chosen.strategy] ?? chosen.strategy;
  const minimumOnly = plan.minimumOnly;
  const versus =
    chosen.interestSaved !== null && minimumOnly.end === "debt-free" && minimumOnly.debtFreeMonth
      ? ` Paying only the minimums would take until ${monthName(minimumOnly.debtFreeMonth)} and cost ${money(minimumOnly.totalInterest, c)} of interest: this plan saves ${money(chosen.interestSaved, c)}.`
      : "";
  lines.push(`Following ${several ? name : "the plan"} you are ${outcomeText(chosen, c)}.${versus}`);

  const steps = thisMonthSteps(plan);
  if (steps.length > 0) {
    lines.push(...steps);
    lines.push(
      `${steps.length}. Keep paying ${money(plan.monthlyAmount, c)} a month to your cards while your budget leaves that much${several ? "; each card paid off passes its payment on to the next" : ""}.`,
    );
  }
  lines.push(...excludedLines(plan, a.context));
  return lines;
}

/** Each strategy's outcome, which is best and why, and which card the extra goes to first. */
function strategyLines(plan: Payoff, intent: PayoffIntent): string[] {
  const c = plan.currency;
  const lines = [
    `The strategies compared: ${plan.strategies
      .map((s) => `${STRATEGY_NAMES[s.strategy] ?? s.strategy}: ${outcomeText(s, c)}`)
      .join("; ")}.`,
  ];
  const find = (name: Strategy) => plan.strategies.find((s) => s.strategy === name);
  const avalanche = find("avalanche");
  const snowball = find("snowball");
  if (plan.best) {
    const same = avalanche && snowball && avalanche.totalInterest === snowball.totalInterest;
    lines.push(
      same
        ? `Avalanche and snowball cost the same here; ${STRATEGY_NAMES[plan.best]} is the plan below.`
        : `The best is ${STRATEGY_NAMES[plan.best]}: it costs the least interest.`,
    );
  }
  const firstWin = snowball?.payoffOrder[0];
  if ((intent.compare || intent.strategy === "snowball") && firstWin?.payoffMonth && avalanche && snowball)
    lines.push(
      `Snowball pays off ${firstWin.name} first, in ${monthName(firstWin.payoffMonth)}: an early win, if that keeps you going, for ${money(snowball.totalInterest, c)} of interest against avalanche's ${money(avalanche.totalInterest, c)}.`,
    );
  const payments = plan.chosen.thisMonth?.payments ?? [];
  const focus = payments.find((p) => {
    const card = plan.cards.find((x) => x.cardId === p.cardId);
    return card && p.payment > card.minimumDue;
  });
  if (focus && WHY_FIRST[plan.chosen.strategy])
    lines.push(
      `Put everything above the minimums on ${focus.name} first: ${WHY_FIRST[plan.chosen.strategy]}.`,
    );
  return lines;
}
