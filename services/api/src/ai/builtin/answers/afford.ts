import { money, monthName } from "../format";
import type { Intent } from "../intents";
import type { UserContext } from "../turn";
import { type Answer, type Asked, couldNot, shortfallLines } from "./common";
import { changeText } from "./overspending";
import { compareOutcomes } from "./payoff";

type AffordIntent = Extract<Intent, { kind: "afford" }>;
type Budget = NonNullable<UserContext["budget"]>;

/** What the month leaves: income not given to any category, and what is left for the cards. */
function monthFacts(ctx: UserContext, budget: Budget): string {
  const c = ctx.currency;
  const unallocated =
    budget.unallocated >= 0
      ? `leaves ${money(budget.unallocated, c)} of income unallocated`
      : `gives categories ${money(budget.unallocated, c)} more than your income`;
  const minimums =
    ctx.totalOwed > 0 ? `, which need ${money(ctx.totalMinimumDue, c)} in minimum payments` : "";
  return `In ${monthName(ctx.month)} your plan ${unallocated}; after every category's limit (or its spending, where that is more) ${money(budget.availableForDebtPayoff, c)} is left for your cards${minimums}.`;
}

/** The discretionary categories with room left this month. */
function roomLine(ctx: UserContext, budget: Budget): string | null {
  const room = budget.categories
    .filter((x) => x.group === "discretionary" && x.remaining > 0)
    .sort((a, b) => b.remaining - a.remaining);
  if (room.length === 0) return null;
  return `Room left in your discretionary categories: ${room
    .map((x) => `${x.name} ${money(x.remaining, ctx.currency)} (of ${money(x.limit, ctx.currency)})`)
    .join(", ")}.`;
}

/**
 * Whether a purchase fits this month. Within a category's remaining limit it changes nothing else
 * (a category counts at the larger of its limit and its spending); beyond it, the rest comes out of
 * the money for the cards, and calculate_payoff with that lower monthly amount says what is left
 * and whether the minimums are still covered. A monthly cost is compared over the whole plan.
 */
export async function* answerAfford(a: Asked, intent: AffordIntent): Answer {
  const ctx = a.context;
  if (!ctx) return [couldNot("read your budget", a.contextError ?? "get_user_context gave nothing")];
  const c = ctx.currency;
  const budget = ctx.budget;
  if (!budget) {
    const owed =
      ctx.totalOwed > 0
        ? ` You owe ${money(ctx.totalOwed, c)} on your cards, with ${money(ctx.totalMinimumDue, c)} of minimum payments this month; make sure those are covered first.`
        : "";
    return [
      `There is no budget for ${monthName(ctx.month)}, so I cannot tell what the month leaves for a purchase.${owed}`,
      "Plan the month's budget (income and a limit for each category) and ask again.",
    ];
  }
  const avail = budget.availableForDebtPayoff;
  const facts = monthFacts(ctx, budget);
  const rooms = roomLine(ctx, budget);
  if (intent.amount === null)
    return [
      "Ask again with the price (and whether it is once or every month), and I will check it against this month's budget.",
      facts,
      ...(rooms ? [rooms] : []),
    ];

  const price = intent.amount;
  const target = intent.category
    ? budget.categories.find((x) => x.type === intent.category?.type)
    : undefined;
  const room = target ? Math.max(0, target.remaining) : 0;
  const named = intent.item && intent.item !== target?.name.toLowerCase() && intent.item !== target?.type;
  const what = named ? `the ${intent.item}` : "it";

  const short = ctx.totalOwed > 0 && avail < ctx.totalMinimumDue;
  if (target && room >= price && short) {
    // Planned spending, but in a month already short of the minimums: the limit is where the money is.
    const base = yield* a.turn.call("calculate_payoff", {});
    const lines = [
      `${capitalise(what)} fits within the limit of ${target.name}, which has ${money(room, c)} left of ${money(target.limit, c)}, but this month's budget already falls short of your cards' minimum payments: lowering that limit instead would free the money for them.`,
    ];
    if (base.ok) lines.push(...shortfallLines(base.output));
    else lines.push(couldNot("check the minimum payments", base.error));
    return lines;
  }
  if (target && room >= price) {
    const lines = [
      `Yes. ${capitalise(what)} fits in ${target.name}, which has ${money(room, c)} left of its ${money(target.limit, c)} limit this month, so the money for your cards stays ${money(avail, c)}.`,
    ];
    if (intent.monthly)
      lines.push(`As a monthly cost, keep ${target.name}'s limit where it is so it is covered every month.`);
    lines.push(facts);
    return lines;
  }

  // Only what the category's room does not cover comes out of the money for the cards.
  const uncovered = price - room;
  const partly =
    target && room > 0
      ? `${target.name}'s ${money(room, c)} left covers part of it, so only the rest comes out of the money for your cards.`
      : intent.category && !target
        ? `${intent.category.name} has no limit in your budget this month, so all of it comes out of the money for your cards.`
        : null;

  if (short) {
    const base = yield* a.turn.call("calculate_payoff", {});
    const lines = ["No: this month's budget already falls short of your cards' minimum payments."];
    if (base.ok) lines.push(...shortfallLines(base.output));
    else lines.push(couldNot("check the minimum payments", base.error));
    return lines;
  }

  if (uncovered > avail) {
    const lines = [
      `No, not from this month's budget: it costs more than the ${money(avail, c)} your budget leaves after its categories${target && room > 0 ? `, even with the ${money(room, c)} left in ${target.name}` : ""}.`,
      facts,
    ];
    if (rooms) lines.push(rooms);
    lines.push(...(yield* waysToFree(a, uncovered, c, intent.monthly)));
    return lines;
  }

  if (ctx.totalOwed === 0) {
    const lines = [
      `Yes. You owe nothing on your cards, and after its categories your budget leaves ${money(avail, c)} this month, which covers it.${intent.monthly ? " As a monthly cost it takes from that amount every month." : ""}`,
      facts,
    ];
    if (rooms) lines.push(rooms);
    return lines;
  }

  const bought = yield* a.turn.call("calculate_payoff", { monthly: avail - uncovered });
  if (!bought.ok) return [couldNot("work out what it does to your card payments", bought.error), facts];
  const plan = bought.output;
  const lines: string[] = [];
  if (plan.shortfall) {
    const s = plan.shortfall;
    lines.push(
      `Not without missing a payment: paying for it from this month's budget leaves ${money(s.monthlyAmount, c)} for your cards, ${money(s.missing, c)} short of their ${money(s.minimumsDue, c)} of minimums.`,
    );
    if (partly) lines.push(partly);
  } else if (!intent.monthly) {
    lines.push(
      `Yes, but it comes out of the money for your cards: they would get ${money(plan.monthlyAmount, c)} this month instead of ${money(avail, c)}, still covering the ${money(plan.minimumsDue, c)} of minimums.`,
    );
    if (partly) lines.push(partly);
    const first = plan.chosen.thisMonth;
    if (first)
      lines.push(
        `This month you would pay ${first.payments.map((p) => `${money(p.payment, c)} to ${p.name}`).join(", ")}.`,
      );
  } else {
    const base = yield* a.turn.call("calculate_payoff", {});
    if (!base.ok) return [couldNot("work out your current payoff plan", base.error), facts];
    const before = base.output.chosen;
    const after = plan.chosen;
    const same = before.debtFreeMonth === after.debtFreeMonth && before.totalInterest === after.totalInterest;
    lines.push(
      `${same ? "Yes" : "Yes, but it slows your debt payoff"}: as a monthly cost it leaves ${money(plan.monthlyAmount, c)} a month for your cards instead of ${money(avail, c)}, so you would be ${compareOutcomes(before, after, c)}.`,
    );
    if (partly) lines.push(partly);
  }
  lines.push(facts);
  if (rooms) lines.push(rooms);
  lines.push(...(yield* waysToFree(a, uncovered, c, intent.monthly)));
  return lines;
}

/** The budget changes that would make room for `amount` without paying the cards less. */
async function* waysToFree(a: Asked, amount: number, currency: string, monthly: boolean): Answer {
  const out = yield* a.turn.call("analyze_budget", { free: amount });
  if (!out.ok) return [couldNot("look for budget changes to make room", out.error)];
  const f = out.output.toFree;
  if (!f || f.changes.length === 0) return [];
  return [
    `To make room for the ${money(f.target, currency)}${monthly ? " a month" : ""} without paying your cards less: ${f.changes
      .map((r) => changeText(r, currency))
      .join(
        "; ",
      )}. That frees ${money(f.freed, currency)}${f.enough ? ", enough" : `, ${money(f.missing, currency)} short`}.`,
  ];
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
