import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeDateFormat, detectDateFormat, makeDate, parseDate } from "../src/import/dates";

describe("parseDate", () => {
  it.each([
    ["2025-03-04", "iso", "2025-03-04"],
    ["2025/03/04", "iso", "2025-03-04"],
    ["2025-3-4", "iso", "2025-03-04"],
    ["2025-03-04T13:45:00Z", "iso", "2025-03-04"],
    ["2025-03-04 13:45", "iso", "2025-03-04"],
    ["2025-03-04T23:59:59.123+05:30", "iso", "2025-03-04"],
    ["20250304", "iso", "2025-03-04"],
    ["03/04/2025", "us", "2025-03-04"],
    ["3/4/25", "us", "2025-03-04"],
    ["12/31/99", "us", "1999-12-31"],
    ["3/4/2025 1:05 PM", "us", "2025-03-04"],
    ["04.03.2025", "eu", "2025-03-04"],
    ["04/03/2025", "eu", "2025-03-04"],
    ["04-03-2025", "eu", "2025-03-04"],
    ["4.3.25", "eu", "2025-03-04"],
    ["29.02.2024", "eu", "2024-02-29"],
    [" 2025-03-04 ", "iso", "2025-03-04"],
  ] as const)("%s as %s is %s", (text, format, expected) => {
    expect(parseDate(text, format)).toBe(expected);
  });

  it.each([
    ["2025-02-30", "iso"],
    ["2025-13-01", "iso"],
    ["2025-00-10", "iso"],
    ["2023-02-29", "iso"],
    ["1900-02-29", "iso"],
    ["1969-12-31", "iso"],
    ["02/30/2025", "us"],
    ["13/01/2025", "us"],
    ["30.02.2025", "eu"],
    ["01.13.2025", "eu"],
    ["04/03-2025", "eu"],
    ["2025-03-04", "us"],
    ["03/04/2025", "iso"],
    ["yesterday", "iso"],
    ["", "eu"],
    ["1/2/345", "us"],
  ] as const)("refuses %j as %s", (text, format) => {
    expect(parseDate(text, format)).toBeNull();
  });

  it("round-trips every real date in every format", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1970-01-01T00:00:00Z"),
          max: new Date("2999-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split("-");
          expect(parseDate(iso, "iso")).toBe(iso);
          expect(parseDate(`${m}/${day}/${y}`, "us")).toBe(iso);
          expect(parseDate(`${day}.${m}.${y}`, "eu")).toBe(iso);
        },
      ),
    );
  });

  it("accepts exactly the real calendar dates, checked against the platform's calendar", () => {
    // Round-tripping real dates never offers an impossible one; these lean on February, month ends
    // and century years, where a calendar rule can be wrong.
    const year = fc.oneof(
      fc.integer({ min: 1970, max: 2999 }),
      fc.constantFrom(2000, 2100, 2400, 2024, 2025),
    );
    const month = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(2));
    const day = fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 28, max: 31 }));
    fc.assert(
      fc.property(year, month, day, (y, m, d) => {
        const utc = new Date(Date.UTC(y, m - 1, d));
        const real = utc.getUTCMonth() === m - 1 && utc.getUTCDate() === d;
        const iso = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
        expect(parseDate(iso, "iso")).toBe(real ? iso : null);
        expect(parseDate(`${m}/${d}/${y}`, "us")).toBe(real ? iso : null);
        expect(parseDate(`${d}.${m}.${y}`, "eu")).toBe(real ? iso : null);
      }),
      { numRuns: 1_000 },
    );
  });

  it("makes only real dates", () => {
    expect(makeDate(2024, 2, 29)).toBe("2024-02-29");
    expect(makeDate(2000, 2, 29)).toBe("2000-02-29");
    expect(makeDate(2100, 2, 29)).toBeNull();
    expect(makeDate(2025, 4, 31)).toBeNull();
  });
});

describe("detectDateFormat", () => {
  it("picks the one format that reads all samples", () => {
    expect(detectDateFormat(["2025-01-02", "2025-01-31"])).toEqual({ format: "iso", ambiguous: false });
    expect(detectDateFormat(["01/02/2025", "01/31/2025"])).toEqual({ format: "us", ambiguous: false });
    expect(detectDateFormat(["01/02/2025", "31/01/2025"])).toEqual({ format: "eu", ambiguous: false });
    expect(detectDateFormat(["01.02.2025", "31.01.2025"])).toEqual({ format: "eu", ambiguous: false });
  });

  it("chooses by delimiter when US and European order both read everything", () => {
    expect(detectDateFormat(["01.02.2025", "03.04.2025"])).toEqual({ format: "eu", ambiguous: true });
    expect(detectDateFormat(["01/02/2025", "03/04/2025"])).toEqual({ format: "us", ambiguous: true });
    expect(detectDateFormat(["01-02-2025", "03-04-2025"])).toEqual({ format: "eu", ambiguous: true });
  });

  it("goes with the majority when some samples are broken", () => {
    expect(detectDateFormat(["13/01/2025", "14/01/2025", "30/02/2025", "", "garbage"])).toEqual({
      format: "eu",
      ambiguous: false,
    });
  });

  it("returns null when nothing is a date", () => {
    expect(detectDateFormat(["hello", "12.50"])).toBeNull();
    expect(detectDateFormat([])).toBeNull();
  });

  it("describes formats with the file's delimiter", () => {
    expect(describeDateFormat("eu", "01/02/2025")).toBe("DD/MM/YYYY");
    expect(describeDateFormat("eu", "01.02.2025")).toBe("DD.MM.YYYY");
    expect(describeDateFormat("us", "1-2-2025")).toBe("MM-DD-YYYY");
    expect(describeDateFormat("iso")).toBe("YYYY-MM-DD");
  });
});
