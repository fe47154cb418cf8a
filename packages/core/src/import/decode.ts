import type { StatementGuesses, TextEncoding } from "@tyche/types";

export interface DecodedText {
  text: string;
  encoding: StatementGuesses["encoding"];
}

const SAMPLE = 4096;

function byteOrderMark(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: "utf-8", length: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: "utf-16be", length: 2 };
  return null;
}

/**
 * UTF-16 without a mark: text that is mostly ASCII has a NUL in every other byte. Spreadsheet programs
 * save "Unicode text" this way; read as UTF-8 it would be refused as binary.
 */
function utf16WithoutMark(bytes: Uint8Array): TextEncoding | null {
  const n = Math.min(bytes.length, SAMPLE) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.6 && evenZero < pairs * 0.1) return "utf-16le";
  if (evenZero > pairs * 0.6 && oddZero < pairs * 0.1) return "utf-16be";
  return null;
}

/** The first byte where UTF-8 visibly fails, for the evidence (-1 for the rarer overlong forms). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Windows-1252's characters for bytes 0x80-0x9F; the five it leaves undefined stay as they are. */
const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

/**
 * Windows-1252 by table. Node's TextDecoder("windows-1252") reads 0x80-0x9F as Latin-1 control
 * characters (the euro sign 0x80 comes out as U+0080), so it is not used for this.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const CHUNK = 8192;
  let out = "";
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const part = bytes.subarray(start, start + CHUNK);
    const codes = new Array<number>(part.length);
    for (let i = 0; i < part.length; i++) {
      const b = part[i] ?? 0;
      codes[i] = b >= 0x80 && b <= 0x9f ? (CP1252_C1[b - 0x80] ?? b) : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

function decodeWith(encoding: TextEncoding, bytes: Uint8Array): string {
  // The Encoding Standard reads "iso-8859-1" as Windows-1252 too; for bytes outside 0x80-0x9F they agree.
  if (encoding === "windows-1252" || encoding === "iso-8859-1") return decodeWindows1252(bytes);
  return new TextDecoder(encoding, { fatal: encoding === "utf-8" }).decode(bytes);
}

const OPTION = ["encoding"];

/**
 * Bytes to text: a byte-order mark decides (and is dropped), else UTF-16 by its NUL pattern, else strict
 * UTF-8, else Windows-1252 (reported as ISO-8859-1 when no byte falls in 0x80-0x9F, where the two
 * differ). `forced` decodes with that encoding instead.
 */
export function decodeStatement(bytes: Uint8Array, forced?: TextEncoding): DecodedText {
  const bom = byteOrderMark(bytes);
  if (forced) {
    const body = bom && bom.encoding === forced ? bytes.subarray(bom.length) : bytes;
    let text: string;
    try {
      text = decodeWith(forced, body);
    } catch {
      // Strict UTF-8 was asked for and the bytes are not UTF-8: read what can be, marked with U+FFFD.
      text = new TextDecoder("utf-8").decode(body);
    }
    return {
      text,
      encoding: {
        value: forced,
        source: "option",
        evidence: `Read as ${forced}, as asked.`,
        overrideWith: OPTION,
      },
    };
  }
  if (bom) {
    return {
      text: decodeWith(bom.encoding, bytes.subarray(bom.length)),
      encoding: {
        value: bom.encoding,
        source: "detected",
        evidence: `The file starts with a ${bom.encoding.toUpperCase()} byte-order mark.`,
        overrideWith: OPTION,
      },
    };
  }
  const utf16 = utf16WithoutMark(bytes);
  if (utf16) {
    return {
      text: decodeWith(utf16, bytes),
      encoding: {
        value: utf16,
        source: "detected",
        evidence: "Every other byte is zero, as in UTF-16 text without a byte-order mark.",
        overrideWith: OPTION,
      },
    };
  }
  try {
    return {
      text: decodeWith("utf-8", bytes),
      encoding: {
        value: "utf-8",
        source: "detected",
        evidence: "The bytes are valid UTF-8.",
        overrideWith: OPTION,
      },
    };
  } catch {
    // not UTF-8: a single-byte European encoding below
  }
  const bad = firstInvalidUtf8(bytes);
  let c1 = false;
  for (const b of bytes) {
    if (b >= 0x80 && b <= 0x9f) {
      c1 = true;
      break;
    }
  }
  const value: TextEncoding = c1 ? "windows-1252" : "iso-8859-1";
  const where =
    bad < 0
      ? ""
      : ` (byte 0x${(bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, "0")} at offset ${bad})`;
  return {
    text: decodeWith(value, bytes),
    encoding: {
      value,
      source: "detected",
      evidence: `Not UTF-8${where}, so read as ${value === "windows-1252" ? "Windows-1252" : "ISO-8859-1"}, as older European bank exports are.`,
      overrideWith: OPTION,
    },
  };
}
