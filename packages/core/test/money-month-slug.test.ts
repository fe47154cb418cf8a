import { describe, expect, it } from "vitest";
import { DEFAULT_CATEGORIES } from "../src/default-categories";
import { formatCents, minorUnitDigits, sumCents } from "../src/money";
import { addMonths, monthRange } from "../src/month";
import { slugify } from "../src/slug";

describe("money", () => {
  it("sums cents exactly and refuses fractions", () => {
    expect(sumCents([10, 20, 30])).toBe(60);
    expect(() => sumCents([0.1, 0.2])).toThrow(RangeError);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });

  it("formats by the currency's own minor unit", () => {
    expect(minorUnitDigits("USD")).toBe(2);
    expect(minorUnitDigits("JPY")).toBe(0);
    expect(formatCents(123_456, "USD")).toBe("$1,234.56");
    expect(formatCents(1_234, "JPY")).toBe("¥1,234");
  });
});

describe("months", () => {
  it("steps across year ends both ways", () => {
    expect(addMonths("2025-12", 1)).toBe("2026-01");
    expect(addMonths("2025-01", -1)).toBe("2024-12");
    expect(addMonths("2025-03", -15)).toBe("2023-12");
  });

  it("lists the months of a range", () => {
    expect(monthRange("2024-11", "2025-02")).toEqual(["2024-11", "2024-12", "2025-01", "2025-02"]);
    expect(monthRange("2025-02", "2025-02")).toEqual(["2025-02"]);
    expect(monthRange("2025-03", "2025-02")).toEqual([]);
  });
});

describe("slugify", () => {
  it("makes key-safe slugs", () => {
    expect(slugify("Eating Out!")).toBe("eating-out");
    expect(slugify("  Café & Bars ")).toBe("cafe-and-bars");
  });
});

describe("default categories", () => {
  it("cover every group with unique slugs", () => {
    const types = DEFAULT_CATEGORIES.map((c) => c.type);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(DEFAULT_CATEGORIES.map((c) => c.group))).toEqual(
      new Set(["essential", "discretionary", "savings", "debt"]),
    );
    for (const c of DEFAULT_CATEGORIES) expect(slugify(c.name)).toBe(c.type);
  });
});
