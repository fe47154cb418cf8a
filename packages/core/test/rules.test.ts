import { describe, expect, it } from "vitest";
import { normalizeMerchant } from "../src/merchants";
import {
  firstMatchingRule,
  matchesRule,
  type RuleLike,
  type RuleSubject,
  ruleFromCorrection,
} from "../src/rules";

const coffee: RuleSubject = {
  merchant: "Blue Bottle Coffee",
  merchantRaw: "SQ *BLUE BOTTLE COFFEE",
  description: "Card purchase   at BLUE BOTTLE",
  amount: 575,
  type: "expense",
};

function rule(ruleId: string, conditions: RuleLike["conditions"], extra: Partial<RuleLike> = {}): RuleLike {
  return {
    ruleId,
    priority: 100,
    enabled: true,
    conditions,
    actions: { categoryId: `CAT-${ruleId}` },
    ...extra,
  };
}

describe("matchesRule", () => {
  it("compares text case-insensitively with whitespace collapsed", () => {
    expect(matchesRule(rule("a", { merchant: { op: "equals", value: "blue  bottle COFFEE" } }), coffee)).toBe(
      true,
    );
    expect(matchesRule(rule("a", { merchant: { op: "contains", value: "bottle" } }), coffee)).toBe(true);
    expect(matchesRule(rule("a", { merchant: { op: "startsWith", value: "BLUE" } }), coffee)).toBe(true);
    expect(matchesRule(rule("a", { merchant: { op: "startsWith", value: "bottle" } }), coffee)).toBe(false);
    expect(matchesRule(rule("a", { description: { op: "contains", value: "purchase at" } }), coffee)).toBe(
      true,
    );
    expect(matchesRule(rule("a", { description: { op: "equals", value: "card purchase" } }), coffee)).toBe(
      false,
    );
  });

  it("matches a merchant condition on the normalised name or the raw text", () => {
    expect(matchesRule(rule("a", { merchant: { op: "startsWith", value: "sq *blue" } }), coffee)).toBe(true);
    expect(
      matchesRule(rule("a", { merchant: { op: "equals", value: "SQ *BLUE BOTTLE COFFEE" } }), coffee),
    ).toBe(true);
    const noMerchant = { ...coffee, merchant: null, merchantRaw: null };
    expect(matchesRule(rule("a", { merchant: { op: "contains", value: "blue" } }), noMerchant)).toBe(false);
  });

  it("treats amount bounds as inclusive and checks the type", () => {
    expect(matchesRule(rule("a", { minAmount: 575 }), coffee)).toBe(true);
    expect(matchesRule(rule("a", { minAmount: 576 }), coffee)).toBe(false);
    expect(matchesRule(rule("a", { maxAmount: 575 }), coffee)).toBe(true);
    expect(matchesRule(rule("a", { maxAmount: 574 }), coffee)).toBe(false);
    expect(matchesRule(rule("a", { type: "expense" }), coffee)).toBe(true);
    expect(matchesRule(rule("a", { type: "income" }), coffee)).toBe(false);
  });

  it("requires every given condition", () => {
    const both = rule("a", { merchant: { op: "contains", value: "bottle" }, maxAmount: 500 });
    expect(matchesRule(both, coffee)).toBe(false);
    expect(matchesRule(both, { ...coffee, amount: 500 })).toBe(true);
  });

  it("matches nothing with no conditions", () => {
    expect(matchesRule(rule("a", {}), coffee)).toBe(false);
  });
});

describe("firstMatchingRule", () => {
  const rules = [
    rule("03", { merchant: { op: "contains", value: "coffee" } }, { priority: 50 }),
    rule("02", { merchant: { op: "contains", value: "bottle" } }, { priority: 10, enabled: false }),
    rule("01", { merchant: { op: "contains", value: "blue" } }, { priority: 50 }),
    rule("00", { type: "income" }, { priority: 1 }),
  ];

  it("takes enabled rules, lowest priority first, ties by ruleId", () => {
    expect(firstMatchingRule(rules, coffee)?.ruleId).toBe("01");
    expect(firstMatchingRule(rules, { ...coffee, type: "income" })?.ruleId).toBe("00");
  });

  it("returns undefined when nothing matches and leaves the input order alone", () => {
    expect(firstMatchingRule(rules, { ...coffee, merchant: "Tea", merchantRaw: "TEA" })).toBeUndefined();
    expect(rules.map((r) => r.ruleId)).toEqual(["03", "02", "01", "00"]);
  });
});

describe("ruleFromCorrection", () => {
  it("proposes merchant equals the normalised name", () => {
    expect(ruleFromCorrection(coffee, "CAT1")).toEqual({
      conditions: { merchant: { op: "equals", value: "Blue Bottle Coffee" } },
      actions: { categoryId: "CAT1" },
    });
  });

  it("normalises the raw text when there is no normalised name", () => {
    const s = { ...coffee, merchant: null, merchantRaw: "TST* JOES PIZZA #123" };
    expect(ruleFromCorrection(s, "CAT1").conditions).toEqual({
      merchant: { op: "equals", value: "Joes Pizza" },
    });
  });

  it("falls back to the first words of the description, then to the exact amount", () => {
    const noMerchant = { ...coffee, merchant: null, merchantRaw: null };
    expect(ruleFromCorrection(noMerchant, "CAT1").conditions).toEqual({
      description: { op: "contains", value: "Card purchase at" },
    });
    expect(ruleFromCorrection({ ...noMerchant, description: "  " }, "CAT1").conditions).toEqual({
      type: "expense",
      minAmount: 575,
      maxAmount: 575,
    });
  });

  it("proposes a rule that matches the transaction it came from", () => {
    for (const raw of ["SQ *BLUE BOTTLE COFFEE", "POS PURCHASE WHOLEFDS MKT 10234", "AMZN Mktp US*2K4LL1"]) {
      const s: RuleSubject = { ...coffee, merchant: normalizeMerchant(raw).name, merchantRaw: raw };
      const proposed = ruleFromCorrection(s, "CAT1");
      expect(matchesRule(proposed, s)).toBe(true);
      expect(matchesRule(proposed, { ...s, merchantRaw: `${raw} 9999` })).toBe(true);
    }
  });
});
