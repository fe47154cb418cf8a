import type { AccountType, ImportOptions, StatementGuesses } from "@tyche/types";
import { parseAmount } from "./amounts";
import { makeDate } from "./dates";
import { classifyRow } from "./kinds";
import { assertOfxComplete } from "./ofx-integrity";
import { readOfxTree } from "./ofx-sgml";
import {
  ImportFormatError,
  type ImportRowError,
  MAX_IMPORT_ROWS,
  type ParsedRow,
  type StatementAccount,
} from "./types";

export { MAX_OFX_DEPTH, sgmlToXml } from "./ofx-sgml";

export interface OfxRow extends ParsedRow {
  /** The bank's id for the transaction, unique within the account (also in `bankId`). */
  fitId: string;
  /** The account of the statement the row came from (a file can hold several). */
  accountId: string | null;
}

export interface OfxContext {
  /** How payments and refunds are told apart; checking when not given. */
  accountType?: AccountType;
  /** positive-is-expense flips the standard reading, for the rare bank that writes charges positive. */
  signConvention?: ImportOptions["signConvention"];
}

export interface OfxParseResult {
  /** The first statement's account. */
  accountId: string | null;
  /** The first statement's currency (CURDEF). */
  currency: string | null;
  /** The first statement's LEDGERBAL, in signed cents as the bank wrote it. */
  ledgerBalance: StatementAccount["ledgerBalance"] | null;
  rows: OfxRow[];
  /** OFX has no declined or reverted rows: always empty, there for the same shape as a CSV reading. */
  skipped: [];
  errors: ImportRowError[];
  /** "OFX 1.0.2 (SGML)", "QFX (Quicken, INTU.BID 3000)" and how that was told. */
  layout: NonNullable<StatementGuesses["layout"]>;
  signConvention: StatementGuesses["signConvention"];
}

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function list(v: unknown): Node[] {
  return (Array.isArray(v) ? v : [v]).filter(isNode);
}

function leaf(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

function child(n: Node | undefined, key: string): Node | undefined {
  const v = n?.[key];
  return isNode(v) ? v : Array.isArray(v) ? v.find(isNode) : undefined;
}

/**
 * Lines (1-based) of the `<STMTTRN>` tags inside bank and credit-card message sets, in file order: the
 * rows come out of those in the same order (an investment statement's STMTTRNs are not counted).
 */
function transactionLines(text: string): number[] {
  const lines: number[] = [];
  const sections = /<(BANKMSGSRSV1|CREDITCARDMSGSRSV1)>([\s\S]*?)(?:<\/\1>|$)/gi;
  let line = 1;
  let pos = 0;
  const lineAt = (index: number) => {
    for (; pos < index; pos++) {
      const ch = text.charCodeAt(pos);
      if (ch === 10 || (ch === 13 && text.charCodeAt(pos + 1) !== 10)) line++;
    }
    return line;
  };
  for (let section = sections.exec(text); section; section = sections.exec(text)) {
    const re = /<STMTTRN>/gi;
    const bodyStart = section.index + (section[1]?.length ?? 0) + 2;
    for (let m = re.exec(section[2] ?? ""); m; m = re.exec(section[2] ?? ""))
      lines.push(lineAt(bodyStart + m.index));
  }
  return lines;
}

/** "20250203120000.000[-5:EST]" -> "2025-02-03": the date as the bank wrote it, time zone not applied. */
function ofxDate(s: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(s.trim());
  return m ? makeDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

interface Statement {
  accountId: string | null;
  currency: string | null;
  ledgerBalance: StatementAccount["ledgerBalance"] | null;
  transactions: Node[];
}

function ledgerBalance(rs: Node): StatementAccount["ledgerBalance"] | null {
  const bal = child(rs, "LEDGERBAL");
  const amount = parseAmount(leaf(bal?.BALAMT), ".");
  const date = ofxDate(leaf(bal?.DTASOF));
  return amount.ok && date ? { amount: amount.cents, date } : null;
}

function statements(ofx: Node): Statement[] {
  const out: Statement[] = [];
  // Message sets in file order, so rows line up with the <STMTTRN> tags.
  for (const [key, value] of Object.entries(ofx)) {
    const bank = key === "BANKMSGSRSV1";
    if (!bank && key !== "CREDITCARDMSGSRSV1") continue;
    for (const set of list(value)) {
      for (const trnrs of list(set[bank ? "STMTTRNRS" : "CCSTMTTRNRS"])) {
        const rs = child(trnrs, bank ? "STMTRS" : "CCSTMTRS");
        if (!rs) continue;
        const from = child(rs, bank ? "BANKACCTFROM" : "CCACCTFROM");
        out.push({
          accountId: leaf(from?.ACCTID) || null,
          currency: leaf(rs.CURDEF) || null,
          ledgerBalance: ledgerBalance(rs),
          transactions: list(child(rs, "BANKTRANLIST")?.STMTTRN),
        });
      }
    }
  }
  return out;
}

/** "102" -> "1.0.2" */
function dotted(version: string): string {
  return version.split("").join(".");
}

function layoutOf(header: string, head: string, isXml: boolean): OfxParseResult["layout"] {
  const version = /VERSION\s*[:=]\s*"?(\d{3})/i.exec(header)?.[1];
  const written = `OFX ${version ? `${dotted(version)} ` : ""}(${isXml ? "XML" : "SGML"})`;
  const bid = /<INTU\.BID>\s*([^<\s]+)/i.exec(head)?.[1];
  if (bid) {
    return {
      name: `QFX (Quicken, INTU.BID ${bid})`,
      evidence: `The file is ${written} with Intuit's INTU.BID element, as Quicken Web Connect files are.`,
    };
  }
  return {
    name: written,
    evidence: version
      ? `The header says OFX version ${dotted(version)}, written as ${isXml ? "XML" : "SGML (elements left open)"}.`
      : `The file has an <OFX> element, written as ${isXml ? "XML" : "SGML"}.`,
  };
}

/**
 * Reads the transactions (STMTTRN) of the bank and credit-card statements in an OFX or QFX file, 1.x
 * SGML or 2.x XML. DTPOSTED is the date; the signed TRNAMT gives the amount and direction (negative is
 * money out, or a charge on a card, as the OFX standard has it); NAME (or PAYEE/NAME) the merchant, MEMO
 * the description, FITID the bank id; the kind follows from the account type and the text. Throws
 * ImportFormatError for input that is not OFX, or an OFX file that is cut off or nested too deep.
 */
export function parseOfx(input: string, context: OfxContext = {}): OfxParseResult {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const start = text.search(/<OFX>/i);
  if (start < 0) {
    throw new ImportFormatError("This is not an OFX/QFX file: it has no <OFX> element.");
  }
  assertOfxComplete(text);
  const header = text.slice(0, start);
  const body = text.slice(start);
  const isXml = /<\?xml|OFXHEADER\s*=\s*"?2/i.test(header);
  const firstLine = header.split("\n").length;
  const account = context.accountType ?? "checking";

  const ofx = readOfxTree(body, firstLine);
  if (!ofx)
    throw new ImportFormatError("This OFX file could not be read: it has no <OFX> element with content.");

  const found = statements(ofx);
  if (found.length === 0) {
    const investment = "INVSTMTMSGSRSV1" in ofx;
    throw new ImportFormatError(
      investment
        ? "This OFX file holds an investment statement; only bank and credit-card statements can be imported."
        : "This OFX file has no bank or credit-card statement.",
    );
  }

  const total = found.reduce((n, st) => n + st.transactions.length, 0);
  if (total > MAX_IMPORT_ROWS) {
    throw new ImportFormatError(
      `The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} transactions; split it into smaller files.`,
    );
  }
  const flipped = context.signConvention === "positive-is-expense";
  const lines = transactionLines(text);
  const rows: OfxRow[] = [];
  const errors: ImportRowError[] = [];
  let index = 0;
  for (const statement of found) {
    for (const t of statement.transactions) {
      const line = lines[index++] ?? 0;
      const fail = (reason: string) => errors.push({ line, reason });
      const fitId = leaf(t.FITID);
      if (fitId === "") {
        fail("the transaction has no FITID");
        continue;
      }
      const dateText = leaf(t.DTPOSTED) || leaf(t.DTUSER);
      const date = ofxDate(dateText);
      if (date === null) {
        fail(
          dateText === ""
            ? "the transaction has no DTPOSTED"
            : `"${dateText.slice(0, 40)}" is not a valid date`,
        );
        continue;
      }
      const amountText = leaf(t.TRNAMT);
      // OFX amounts carry no thousands separators; a few European banks write a decimal comma.
      const amount = parseAmount(
        amountText,
        amountText.includes(",") && !amountText.includes(".") ? "," : ".",
      );
      if (!amount.ok) {
        fail(amountText === "" ? "the transaction has no TRNAMT" : amount.reason);
        continue;
      }
      if (amount.cents === 0) {
        fail("the amount is zero");
        continue;
      }
      const name = leaf(t.NAME) || leaf(child(t, "PAYEE")?.NAME) || leaf(t.EXTDNAME);
      const memo = leaf(t.MEMO);
      const merchantRaw = (name || memo).replace(/\s+/g, " ");
      const description = (memo || name).replace(/\s+/g, " ");
      const direction = amount.cents < 0 !== flipped ? "debit" : "credit";
      const trnType = leaf(t.TRNTYPE);
      const { kind, paymentLike } = classifyRow(direction, account, {
        merchant: merchantRaw,
        description,
        ...(trnType ? { type: trnType } : {}),
      });
      rows.push({
        line,
        date,
        amount: Math.abs(amount.cents),
        direction,
        kind,
        merchantRaw,
        description,
        bankId: fitId,
        pending: false,
        paymentLike,
        type: direction === "debit" ? "expense" : "income",
        fitId,
        accountId: statement.accountId,
      });
    }
  }

  const first = found[0];
  return {
    accountId: first?.accountId ?? null,
    currency: first?.currency ?? null,
    ledgerBalance: first?.ledgerBalance ?? null,
    rows,
    skipped: [],
    errors,
    layout: layoutOf(header, text.slice(0, 16384), isXml),
    signConvention: flipped
      ? {
          value: "positive-is-expense",
          source: "option",
          decidedBy: "option",
          evidence: "As asked, positive amounts are read as money out, against the OFX standard.",
          overrideWith: ["signConvention"],
        }
      : {
          value: "negative-is-expense",
          source: "format",
          decidedBy: "ofx",
          evidence:
            "OFX amounts are signed from the account holder's side: negative is money out, or a charge on a card.",
          overrideWith: ["signConvention"],
        },
  };
}
