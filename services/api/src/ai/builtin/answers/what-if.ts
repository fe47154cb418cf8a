import { count, money, monthName } from "../format";
import type { Intent } from "../intents";
import { type Answer, type Asked, couldNot, shortfallLines } from "./common";
import { changeText } from "./overspending";
import { outcomeText } from "./payoff";

type WhatIfIntent = Extract<Intent, { kind: "what-if" }>;

/** More money for the cards, every month or once: calculate_payoff's what-if, before and after. */
export async function* answerWhatIf(a: Asked, intent: WhatIfIntent): Answer {
  if (intent.extraMonthly === null && intent.oneOff === null) {
    const base = yield* a.turn.call("calculate_payoff", {});
    const lines = [
      "Tell me how much more, every month or once (for example “what if I add … a month to my cards”), and I will compare the plans.",
    ];
    if (base.ok && base.output.totalOwed > 0 && !base.output.shortfall)
      lines.push(
        `As it is, ${money(base.output.monthlyAmount, base.output.currency)} a month makes you ${outcomeText(base.output.chosen, base.output.currency)}.`,
      );
    return lines;
  }

  const out = yield* a.turn.call(
    "calculate_payoff",
    intent.extraMonthly !== null
      ? { extraMonthly: intent.extraMonthly }
      : { snowflake: intent.oneOff ?? undefined },
  );
  if (!out.ok) return [couldNot("work out the what-if", out.error)];
  const plan = out.output;
  const c = plan.currency;
  const w = plan.whatIf;
  if (plan.totalOwed === 0 || !w)
    return [
      "You owe nothing on your cards, so there is nothing for the extra money to pay off: put it toward a savings goal instead.",
    ];

  const change =
    w.snowflake !== null
      ? `A one-off ${money(w.snowflake.amount, c)} on your cards in ${monthName(w.snowflake.month)}`
      : plan.availableForDebtPayoff === null
        ? `With no budget for ${monthName(plan.month)}, the plan has only the ${money(w.extraMonthly, c)} a month you add`
        : `Adding ${money(w.extraMonthly, c)} a month to the ${money(plan.monthlyAmount, c)} your budget leaves for your cards`;
  const cur = w.current;
  const next = w.withChange;
  const lines: string[] = [];
  if (cur.end === "debt-free" && next.end === "debt-free" && cur.debtFreeMonth && next.debtFreeMonth) {
    const saved = w.interestSaved ?? 0;
    if ((w.monthsSaved ?? 0) > 0)
      lines.push(
        `${change}: you would be debt-free in ${monthName(next.debtFreeMonth)} instead of ${monthName(cur.debtFreeMonth)}, ${count(w.monthsSaved ?? 0, "month")} sooner, with ${money(next.totalInterest, c)} of interest instead of ${money(cur.totalInterest, c)}: ${money(saved, c)} saved.`,
      );
    else if (saved > 0)
      lines.push(
        `${change}: you would still be debt-free in ${monthName(next.debtFreeMonth)}, with ${money(next.totalInterest, c)} of interest instead of ${money(cur.totalInterest, c)}: ${money(saved, c)} saved.`,
      );
    else
      lines.push(
        `${change} changes nothing: the plan already clears your cards in ${monthName(cur.debtFreeMonth)}, with ${money(cur.totalInterest, c)} of interest.`,
      );
  } else if (cur.end === "shortfall" && next.end === "shortfall") {
    // A one-off payment never counts toward the minimums: the monthly gap is still there.
    lines.push(
      w.snowflake !== null
        ? `${change} does not close the monthly gap: the minimums are due every month.${plan.availableForDebtPayoff === null ? ` With no budget for ${monthName(plan.month)} there is no monthly money for your cards: plan one (income and a limit for each category) so a plan has something to work with.` : " Use it for this month's minimums, and close the gap for the months after:"}`
        : `${change} is still not enough to cover the minimum payments.`,
    );
    if (plan.availableForDebtPayoff !== null) lines.push(...shortfallLines(plan));
  } else if (cur.end === "shortfall") {
    const s = plan.shortfall;
    const today =
      s && plan.availableForDebtPayoff !== null
        ? `today the money for your cards (${money(s.monthlyAmount, c)}) is short of their ${money(s.minimumsDue, c)} of minimums; `
        : "";
    lines.push(`${change}: ${today}with the change you would be ${outcomeText(next, c)}.`);
  } else {
    lines.push(`${change}: you would be ${outcomeText(next, c)}; as it is you are ${outcomeText(cur, c)}.`);
  }

  if (intent.extraMonthly !== null && plan.availableForDebtPayoff !== null) {
    const found = yield* a.turn.call("analyze_budget", { free: intent.extraMonthly });
    if (found.ok && found.output.toFree && found.output.toFree.changes.length > 0) {
      const f = found.output.toFree;
      lines.push(
        `To find ${money(f.target, c)} a month in your budget: ${f.changes.map((r) => changeText(r, c)).join("; ")}. That frees ${money(f.freed, c)}${f.enough ? ", enough" : `, ${money(f.missing, c)} short: the rest has to come from lower limits elsewhere or more income`}.`,
      );
    } else if (!found.ok) lines.push(couldNot("look for the money in your budget", found.error));
  }
  return lines;
}
