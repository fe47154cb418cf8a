import type { PayoffStrategyName, StrategySummary } from "@tyche/types";
import { monthLabel, plural } from "../../ui/format";

/** Each strategy as a person names it, and what it does in a few words. */
export const STRATEGIES: Record<PayoffStrategyName, { label: string; what: string }> = {
  avalanche: { label: "Avalanche", what: "Highest APR first" },
  snowball: { label: "Snowball", what: "Smallest balance first" },
  "highest-interest": { label: "Highest interest", what: "Largest monthly interest first" },
  custom: { label: "Your order", what: "The order you chose" },
  "minimum-only": { label: "Minimums only", what: "Only the minimum payments" },
};

/** The strategies a plan can follow (the minimums alone are the baseline they are compared with). */
export const PLAN_STRATEGIES = ["avalanche", "snowball", "highest-interest"] as const;
export type PlanStrategy = (typeof PLAN_STRATEGIES)[number];
export const isPlanStrategy = (s: string | null): s is PlanStrategy =>
  (PLAN_STRATEGIES as readonly string[]).includes(s ?? "");

/** Basis points as a percentage: 2499 → "24.99%" in the reader's own notation. */
export const rate = (basisPoints: number) =>
  new Intl.NumberFormat(navigator.language, { style: "percent", maximumFractionDigits: 2 }).format(
    basisPoints / 10_000,
  );

/** A percentage typed by a person ("24.99", "24.99 %") as whole basis points; undefined when not one. */
export function parseBasisPoints(text: string): number | undefined {
  const cleaned = text.replace(/[\s%]/g, "").replace(",", ".");
  const match = /^(\d{1,6})(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** Basis points as the plain number a percentage input shows ("24.99", "1"). */
export const basisPointsToInput = (bp: number) => (bp % 100 === 0 ? String(bp / 100) : (bp / 100).toFixed(2));

/** Why a plan did not get to debt-free, in words. */
export function endWords(end: StrategySummary["end"]): string {
  switch (end) {
    case "shortfall":
      return "Not possible: the money for debt does not cover the minimum payments";
    case "stalled":
      return "Never paid off: the payments do not bring the balances down";
    case "runaway":
      return "Never paid off: the balances keep growing";
    case "horizon":
      return "Not paid off within 50 years";
    default:
      return "Debt-free";
  }
}

/** When a plan gets to debt-free: "in 14 months, by March 2027", or why it does not. */
export function debtFreeWords(
  outcome: Pick<StrategySummary, "end" | "monthsToDebtFree" | "debtFreeMonth">,
): string {
  if (outcome.end !== "debt-free" || outcome.monthsToDebtFree === null) return endWords(outcome.end);
  if (outcome.debtFreeMonth === null) return "Nothing to pay off";
  return `Debt-free in ${plural(outcome.monthsToDebtFree, "month")}, by ${monthLabel(outcome.debtFreeMonth)}`;
}

/** A card's use of its limit in words, so that no colour has to be read to know it. */
export function utilisationWords(basisPoints: number): string {
  if (basisPoints > 10_000) return "Over the limit";
  if (basisPoints >= 5_000) return "Very high";
  if (basisPoints >= 3_000) return "High";
  return "Healthy";
}

/** The level of a utilisation, for the colour of its bar (its words say the same). */
export const utilisationLevel = (basisPoints: number) =>
  basisPoints >= 5_000 ? "over" : basisPoints >= 3_000 ? "near" : "under";

/** A sentence's words for the middle of another: its first letter in lower case. */
export const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
