import { ImportFormatError } from "./types";

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
 * How deep elements may nest. A real statement goes about eight deep; a file nested thousands deep
 * is an attack that would otherwise exhaust the stack and take quadratic time to unwind.
 */
export const MAX_OFX_DEPTH = 32;

const tooDeep = (line: number) =>
  new ImportFormatError(`This OFX file nests elements more than ${MAX_OFX_DEPTH} deep (line ${line}).`);

/** Whether XML nests no deeper than MAX_OFX_DEPTH, by one linear scan of its tags. */
export function xmlDepthWithin(body: string): boolean {
  let depth = 0;
  for (const m of body.matchAll(/<(\/?)[A-Za-z][^<>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else if (!m[2] && ++depth > MAX_OFX_DEPTH) return false;
  }
  return true;
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
export function sgmlToXml(body: string, firstLine = 1): string {
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
