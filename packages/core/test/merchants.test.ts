import { describe, expect, it } from "vitest";
import { MAX_MERCHANT_TEXT, merchantKey, normalizeMerchant } from "../src/merchants";

describe("normalizeMerchant", () => {
  it.each([
    ["SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee"],
    ["TST* JOES PIZZA #123", "Joes Pizza"],
    ["TST *JOES PIZZA", "Joes Pizza"],
    ["PAYPAL *NETFLIX", "Netflix"],
    ["STARBUCKS STORE 01234 SEATTLE WA", "Starbucks"],
    ["AMZN Mktp US*2K4LL1", "Amazon"],
    ["Amazon.com*AB12C", "Amazon"],
    ["UBER   *TRIP HELP.UBER.COM", "Uber"],
    ["SP * ALLBIRDS", "Allbirds"],
    ["POS PURCHASE WHOLEFDS MKT 10234", "Whole Foods Market"],
    ["DEBIT CARD PURCHASE THE HOME DEPOT #6543", "The Home Depot"],
    ["CHECKCARD 0203 JOE'S CAFE", "Joe's Cafe"],
    ["PURCHASE AUTHORIZED ON 02/03 CHIPOTLE 1234", "Chipotle"],
    ["PP*SPOTIFY", "Spotify"],
    ["CKO*WOLT", "Wolt"],
    ["GOOGLE *YouTube", "YouTube"],
    ["APPLE.COM/BILL", "Apple"],
    ["APPLE.COM/BILL 866-712-7753 CA", "Apple"],
    ["WM SUPERCENTER #1234", "Walmart"],
    ["WAL-MART #0456", "Walmart"],
    ["CVS/PHARMACY #04567", "CVS"],
    ["H&M 0123 NEW YORK", "H&M"],
    ["BP#1234567", "BP"],
    ["TRADER JOE'S #552", "Trader Joe's"],
    ["7-ELEVEN 12345", "7-Eleven"],
    ["SHELL OIL 57444212500", "Shell Oil"],
    ["TARGET 00012345", "Target"],
    ["NETFLIX.COM", "Netflix"],
    ["COMCAST CABLE COMM", "Comcast Cable Comm"],
    ["THE CUP AND SAUCER", "The Cup And Saucer"],
    ["CAFÉ DU MONDE", "Café Du Monde"],
  ])("%s -> %s", (raw, name) => {
    expect(normalizeMerchant(raw).name).toBe(name);
  });

  it("gives the same key however a merchant is written", () => {
    const key = normalizeMerchant("Starbucks").key;
    expect(key).toBe("starbucks");
    expect(normalizeMerchant("  starbucks  ").key).toBe(key);
    expect(normalizeMerchant("STARBUCKS #9876").key).toBe(key);
    expect(normalizeMerchant("STARBUCKS STORE 01234 SEATTLE WA").key).toBe(key);
    expect(normalizeMerchant("  starbucks  ").name).toBe("Starbucks");
  });

  it("keeps short all-caps brands upper and mixed case as written", () => {
    expect(normalizeMerchant("CVS").name).toBe("CVS");
    expect(normalizeMerchant("KFC 0456").name).toBe("KFC");
    expect(normalizeMerchant("AT&T BILL PAYMENT").name).toBe("AT&T Bill Payment");
    expect(normalizeMerchant("iTunes").name).toBe("iTunes");
    expect(normalizeMerchant("the coffee bar").name).toBe("The Coffee Bar");
  });

  it("makes keys of letters and digits only, Unicode included", () => {
    expect(normalizeMerchant("H&M").key).toBe("h m");
    expect(normalizeMerchant("Trader Joe's").key).toBe("trader joe s");
    expect(normalizeMerchant("Café Du Monde").key).toBe("café du monde");
    expect(normalizeMerchant("ÖBB Ticket").key).toBe("öbb ticket");
    expect(merchantKey("  A -- B  ")).toBe("a b");
  });

  it("never returns an empty key for non-empty input", () => {
    expect(normalizeMerchant("***")).toEqual({ name: "***", key: "***" });
    expect(normalizeMerchant("#1234").key).toBe("1234");
    expect(normalizeMerchant("PP*1234CODE")).toEqual({ name: "PayPal", key: "paypal" });
    expect(normalizeMerchant("SQ *")).toEqual({ name: "Square", key: "square" });
    expect(normalizeMerchant("PURCHASE").name).toBe("Purchase");
  });

  it("returns empty name and key for empty input", () => {
    expect(normalizeMerchant("")).toEqual({ name: "", key: "" });
    expect(normalizeMerchant(" \t\u00a0 ")).toEqual({ name: "", key: "" });
  });

  it("is idempotent on its own output", () => {
    for (const raw of [
      "SQ *BLUE BOTTLE COFFEE",
      "TST* JOES PIZZA #123",
      "POS PURCHASE WHOLEFDS MKT 10234",
      "H&M",
    ]) {
      const once = normalizeMerchant(raw);
      expect(normalizeMerchant(once.name)).toEqual(once);
    }
  });

  // These once took 23 s each (a regular expression retrying along the run); now they are scans.
  it("reads long runs of punctuation and the text around them", () => {
    expect(normalizeMerchant(`A${"-.".repeat(75_000)}B`)).toEqual({ name: "A", key: "a" });
    expect(normalizeMerchant(`${"-.".repeat(20)}Blue Bottle${" .".repeat(20)}`).name).toBe("Blue Bottle");
  });

  it("reads only the first MAX_MERCHANT_TEXT characters of a merchant", () => {
    const head = `Corner Cafe ${"x".repeat(MAX_MERCHANT_TEXT)}`.slice(0, MAX_MERCHANT_TEXT);
    expect(normalizeMerchant(`${head}${"y".repeat(150_000)}`)).toEqual(normalizeMerchant(head));
  });
});
