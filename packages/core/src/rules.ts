import type { RuleActions, RuleConditions } from "@tyche/types";
import { normalizeMerchant } from "./merchants";

export type RuleConditionsValue = ReturnType<typeof RuleConditions.parse>;
export type RuleActionsValue = ReturnType<typeof RuleActions.parse>;
type TextConditionValue = NonNullable<RuleConditionsValue["merchant"]>;

/** The parts of a stored rule that matching needs. */
export interface RuleLike {
  ruleId: string;
  priority: number;
  enabled: boolean;
  conditions: RuleConditionsValue;
  actions: RuleActionsValue;
}

/** What a rule is matched against: a transaction, or a row about to be imported. */
export interface RuleSubject {
  /** Normalised display name (normalizeMerchant(...).name). */
  merchant: string | null;
  /** As the bank or the user wrote it. */
  merchantRaw: string | null;
  description: string;
  /** Positive cents. */
  amount: number;
  type: "expense" | "income" | "refund" | "transfer";
}

/** Case-insensitive, whitespace-collapsed text for comparisons. */
function fold(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

function textMatches(cond: TextConditionValue, text: string | null | undefined): boolean {
  if (text === null || text === undefined) return false;
  const hay = fold(text);
  const needle = fold(cond.value);
  if (needle === "") return false;
  switch (cond.op) {
    case "equals":
      return hay === needle;
    case "contains":
      return hay.includes(needle);
    case "startsWith":
      return hay.startsWith(needle);
  }
}

/**
 * True when every condition the rule gives holds for the subject. A merchant condition matches the
 * normalised name or the raw text; amounts are inclusive. A rule with no conditions at all matches
 * nothing (the schema forbids it; matching everything would silently recategorise every transaction).
 */
export function matchesRule(rule: Pick<RuleLike, "conditions">, subject: RuleSubject): boolean {
  const c = rule.conditions;
  let tested = 0;
  if (c.merchant !== undefined) {
    tested++;
    if (!textMatches(c.merchant, subject.merchant) && !textMatches(c.merchant, subject.merchantRaw))
      return false;
  }
  if (c.description !== undefined) {
    tested++;
    if (!textMatches(c.description, subject.description)) return false;
  }
  if (c.minAmount !== undefined) {
    tested++;
    if (subject.amount < c.minAmount) return false;
  }
  if (c.maxAmount !== undefined) {
    tested++;
    if (subject.amount > c.maxAmount) return false;
  }
  if (c.type !== undefined) {
    tested++;
    if (subject.type !== c.type) return false;
  }
  return tested > 0;
}

/** Orders rules as they run: lowest priority first, ties by ruleId. */
export function compareRules(
  a: Pick<RuleLike, "priority" | "ruleId">,
  b: Pick<RuleLike, "priority" | "ruleId">,
) {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

/** The enabled rule that runs first and matches, if any. */
export function firstMatchingRule<R extends RuleLike>(
  rules: readonly R[],
  subject: RuleSubject,
): R | undefined {
  return rules
    .filter((r) => r.enabled)
    .sort(compareRules)
    .find((r) => matchesRule(r, subject));
}

const MAX_TEXT = 200;
const DESCRIPTION_WORDS = 3;

/**
 * A rule proposed after the user put a transaction in a category by hand: "merchant equals <name>",
 * or "description contains <first words>" when there is no merchant, or (with neither) the exact
 * amount and type.
 */
export function ruleFromCorrection(
  subject: RuleSubject,
  categoryId: string,
): { conditions: RuleConditionsValue; actions: RuleActionsValue } {
  const actions: RuleActionsValue = { categoryId };
  const merchant =
    subject.merchant?.trim() || (subject.merchantRaw ? normalizeMerchant(subject.merchantRaw).name : "");
  if (merchant !== "") {
    return { conditions: { merchant: { op: "equals", value: merchant.slice(0, MAX_TEXT).trim() } }, actions };
  }
  const words = subject.description
    .replace(/\s+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w !== "")
    .slice(0, DESCRIPTION_WORDS)
    .join(" ");
  if (words !== "") {
    return {
      conditions: { description: { op: "contains", value: words.slice(0, MAX_TEXT).trim() } },
      actions,
    };
  }
  return {
    conditions: { type: subject.type, minAmount: subject.amount, maxAmount: subject.amount },
    actions,
  };
}
