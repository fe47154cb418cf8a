import { parseSync } from "ofx-js";
import { parseAmount } from "./amounts";
import { makeDate } from "./dates";
import { ImportFormatError, type ImportRowError, MAX_IMPORT_ROWS, type ParsedRow } from "./types";

export interface OfxRow extends ParsedRow {
  /** The bank's id for the transaction, unique within the account. */
  fitId: string;
  /** The account of the statement the row came from (a file can hold several). */
  accountId: string | null;
}

export interface OfxParseResult {
  /** The first statement's account. */
  accountId: string | null;
  /** The first statement's currency (CURDEF). */
  currency: string | null;
  rows: OfxRow[];
  errors: ImportRowError[];
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

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&apos;/gi, "'")
    .replace(/&nbsp;/gi, " ")
    .replace(/&amp;/gi, "&");
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

interface SgmlNode {
  name: string;
  children: SgmlNode[];
  text?: string;
}

/**
 * OFX 1.x is SGML: elements (leaves) need no end tag, aggregates have one. ofx-js turns SGML into XML
 * with regular expressions that only close elements that have a value, so a bank's empty element
 * (`<MEMO>` followed directly by the next tag, common in real exports) becomes an unclosed aggregate and
 * the whole file fails. This builds the tree properly instead: an element with text is a leaf; an
 * element without text is an aggregate until a closing tag proves otherwise, and any open element a
 * closing tag skips over was an empty leaf, whose supposed children move up to its parent. The result is
 * well-formed XML for ofx-js's XML path.
 */
/**
 * How deep elements may nest. A real statement goes about eight deep; a file nested thousands deep
 * is an attack that would otherwise exhaust the stack and take quadratic time to unwind.
 */
export const MAX_OFX_DEPTH = 32;

const tooDeep = (line: number) =>
  new ImportFormatError(`This OFX file nests elements more than ${MAX_OFX_DEPTH} deep (line ${line}).`);

/** Whether XML nests no deeper than MAX_OFX_DEPTH, by one linear scan of its tags. */
function xmlDepthWithin(body: string): boolean {
  let depth = 0;
  for (const m of body.matchAll(/<(\/?)[A-Za-z][^<>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else if (!m[2] && ++depth > MAX_OFX_DEPTH) return false;
  }
  return true;
}

export function sgmlToXml(body: string, firstLine = 1): string {
  const root: SgmlNode = { name: "#root", children: [] };
  const stack: SgmlNode[] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  const demote = (node: SgmlNode, parent: SgmlNode) => {
    // node was left open: it is an empty leaf, and what we nested in it belongs to its parent.
    const at = parent.children.indexOf(node);
    parent.children.splice(at + 1, 0, ...node.children);
    node.children = [];
    node.text = "";
  };
  /** Pops everything above stack[depth - 1]; what a closing tag skipped over was an empty leaf. */
  const closeTo = (depth: number) => {
    while (stack.length > depth) {
      const node = stack.pop();
      if (node) demote(node, top());
    }
  };

  const tokens = body.split(/(<[^<>]*>)/);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    if (!token.startsWith("<")) continue; // text is read together with its opening tag
    if (token.startsWith("<?") || token.startsWith("<!")) continue;
    const close = /^<\/\s*([A-Za-z0-9_.]+)\s*>$/.exec(token);
    if (close?.[1]) {
      const name = close[1].toUpperCase();
      let depth = -1;
      for (let k = stack.length - 1; k > 0; k--) {
        if (stack[k]?.name === name) {
          depth = k;
          break;
        }
      }
      if (depth < 0) continue; // a stray end tag, or the end tag of a leaf already closed
      closeTo(depth + 1);
      stack.pop();
      continue;
    }
    const open = /^<\s*([A-Za-z0-9_.]+)[^>]*?(\/?)>$/.exec(token);
    if (!open?.[1]) continue;
    const node: SgmlNode = { name: open[1].toUpperCase(), children: [] };
    top().children.push(node);
    if (open[2] === "/") {
      node.text = "";
      continue;
    }
    const text = decodeEntities(tokens[i + 1] ?? "").trim();
    if (text !== "") {
      node.text = text;
      i++;
      // An explicit end tag right after the value (mixed SGML/XML exports): consume it.
      const next = /^<\/\s*([A-Za-z0-9_.]+)\s*>$/.exec(tokens[i + 1] ?? "");
      if (next?.[1]?.toUpperCase() === node.name) i++;
    } else {
      stack.push(node);
      if (stack.length > MAX_OFX_DEPTH + 1) {
        const before = tokens.slice(0, i).join("");
        throw tooDeep(firstLine + before.split("\n").length - 1);
      }
    }
  }
  // End of input with elements still open (a truncated file): keep what they hold.
  while (stack.length > 1) {
    const node = stack.pop();
    if (node && node.children.length === 0) node.text = "";
  }

  const write = (n: SgmlNode): string => {
    if (n.text !== undefined)
      return n.text === "" ? `<${n.name}/>` : `<${n.name}>${escapeXml(n.text)}</${n.name}>`;
    return `<${n.name}>${n.children.map(write).join("")}</${n.name}>`;
  };
  return root.children.map(write).join("");
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
  transactions: Node[];
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
          transactions: list(child(rs, "BANKTRANLIST")?.STMTTRN),
        });
      }
    }
  }
  return out;
}

/**
 * Reads the transactions (STMTTRN) of the bank and credit-card statements in an OFX file, 1.x SGML or
 * 2.x XML. DTPOSTED is the date, the signed TRNAMT gives amount and type, NAME (or PAYEE/NAME) the
 * merchant, MEMO the description. Throws ImportFormatError for input that is not OFX.
 */
export function parseOfx(input: string): OfxParseResult {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const start = text.search(/<OFX>/i);
  if (start < 0) {
    throw new ImportFormatError("This is not an OFX/QFX file: it has no <OFX> element.");
  }
  const header = text.slice(0, start);
  const body = text.slice(start);
  const isXml = /<\?xml|OFXHEADER\s*=\s*"?2/i.test(header);
  const firstLine = header.split("\n").length;

  let ofx: Node | undefined;
  // XML goes to ofx-js as it is (tag names upper-cased: ofx-js looks for "<OFX>"); SGML, or XML that
  // ofx-js cannot read, goes through sgmlToXml first.
  const upperTags = () =>
    body.replace(/<(\/?)([A-Za-z][\w.]*)/g, (_m, slash: string, n: string) => `<${slash}${n.toUpperCase()}`);
  // XML nested too deep for ofx-js's recursive reader goes the SGML way, which bounds the depth.
  const attempts =
    isXml && xmlDepthWithin(body)
      ? [upperTags, () => sgmlToXml(body, firstLine)]
      : [() => sgmlToXml(body, firstLine)];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      const parsed = parseSync(`${header}${attempt()}`);
      if (isNode(parsed.OFX)) {
        ofx = parsed.OFX;
        break;
      }
    } catch (e) {
      if (e instanceof ImportFormatError) throw e;
      lastError = e;
    }
  }
  if (!ofx) {
    const why = lastError instanceof Error ? `: ${lastError.message}` : "";
    throw new ImportFormatError(`This OFX file could not be read${why}.`);
  }

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
        fail(dateText === "" ? "the transaction has no DTPOSTED" : `"${dateText}" is not a valid date`);
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
      rows.push({
        line,
        date,
        amount: Math.abs(amount.cents),
        type: amount.cents < 0 ? "expense" : "income",
        merchantRaw: (name || memo).replace(/\s+/g, " "),
        description: (memo || name).replace(/\s+/g, " "),
        fitId,
        accountId: statement.accountId,
      });
    }
  }

  const first = found[0];
  return { accountId: first?.accountId ?? null, currency: first?.currency ?? null, rows, errors };
}
