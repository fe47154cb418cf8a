import { describe, expect, it } from "vitest";
import { monthChangeOf } from "../src/analytics/month-changes";
import { ownerOfKey } from "../src/db/keys";

const PK = "TENANT#01J0000000000000000000000T#USER#01J0000000000000000000000U";
const owner = { tenantId: "01J0000000000000000000000T", userId: "01J0000000000000000000000U" };

describe("which month a written item of tyche-budgets stands for", () => {
  it("is the month of a totals or a plan item, for the owner of its partition", () => {
    expect(monthChangeOf(PK, "TOTALS#2025-03")).toEqual({ owner, month: "2025-03" });
    expect(monthChangeOf(PK, "BUDGET#2025-12")).toEqual({ owner, month: "2025-12" });
  });

  it("is none for any other item, or a key that is not an owner's partition", () => {
    for (const sk of ["CATEGORY#01J", "ACCOUNT#01J", "TOTALS#2025-3", "BUDGET#2025-03#x", "RULE#1"]) {
      expect(monthChangeOf(PK, sk), sk).toBeUndefined();
    }
    for (const pk of ["IMPORT_LEASE", "TENANT#t", "TENANT#t#USER#u#MERCHANT#x", "EMAIL#a@b.c", 42]) {
      expect(monthChangeOf(pk, "TOTALS#2025-03"), String(pk)).toBeUndefined();
    }
    expect(ownerOfKey("TENANT##USER#u")).toBeUndefined();
  });
});
