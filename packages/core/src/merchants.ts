/**
 * Merchant names as banks write them ("SQ *BLUE BOTTLE COFFEE", "AMZN Mktp US*2K4LL1") turned into a
 * stable display name ("Blue Bottle Coffee", "Amazon") and a key to match and group it by.
 */
export interface NormalizedMerchant {
  /** Display name; "" when the raw text is empty. */
  name: string;
  /**
   * Lowercase letters and digits separated by single spaces; "" only when the raw text is empty.
   * Not bounded: NFKC can make it many times longer than the raw text (one U+FDFA becomes 18
   * characters), so whoever puts it in a storage key must bound it by bytes there.
   */
  key: string;
}

interface Prefix {
  re: RegExp;
  /** Name to use when nothing is left after the prefix ("APPLE.COM/BILL" alone is Apple). */
  fallback?: string;
}

/** Card-processor and bank noise in front of the merchant; applied repeatedly, first match wins. */
const PREFIXES: Prefix[] = [
  { re: /^DEBIT CARD (?:PURCHASE|PMT|PAYMENT)\b/i },
  { re: /^(?:POS|VISA|CARD) (?:PURCHASE|DEBIT|WITHDRAWAL|TRANSACTION)\b/i },
  {
    re: /^RECURRING (?:PAYMENT|PURCHASE|CARD PURCHASE) AUTHORI[SZ]ED ON(?: \d{1,2}\/\d{1,2}(?:\/\d{2,4})?)?\b/i,
  },
  { re: /^PURCHASE RETURN AUTHORI[SZ]ED ON(?: \d{1,2}\/\d{1,2}(?:\/\d{2,4})?)?\b/i },
  { re: /^PURCHASE AUTHORI[SZ]ED ON(?: \d{1,2}\/\d{1,2}(?:\/\d{2,4})?)?\b/i },
  { re: /^RECURRING (?:CARD )?(?:PURCHASE|PAYMENT)\b/i },
  { re: /^CARD PAYMENT TO\b/i },
  { re: /^DEPOSIT FROM\b/i },
  { re: /^ZELLE (?:PAYMENT )?(?:FROM|TO)\b/i, fallback: "Zelle" },
  { re: /^DIRECT DEBIT(?: PAYMENT)?(?: TO)?\b/i },
  { re: /^POS\b/i },
  { re: /^PURCHASE\b/i },
  { re: /^CHECKCARD(?: \d{4})?\b/i },
  { re: /^\d{1,2}\/\d{1,2}(?:\/\d{2,4})?(?=\s)/ },
  { re: /^SQU? ?\*/i, fallback: "Square" },
  { re: /^TST ?\*/i, fallback: "Toast" },
  { re: /^PAYPAL ?\*/i, fallback: "PayPal" },
  { re: /^PP ?\*/i, fallback: "PayPal" },
  { re: /^SP ?\*/i, fallback: "Shopify" },
  { re: /^CKO ?\*/i, fallback: "Checkout.com" },
  { re: /^GOOGLE ?\*/i, fallback: "Google" },
  { re: /^DD ?\*/i, fallback: "DoorDash" },
  { re: /^APPLE\.COM\/BILL\b/i, fallback: "Apple" },
  { re: /^(?:PY|IN|FS|WPY|BT) ?\*/i },
];

/**
 * ACH and wire text: what follows one of these is the originator's ids and the receiver's name
 * ("NETFLIX DES:NETFLIX.COM ID:XXXXX1234 INDN:JANE DOE CO ID:XXXXX45678 WEB", "ACME CORP PAYROLL PPD ID:
 * 1234567890"); the merchant is what comes before. Found with indexOf, so any length costs one pass.
 */
const ACH_MARKERS = [
  " DES:",
  " ID:",
  " INDN:",
  " CO ID:",
  " PPD ID",
  " WEB ID",
  " CCD ID",
  " TEL ID",
  " ORIG ID:",
  " SEC:",
  " TRACE#",
  " TRANSACTION#:",
  " CONF#",
];

/** Chase writes an ACH row as "ORIG CO NAME:ACME CORP ORIG ID:... CO ENTRY DESCR:PAYROLL ...". */
const ORIG_CO_NAME = "ORIG CO NAME:";

/** Two-letter US state codes, when they end a merchant as its location. CO, IN, OR, ME, OK, DE, HI and LA
 * are left out: as last words they are more often "Co.", "in", "or" or a name than a state. */
const US_STATES = new Set(
  (
    "AL AK AZ AR CA CT FL GA ID IL IA KS KY MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH PA RI SC SD TN " +
    "TX UT VT VA WA WV WI WY DC"
  ).split(" "),
);

/** First words of two-word city names, removed with the city: "NEW YORK NY", "SAN JOSE CA". */
const CITY_FIRST_WORDS = new Set(
  (
    "NEW SAN LOS LAS SANTA ST SAINT FORT FT EL SALT PALO PALM LONG BATON CORPUS KANSAS JERSEY GRAND CEDAR " +
    "CARSON DES WEST EAST NORTH SOUTH MOUNT MT LAKE PORT BEVERLY SIOUX CAPE COLORADO VIRGINIA"
  ).split(" "),
);

/** Barclays' transaction codes at the end of its Memo ("TESCO STORES 3021 ON 21 JUL BCC"). */
const TRAILING_CODES = new Set("BCC BGC CPM DDR STO BBP TFR FPI FPO DEB FT".split(" "));

/** Very common abbreviations, matched at the start of the cleaned text. */
const ALIASES: [RegExp, string][] = [
  [/^(?:AMAZON WEB SERVICES|AWS)\b/i, "Amazon Web Services"],
  [/^(?:AMZN|AMAZON)(?:\.COM)? ?PRIME\b/i, "Amazon Prime"],
  [/^(?:AMZN|AMAZON)(?:\.[A-Z]{2,3}(?:\.[A-Z]{2})?)?\b/i, "Amazon"],
  [/^(?:WHOLEFDS|WHOLE FOODS)\b/i, "Whole Foods Market"],
  [/^(?:WM SUPERCENTER|WAL-?MART|WAL MART|WALMART)\b/i, "Walmart"],
  [/^NETFLIX\b/i, "Netflix"],
  [/^UBER ?EATS\b/i, "Uber Eats"],
  [/^UBER\b/i, "Uber"],
  [/^LYFT\b/i, "Lyft"],
  [/^MCDONALD'?S?\b/i, "McDonald's"],
  [/^TRADER JOE'?S?\b/i, "Trader Joe's"],
  [/^COSTCO\b/i, "Costco"],
  [/^TARGET\b/i, "Target"],
  [/^SPOTIFY\b/i, "Spotify"],
  [/^CVS\b/i, "CVS"],
  [/^WALGREENS\b/i, "Walgreens"],
  [/^(?:7-ELEVEN|7 ELEVEN|7-11)\b/i, "7-Eleven"],
  [/^DOORDASH\b/i, "DoorDash"],
  [/^(?:THE )?HOME DEPOT\b/i, "The Home Depot"],
  [/^CHICK-FIL-A\b/i, "Chick-fil-A"],
  [/^APPLE\.COM\b/i, "Apple"],
];

/** Short all-caps words that are ordinary words, not brands: title-cased, not kept upper. */
const COMMON_SHORT_WORDS = new Set(
  (
    "A AN AND AT BY FOR IN OF ON OR THE TO MY DE DU LA LE EL DA DI DEL LOS LAS SAN BAR PUB INN TEA CUP " +
    "POT PIE BUN HOT BIG NEW OLD RED TOP ONE TWO SUN SEA BAY CAR GAS OIL SPA GYM PET VET ZOO ART FUN JOE " +
    "MAX AMY BOB SAM TOM DAN BEN KIM LEE ANN AVE RD ST DR CO INC LTD ICE BAR DOG CAT BOX FIT YOU FEE " +
    "AIR WEB PAY"
  ).split(" "),
);

function collapse(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

const PUNCTUATION = /[\s\-*#.,/:;]/;

/**
 * Trims spaces and punctuation from both ends by scanning, not by a regular expression: an
 * anchored `[...]+$` retries from every position of a long run that does not reach the end, which
 * took 23 s on one 150,000-character bank cell.
 */
function trimPunctuation(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PUNCTUATION.test(s.charAt(start))) start++;
  while (end > start && PUNCTUATION.test(s.charAt(end - 1))) end--;
  return s.slice(start, end);
}

/** No merchant name is longer; text past this is a bank's reference or an attack, and is cut. */
export const MAX_MERCHANT_TEXT = 500;

function titleWord(word: string): string {
  const hasUpper = /\p{Lu}/u.test(word);
  const hasLower = /\p{Ll}/u.test(word);
  if (hasUpper && hasLower) return word; // "iTunes", "McDonald's": the writer chose the case
  const letters = word.replace(/[^\p{L}]/gu, "");
  if (hasUpper && letters.length > 0 && letters.length <= 3 && !COMMON_SHORT_WORDS.has(letters)) return word;
  return word.toLowerCase().replace(/(^|[-/(])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase());
}

function titleCase(s: string): string {
  return s.split(" ").map(titleWord).join(" ");
}

/** Cuts at the first ACH marker, or takes Chase's ORIG CO NAME; by indexOf, one pass. */
function stripAchNoise(s: string): string {
  // Every marker has a ":", a "#" or an " ID"; most merchants have none of them.
  if (!/[:#]|\sID/i.test(s)) return s;
  const upper = s.toUpperCase();
  const orig = upper.indexOf(ORIG_CO_NAME);
  if (orig >= 0) {
    const from = orig + ORIG_CO_NAME.length;
    const to = upper.indexOf(" ORIG ID:", from);
    return s.slice(from, to < 0 ? undefined : to).trim();
  }
  let cut = s.length;
  for (const marker of ACH_MARKERS) {
    const at = upper.indexOf(marker);
    if (at > 0 && at < cut) cut = at;
  }
  return s.slice(0, cut);
}

/** The text without its last word, when that word is in `words` and at least `keep` words stay. */
function dropLastWord(s: string, words: ReadonlySet<string>, keep: number): string {
  const at = s.lastIndexOf(" ");
  if (at < 0 || !words.has(s.slice(at + 1))) return s;
  const rest = s.slice(0, at);
  let count = 1;
  for (let i = rest.indexOf(" "); i >= 0; i = rest.indexOf(" ", i + 1)) count++;
  return count >= keep ? rest : s;
}

/** Removes a Barclays code that ends the text after at least two words. */
function stripTrailingCode(s: string): string {
  return dropLastWord(s, TRAILING_CODES, 2);
}

/** Removes a trailing "CITY ST": a US state code after at least two words, and the city before it. */
function stripLocation(s: string): string {
  const withoutState = dropLastWord(s, US_STATES, 2);
  if (withoutState === s) return s;
  // A state code never comes alone: a city is before it, however short the name before that.
  const at = withoutState.lastIndexOf(" ");
  const withoutCity = withoutState.slice(0, at);
  const before = withoutCity.lastIndexOf(" ");
  const first = withoutCity.slice(before + 1);
  return before >= 0 && CITY_FIRST_WORDS.has(first) ? withoutCity.slice(0, before) : withoutCity;
}

/** Removes store numbers, phone numbers, card references and the location that follows them. */
function stripTrailingNoise(s: string): string {
  let out = stripTrailingCode(s);
  // Every pattern below but the location needs a digit; most names have none, and skip them all.
  if (!/\d/.test(out)) return trimPunctuation(stripLocation(trimPunctuation(collapse(out))));
  // Barclays: "NETFLIX.COM ON 02 AUG BCC", the card date and the code after the merchant
  out = out.replace(/\sON \d{1,2} (?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\b.*$/i, "");
  // Wells Fargo: "... S384304567890123 CARD 1234", the authorisation number and the card
  out = out.replace(/\s(?:[SP]\d{10,}|CARD \d{4})\b.*$/i, "");
  // a masked account: "Online Transfer to SAV ...5678", "XXXXX1234"
  out = out.replace(/\s(?:\.{2,}|[X*]{2,})\d{2,}\b.*$/i, "");
  // "STORE 01234 SEATTLE WA", "STE 12", "UNIT #4": the number and whatever follows it
  out = out.replace(/\s(?:STORE|STR|STE|SHOP|UNIT|LOC)\.?\s*#?\s*\d+\b.*$/i, "");
  // "#123", "# 123", "#A123" and the rest
  out = out.replace(/\s*#\s*[A-Z]?\d[\w-]*.*$/i, "");
  // phone numbers: "866-712-7753 CA", "1-800-123-4567"
  out = out.replace(/(?:^|\s+)(?:1[-. ])?\d{3}[-. ]\d{3}[-. ]\d{4}\b.*$/, "");
  // a trailing reference of letters and digits: "Zelle payment from JOHN SMITH WFCT0ABC1234"
  out = out.replace(/\s(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{8,}$/i, "");
  // a trailing date: "Payment to Chase card ending in 1234 11/01"
  out = out.replace(/\s\d{1,2}\/\d{1,2}(?:\/\d{2,4})?$/, "");
  // a standalone number of 3+ digits after the first word: "WHOLEFDS MKT 10234", "H&M 0123 NEW YORK"
  const words = collapse(out).split(" ");
  const at = words.findIndex((w, i) => i > 0 && /^\d{3,}$/.test(w));
  if (at > 0) out = words.slice(0, at).join(" ");
  return trimPunctuation(stripLocation(trimPunctuation(collapse(out))));
}

/** Strips card-processor noise and store numbers; see the module comment. */
export function normalizeMerchant(raw: string): NormalizedMerchant {
  const original = collapse(
    raw
      .slice(0, MAX_MERCHANT_TEXT)
      .normalize("NFKC")
      .replace(/[\u00a0\u2007\u202f]/g, " "),
  );
  if (original === "") return { name: "", key: "" };

  const withoutAch = stripAchNoise(original);
  let s = withoutAch === original ? original : trimPunctuation(collapse(withoutAch));
  let fallback: string | undefined;
  for (let guard = 0; guard < 8; guard++) {
    const prefix = PREFIXES.find((p) => p.re.test(s));
    if (!prefix) break;
    s = trimPunctuation(collapse(s.replace(prefix.re, "")));
    fallback = prefix.fallback ?? fallback;
  }

  // What follows a '*' is the processor's reference ("AMZN Mktp US*2K4LL1", "UBER *TRIP HELP.UBER.COM").
  const star = s.indexOf("*");
  if (star >= 0) s = trimPunctuation(collapse(s.slice(0, star)));
  // Only a reference code left after a processor prefix ("PP*1234CODE"): no merchant name in it.
  if (fallback !== undefined && /^(?=\S*\d)[A-Z0-9]{5,}$/i.test(s)) s = "";

  let name: string;
  const alias = s === "" ? undefined : ALIASES.find(([re]) => re.test(s));
  if (alias) {
    name = alias[1];
  } else {
    s = stripTrailingNoise(s);
    name = s !== "" ? titleCase(s) : (fallback ?? titleCase(original));
  }

  return { name, key: merchantKey(name) || merchantKey(original) || original.toLowerCase() || "unknown" };
}

/**
 * A merchant the user typed: shown exactly as typed (trimmed, inner whitespace collapsed, never
 * re-cased: "Transfer to Savings" stays so), with the key the bank's form of the same name gets from
 * normalizeMerchant, so that history, rules and grouping still find it.
 */
export function normalizeTypedMerchant(typed: string): NormalizedMerchant {
  const name = collapse(typed.slice(0, MAX_MERCHANT_TEXT).replace(/[\u00a0\u2007\u202f]/g, " "));
  if (name === "") return { name: "", key: "" };
  return { name, key: normalizeMerchant(name).key };
}

/** The key of a display name: lowercase, anything not a letter or digit collapsed to one space. */
export function merchantKey(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
