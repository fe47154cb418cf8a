export type ImportFormat = "csv" | "ofx";

/**
 * Which parser a file needs. The content decides ("OFXHEADER" or an <OFX> element near the start);
 * without either, an .ofx/.qfx/.qbo name still says OFX (and parseOfx explains what is wrong with it).
 */
export function detectFormat(fileName: string | undefined, text: string): ImportFormat {
  const head = text.slice(0, 4096);
  if (/OFXHEADER/i.test(head) || /<OFX>/i.test(head)) return "ofx";
  if (fileName && /\.(ofx|qfx|qbo)$/i.test(fileName.trim())) return "ofx";
  return "csv";
}
