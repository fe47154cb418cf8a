import { ImportFormatError } from "./types";

/** A numeric character reference's character; one past Unicode stays as written (fromCodePoint would throw). */
function codePoint(reference: string, n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : reference;
}

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s
    .replace(/&#x([0-9a-f]{1,8});/gi, (m, h: string) => codePoint(m, Number.parseInt(h, 16)))
    .replace(/&#(\d{1,8});/g, (m, d: string) => codePoint(m, Number(d)))
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&apos;/gi, "'")
    .replace(/&nbsp;/gi, " ")
    .replace(/&amp;/gi, "&");
}

function escapeXml(s: string): string {
  if (!/[&<>]/.test(s)) return s;
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

interface SgmlNode {
  name: string;
  children: SgmlNode[];
  text?: string;
}

/**
 * How deep elements may nest. A real statement goes about eight deep; a file nested thousands deep
 * is an attack that would otherwise exhaust the stack and take quadratic time to unwind.
 */
export const MAX_OFX_DEPTH = 32;

const tooDeep = (line: number) =>
  new ImportFormatError(`This OFX file nests elements more than ${MAX_OFX_DEPTH} deep (line ${line}).`);

/**
 * The element tree of an OFX body, 1.x SGML or 2.x XML alike. In SGML, elements (leaves) need no end
 * tag and aggregates have one, so: an element with text is a leaf; an element without text is an
 * aggregate until a closing tag proves otherwise, and any open element a closing tag skips over was an
 * empty leaf, whose supposed children move up to its parent (a bank's empty `<MEMO>`, common in real
 * exports). XML's end tags close exactly what they name. Names are upper-cased; nesting deeper than
 * MAX_OFX_DEPTH is refused with its line. One pass over the tags.
 *
 * ofx-js is not used for this: its own SGML conversion leaves empty elements unclosed, and one of its
 * patterns takes exponential time on a long tag name without a dot (24 letters took 2 s).
 */
/** A-Z, a-z, 0-9, "_" and ".": the characters of an OFX element name (INTU.BID). */
function isNameChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46;
}

function buildTree(body: string, firstLine: number): SgmlNode {
  const root: SgmlNode = { name: "#root", children: [] };
  const stack: SgmlNode[] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  const demote = (node: SgmlNode, parent: SgmlNode) => {
    // node was left open: it is an empty leaf, and what we nested in it belongs to its parent.
    // node is its parent's last child (later siblings went into it), so its children are appended one
    // by one: a splice with a spread would fail on many thousands of children.
    const at = parent.children.lastIndexOf(node);
    if (at === parent.children.length - 1) for (const c of node.children) parent.children.push(c);
    else
      parent.children = parent.children.slice(0, at + 1).concat(node.children, parent.children.slice(at + 1));
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

  // A tag is "<" ... ">" with no "<" inside; a "<" that is not one is text. The next ">" is kept
  // between calls while it lies ahead, so text full of "<" is still crossed once: linear.
  let gt = -2;
  const nextTag = (from: number): [number, number] | null => {
    let lt = body.indexOf("<", from);
    while (lt >= 0) {
      if (gt < lt) gt = body.indexOf(">", lt + 1);
      if (gt < 0) return null;
      const inner = body.indexOf("<", lt + 1);
      if (inner < 0 || inner > gt) return [lt, gt];
      lt = inner;
    }
    return null;
  };
  const nameAt = (from: number, to: number): string => {
    let i = from;
    while (i < to && body.charCodeAt(i) <= 32) i++;
    const start = i;
    while (i < to && isNameChar(body.charCodeAt(i))) i++;
    return body.slice(start, i).toUpperCase();
  };

  let tag = nextTag(0);
  while (tag) {
    const [lt, end] = tag;
    const first = body.charAt(lt + 1);
    if (first === "?" || first === "!") {
      tag = nextTag(end + 1);
      continue;
    }
    if (first === "/") {
      const name = nameAt(lt + 2, end);
      tag = nextTag(end + 1);
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
    const name = nameAt(lt + 1, end);
    const next = nextTag(end + 1);
    if (name === "") {
      tag = next;
      continue;
    }
    const node: SgmlNode = { name, children: [] };
    top().children.push(node);
    if (body.charAt(end - 1) === "/") {
      node.text = "";
      tag = next;
      continue;
    }
    const text = decodeEntities(body.slice(end + 1, next ? next[0] : body.length)).trim();
    if (text !== "") {
      node.text = text;
      // An explicit end tag right after the value (mixed SGML/XML exports): consume it.
      if (next && body.charAt(next[0] + 1) === "/" && nameAt(next[0] + 2, next[1]) === name) {
        tag = nextTag(next[1] + 1);
      } else tag = next;
      continue;
    }
    stack.push(node);
    if (stack.length > MAX_OFX_DEPTH + 1) throw tooDeep(firstLine + body.slice(0, lt).split("\n").length - 1);
    tag = next;
  }
  // End of input with elements still open (a truncated file): keep what they hold.
  while (stack.length > 1) {
    const node = stack.pop();
    if (node && node.children.length === 0) node.text = "";
  }
  return root;
}

// Recursion below is bounded: buildTree refuses nesting deeper than MAX_OFX_DEPTH.
function write(n: SgmlNode): string {
  if (n.text !== undefined)
    return n.text === "" ? `<${n.name}/>` : `<${n.name}>${escapeXml(n.text)}</${n.name}>`;
  return `<${n.name}>${n.children.map(write).join("")}</${n.name}>`;
}

/** The body as well-formed XML (see buildTree): what the tree is, in a form tests can read. */
export function sgmlToXml(body: string, firstLine = 1): string {
  return buildTree(body, firstLine).children.map(write).join("");
}

export type OfxNode = { [name: string]: OfxValue };
/** A leaf's text ("" when empty), an aggregate, or several elements of one name in file order. */
export type OfxValue = string | OfxNode | OfxValue[];

function toValue(n: SgmlNode): OfxValue {
  if (n.text !== undefined || n.children.length === 0) return n.text ?? "";
  const out: OfxNode = {};
  for (const c of n.children) {
    const value = toValue(c);
    const existing = out[c.name];
    if (existing === undefined) out[c.name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[c.name] = [existing, value];
  }
  return out;
}

/** The <OFX> element of a body as plain objects (repeated elements as arrays), or undefined. */
export function readOfxTree(body: string, firstLine = 1): OfxNode | undefined {
  const ofx = buildTree(body, firstLine).children.find((c) => c.name === "OFX");
  const value = ofx ? toValue(ofx) : undefined;
  return value !== undefined && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}
