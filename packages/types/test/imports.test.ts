import { describe, expect, it } from "vitest";
import { ImportOptions, ImportPreview, ImportPreviewRow, StatementGuesses } from "../src";

describe("ImportOptions", () => {
  it("describes every field, so the OpenAPI document explains each option", () => {
    for (const [name, field] of Object.entries(ImportOptions.shape)) {
      expect((field as { description?: string }).description, name).toMatch(/\w{3,}/);
    }
  });

  it("takes the new options and roles, and refuses what it does not know", () => {
    const ok = ImportOptions.parse({
      encoding: "iso-8859-1",
      skipLines: 6,
      delimiter: ";",
      columns: { merchant: "Partner Name", fee: "Fee", state: 8, reference: "Reference", currency: null },
      signConvention: "positive-is-expense",
    });
    expect(ok.columns?.fee).toBe("Fee");
    expect(ImportOptions.safeParse({ dialect: "amex" }).success).toBe(false);
    expect(ImportOptions.safeParse({ columns: { iban: 3 } }).success).toBe(false);
    expect(ImportOptions.safeParse({ encoding: "ebcdic" }).success).toBe(false);
    expect(ImportOptions.safeParse({ skipLines: -1 }).success).toBe(false);
  });
});

describe("StatementGuesses", () => {
  it("says for each guess where it came from, why, and which options change it", () => {
    const guess = (value: unknown) => ({ value, source: "detected", evidence: "why", overrideWith: ["x"] });
    const parsed = StatementGuesses.parse({
      layout: null,
      encoding: guess("utf-8"),
      delimiter: null,
      header: null,
      columns: null,
      dateFormat: null,
      decimalSeparator: null,
      signConvention: { ...guess("negative-is-expense"), decidedBy: "ofx" },
      notes: [],
    });
    expect(parsed.signConvention.decidedBy).toBe("ofx");
    expect(
      StatementGuesses.safeParse({ ...parsed, signConvention: guess("negative-is-expense") }).success,
    ).toBe(false);
  });
});

describe("ImportPreview", () => {
  const row = {
    line: 2,
    date: "2025-01-02",
    amount: 450,
    type: "expense",
    merchant: null,
    merchantRaw: null,
    description: "Coffee",
    categoryId: null,
    categorizedBy: "none",
    duplicate: false,
    outcome: "new",
    matchedTransactionId: null,
  };

  it("requires the reader's fields on every row", () => {
    expect(ImportPreviewRow.safeParse(row).success).toBe(false);
    const full = ImportPreviewRow.parse({
      ...row,
      type: "refund",
      direction: "credit",
      pending: true,
      fee: 25,
      bankId: "FITID1",
      paymentLike: false,
    });
    expect(full).toMatchObject({ type: "refund", direction: "credit", pending: true, fee: 25 });
    expect(ImportPreviewRow.safeParse({ ...row, direction: "sideways" }).success).toBe(false);
  });

  it("carries skipped rows with their reason", () => {
    const preview = {
      dryRun: true,
      format: "csv",
      dialect: null,
      counts: { rows: 1, imported: 0, duplicates: 0, failed: 0 },
      rows: [],
      skipped: [{ line: 4, reason: "declined", text: "Deliveroo" }],
      errors: [],
      ambiguous: [],
    };
    const skipped = ImportPreview.shape.skipped;
    expect(skipped.parse(preview.skipped)).toEqual([{ line: 4, reason: "declined", text: "Deliveroo" }]);
    expect(skipped.safeParse([{ line: 4, reason: "on hold", text: "x" }]).success).toBe(false);
  });
});
