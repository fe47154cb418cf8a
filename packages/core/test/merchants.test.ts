import { describe, expect, it } from "vitest";
import { MAX_MERCHANT_TEXT, merchantKey, normalizeMerchant, normalizeTypedMerchant } from "../src/merchants";

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
    // wrappers banks put around a card purchase
    [
      "RECURRING PAYMENT AUTHORIZED ON 10/31 NETFLIX.COM NETFLIX.COM CA S384304567890123 CARD 1234",
      "Netflix",
    ],
    ["PURCHASE AUTHORIZED ON 10/30 CHIPOTLE 1234 SEATTLE WA S464304567891234 CARD 1234", "Chipotle"],
    ["PURCHASE RETURN AUTHORIZED ON 10/21 TARGET T-1234 SEATTLE WA S304304567890000 CARD 1234", "Target"],
    ["POS PURCHASE SAFEWAY #1234 800-555-1212", "Safeway"],
    ["CHECKCARD 1031 SHELL OIL 12345678", "Shell Oil"],
    ["Debit Card Purchase - TRADER JOE S #552 SEATTLE WA", "Trader Joe's"],
    ["CARD PAYMENT TO PRET A MANGER", "Pret A Manger"],
    ["DIRECT DEBIT THAMES WATER", "Thames Water"],
    ["DD *DOORDASH BURGERKING", "DoorDash"],
    // ACH noise
    ["NETFLIX DES:NETFLIX.COM ID:XXXXX12345 INDN:JANE DOE CO ID:XXXXX45678 WEB", "Netflix"],
    ["ACME CORP PAYROLL PPD ID: 1234567890", "Acme Corp Payroll"],
    ["ACME CORP DES:PAYROLL ID:XXXXX98765 INDN:JANE DOE CO ID:XXXXX11111 PPD", "Acme Corp"],
    ["GEICO WEB ID: 9876543210", "Geico"],
    [
      "ORIG CO NAME:ACME CORP ORIG ID:1234567890 DESC DATE:240115 CO ENTRY DESCR:PAYROLL SEC:PPD",
      "Acme Corp",
    ],
    // places, phones, references
    ["BLUE BOTTLE COFFEE OAKLAND CA", "Blue Bottle Coffee"],
    ["STARBUCKS SEATTLE WA", "Starbucks"],
    ["SQ *JOES PIZZA NEW YORK NY", "Joes Pizza"],
    ["THE NORTH FACE SAN FRANCISCO CA", "The North Face"],
    ["BLUE BOTTLE COFFEE CO", "Blue Bottle Coffee Co"],
    ["COMCAST CABLE COMM 800-266-2278 WA", "Comcast Cable Comm"],
    ["AMEX EXPRESS CHECKOUT 800-555-1212", "Amex Express Checkout"],
    ["Zelle payment from JOHN SMITH WFCT0ABC1234", "John Smith"],
    ["Online Transfer to SAV ...5678 transaction#: 12345678901 11/12", "Online Transfer To SAV"],
    // Barclays: the card date and the transaction code after the merchant
    ["NETFLIX.COM         ON 02 FEB          BCC", "Netflix"],
    ["TESCO STORES 3021   ON 06 FEB          BCC", "Tesco Stores"],
    ["EE LIMITED        Q12345678          DDR", "EE Limited"],
    ["ACME LTD SALARY                     BGC", "Acme Ltd Salary"],
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
      "BLUE BOTTLE COFFEE OAKLAND CA",
      "NETFLIX DES:NETFLIX.COM ID:XXXXX12345 INDN:JANE DOE CO ID:XXXXX45678 WEB",
      "TESCO STORES 3021 ON 06 FEB BCC",
      "PURCHASE AUTHORIZED ON 10/30 CHIPOTLE 1234 SEATTLE WA S464304567891234 CARD 1234",
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

describe("normalizeTypedMerchant", () => {
  it("keeps what the user typed, trimmed and with single spaces, never re-cased", () => {
    expect(normalizeTypedMerchant("Transfer to Savings")).toEqual({
      name: "Transfer to Savings",
      key: "transfer to savings",
    });
    expect(normalizeTypedMerchant("  iPhone   repair\u00a0shop ").name).toBe("iPhone repair shop");
    expect(normalizeTypedMerchant("JOE'S #12").name).toBe("JOE'S #12");
    expect(normalizeTypedMerchant(" \t ")).toEqual({ name: "", key: "" });
  });

  it("gives the key the bank's form of the same merchant gets, so history and rules still match", () => {
    expect(normalizeTypedMerchant("Transfer to Savings").key).toBe(
      normalizeMerchant("TRANSFER TO SAVINGS").key,
    );
    expect(normalizeTypedMerchant("Starbucks").key).toBe(
      normalizeMerchant("STARBUCKS STORE 01234 SEATTLE WA").key,
    );
    expect(normalizeTypedMerchant("Blue Bottle Coffee").key).toBe(
      normalizeMerchant("SQ *BLUE BOTTLE COFFEE").key,
    );
    expect(normalizeTypedMerchant("amazon").key).toBe(normalizeMerchant("AMZN Mktp US*2K4LL1").key);
  });

  it("reads only the first MAX_MERCHANT_TEXT characters", () => {
    expect(normalizeTypedMerchant("y".repeat(150_000)).name).toHaveLength(MAX_MERCHANT_TEXT);
  });
});
