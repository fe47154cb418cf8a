import { inflateSync } from "node:zlib";

/**
 * What a receipt may not carry. A PDF that acts when opened (a script, a launched program, an
 * embedded file, a form that submits), or an image with a web page after its pixels (a polyglot
 * that a browser sniffing the bytes would run as HTML): a receipt needs none of it.
 */
export function activeContent(bytes: Uint8Array, mime: string): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  if (mime === "application/pdf") return pdfActions(text, bytes);
  return MARKUP.test(text) ? "holds HTML or script after the image" : undefined;
}

const MARKUP = /<(?:script|html|body|iframe|svg|object|embed|meta|link|form|img)[\s>/]|javascript:/i;

/**
 * Long names are looked for everywhere: they do not turn up by chance in compressed bytes. The
 * short ones (/JS, /AA) are looked for outside stream data only, and in the compressed object
 * streams where PDF 1.5 may hide dictionaries.
 */
const LONG =
  /\/(OpenAction|JavaScript|Launch|EmbeddedFiles?|RichMedia|SubmitForm|ImportData|GoToE|GoToR)(?![A-Za-z0-9])/;
const SHORT = /\/(JS|AA|XFA)(?![A-Za-z0-9])/;

/** A PDF name may spell a letter as #hh (/J#61vaScript is /JavaScript). */
const decodeNames = (s: string) =>
  s.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** Enough for any receipt's object streams; a deflate bomb stops here instead of filling memory. */
const MAX_INFLATED = 32 * 1024 * 1024;

function pdfActions(raw: string, bytes: Uint8Array): string | undefined {
  const found = (s: string, re: RegExp) => re.exec(decodeNames(s))?.[1];
  const named = (name: string) => `is a PDF with /${name}, which acts when the file is opened`;
  const long = found(raw, LONG);
  if (long) return named(long);
  const streamAt = /(?<!end)stream\r?\n/g;
  let outside = "";
  let pos = 0;
  let inflatedTotal = 0;
  for (let m = streamAt.exec(raw); m; m = streamAt.exec(raw)) {
    outside += raw.slice(pos, m.index);
    const start = m.index + m[0].length;
    const endAt = raw.indexOf("endstream", start);
    const stop = endAt < 0 ? raw.length : endAt;
    const dictionary = raw.slice(Math.max(pos, m.index - 2048), m.index);
    if (/\/ObjStm\b/.test(decodeNames(dictionary)) && inflatedTotal < MAX_INFLATED) {
      try {
        const inflated = inflateSync(bytes.subarray(start, stop), {
          maxOutputLength: MAX_INFLATED - inflatedTotal,
        }).toString("latin1");
        inflatedTotal += inflated.length;
        const hidden = found(inflated, LONG) ?? found(inflated, SHORT);
        if (hidden) return named(hidden);
      } catch {
        // Not deflated, or damaged: no reader can find a dictionary in it either.
      }
    }
    pos = stop;
    streamAt.lastIndex = stop;
  }
  outside += raw.slice(pos);
  const short = found(outside, SHORT);
  return short ? named(short) : undefined;
}
