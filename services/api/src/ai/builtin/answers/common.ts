import type { AdvisorEvent } from "../../advisor";
import { money, monthName } from "../format";
import type { Payoff, Turn, UserContext } from "../turn";

/** An answer: the tool calls it streams, then its text, line by line. */
export type Answer = AsyncGenerator<AdvisorEvent, string[], void>;

/** What every answer starts from: the turn, and the user's context for the current month if it came. */
export interface Asked {
  turn: Turn;
  context: UserContext | null;
  /** get_user_context's error, when it failed. */
  contextError: string | null;
}

/** A tool that failed, said plainly. */
export const couldNot = (what: string, error: string) => `I could not ${what}: ${error}.`;

export const STRATEGY_NAMES: Record<string, string> = {
  avalanche: "avalanche (highest APR first)",
  snowball: "snowball (smallest balance first)",
  "highest-interest": "highest interest first (the card charging the most interest each month)",
};

const EXCLUDED_REASON: Record<string, string> = {
  "in-credit": "is in credit, so there is nothing to pay on it",
  "no-terms":
    "has no APR or minimum payment recorded, so it cannot be planned: add its terms on the Debt page",
  "other-currency": "is in another currency than the budget, so it is planned separately",
};

/** Why each card left out of a plan is left out; an in-credit card says by how much, from the context. */
export function excludedLines(plan: Payoff, context: UserContext | null): string[] {
  return plan.excluded.map((e) => {
    const card = context?.cards.find((c) => c.cardId === e.cardId);
    const credit =
      e.reason === "in-credit" && card && card.balance < 0
        ? ` (${money(card.balance, card.currency)} in your favour)`
        : "";
    return `${e.name}${credit} ${EXCLUDED_REASON[e.reason] ?? "is left out of the plan"}.`;
  });
}

/** The shortfall in words: the money for the cards against their minimums, and the cuts that would close it. */
export function shortfallLines(plan: Payoff): string[] {
  const s = plan.shortfall;
  if (!s) return [];
  const c = plan.currency;
  const lines = [
    `Your budget for ${monthName(plan.month)} leaves ${money(s.monthlyAmount, c)} for your cards, but their minimum payments come to ${money(s.minimumsDue, c)}: you are ${money(s.missing, c)} short.`,
  ];
  if (s.cuts.length === 0) {
    lines.push(
      "No category is over its limit, so the gap has to come from lower limits or more income: lower a limit on the Budget page (ask me where you are overspending for the candidates).",
    );
    return lines;
  }
  const cuts = s.cuts.map(
    (cut) =>
      `bring ${cut.name} back to its ${money(cut.limit, c)} limit (it has spent ${money(cut.spent, c)}, ${money(cut.overBy, c)} over)`,
  );
  lines.push(
    s.closesGap
      ? `To close the gap: ${cuts.join("; ")}. That frees ${money(s.cutsTotal, c)} a month, enough for the minimums.`
      : `Bringing the over-budget categories back to their limits frees ${money(s.cutsTotal, c)}: ${cuts.join("; ")}. That is not enough on its own: lower another limit or raise income for the rest.`,
  );
  return lines;
}
