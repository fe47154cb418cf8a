/**
 * The statement reader alone (no server, no DynamoDB): readStatement on generated files, each read
 * BENCH_READER_RUNS times (default 5) after one warm-up; the median in ms and rows per second.
 *   - CSV: a Chase-card-like export of 10,000 and 50,000 rows; a Revolut export with states and fees;
 *   - OFX: an SGML statement of 10,000 and 50,000 transactions;
 *   - hostile: 600 KB of nested OFX tags, a 150,000-character punctuation cell, a 5 MB single cell,
 *     a tag name of 5,000 letters (each is refused: the figure is how long refusing takes).
 * Also normalizeMerchant per row on the 10,000-row CSV, as the import service calls it.
 * Run: npx tsx bench/reader.ts
 */
import { normalizeMerchant, readStatement } from "@tyche/core";

const RUNS = Number(process.env.BENCH_READER_RUNS ?? 5);

const MERCHANTS = [
  "SQ *BLUE BOTTLE COFFEE",
  "AMZN Mktp US*2K4LL1",
  "STARBUCKS STORE 01234 SEATTLE WA",
  "PAYPAL *NETFLIX",
  "WHOLEFDS MKT 10234",
  "TST* JOES PIZZA #123",
  "AUTOMATIC PAYMENT - THANK YOU",
];

function chaseCsv(rows: number): string {
  const lines = ["Transaction Date,Post Date,Description,Category,Type,Amount,Memo"];
  for (let i = 0; i < rows; i++) {
    const m = MERCHANTS[i % MERCHANTS.length] ?? "";
    const day = String((i % 28) + 1).padStart(2, "0");
    const payment = m.startsWith("AUTOMATIC");
    const cents = 100 + ((i * 7919) % 20000);
    const amount = `${payment ? "" : "-"}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
    lines.push(`03/${day}/2025,03/${day}/2025,${m},Shopping,${payment ? "Payment" : "Sale"},${amount},`);
  }
  return `${lines.join("\n")}\n`;
}

function revolutCsv(rows: number): string {
  const lines = ["Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance"];
  const states = ["COMPLETED", "COMPLETED", "COMPLETED", "PENDING", "DECLINED", "REVERTED"];
  for (let i = 0; i < rows; i++) {
    const state = states[i % states.length];
    lines.push(
      `CARD_PAYMENT,Current,2025-03-02 12:15:33,2025-03-03 09:01:12,Tesco,-12.50,0.25,GBP,${state},100.00`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function sgmlOfx(rows: number): string {
  const head =
    "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>USD\n<CCACCTFROM><ACCTID>4111</CCACCTFROM>\n<BANKTRANLIST>\n";
  const trns: string[] = [];
  for (let i = 0; i < rows; i++) {
    const m = MERCHANTS[i % MERCHANTS.length] ?? "";
    trns.push(
      `<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20250302\n<TRNAMT>-12.50\n<FITID>F${i}\n<NAME>${m}\n<MEMO>\n</STMTTRN>\n`,
    );
  }
  return `${head}${trns.join("")}</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>\n`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function measure(
  name: string,
  text: string,
  fileName: string,
  accountType: "checking" | "credit-card",
): void {
  const bytes = new TextEncoder().encode(text);
  const once = () => {
    const t = performance.now();
    let rows = 0;
    let outcome = "read";
    try {
      rows = readStatement(bytes, { fileName, accountType, options: {} }).rows.length;
    } catch (e) {
      outcome = `refused: ${(e as Error).message.slice(0, 60)}`;
    }
    return { ms: performance.now() - t, rows, outcome };
  };
  once();
  const runs = Array.from({ length: RUNS }, once);
  const ms = median(runs.map((r) => r.ms));
  const rows = runs[0]?.rows ?? 0;
  const rate = rows > 0 ? `${Math.round(rows / (ms / 1000)).toLocaleString("en-US")} rows/s` : "";
  const kb = (bytes.byteLength / 1024).toFixed(0).padStart(6);
  console.log(
    `${name.padEnd(34)} ${kb} KB ${ms.toFixed(1).padStart(8)} ms  ${rate.padEnd(16)} ${runs[0]?.outcome}`,
  );
}

console.log(`readStatement, median of ${RUNS} runs after one warm-up`);
measure("CSV Chase card, 10,000 rows", chaseCsv(10_000), "a.csv", "credit-card");
measure("CSV Chase card, 50,000 rows", chaseCsv(50_000), "a.csv", "credit-card");
measure("CSV Revolut, 10,000 rows (states)", revolutCsv(10_000), "r.csv", "checking");
measure("OFX SGML, 10,000 transactions", sgmlOfx(10_000), "a.ofx", "credit-card");
measure("OFX SGML, 50,000 transactions", sgmlOfx(50_000), "a.ofx", "credit-card");
measure(
  "hostile: 600 KB nested OFX tags",
  `OFXHEADER:100\n\n<OFX>\n${"<A>".repeat(200_000)}\n</OFX>`,
  "x.ofx",
  "checking",
);
measure(
  "hostile: 150,000-char punctuation",
  `Date,Description,Amount\n2025-01-02,A${"-.".repeat(75_000)}B,-1.00\n`,
  "x.csv",
  "checking",
);
measure("hostile: 5 MB single cell", "x".repeat(5 * 1024 * 1024), "x.csv", "checking");
measure(
  "hostile: 5,000-letter tag name",
  `<?xml version="1.0"?>\n<OFX><A>x</B><${"A".repeat(5000)}!>y</OFX>`,
  "x.ofx",
  "checking",
);

const rows = readStatement(new TextEncoder().encode(chaseCsv(10_000)), {
  accountType: "credit-card",
  options: {},
}).rows;
const t = performance.now();
for (const r of rows) normalizeMerchant(r.merchantRaw);
console.log(`normalizeMerchant on 10,000 rows: ${(performance.now() - t).toFixed(1)} ms`);
