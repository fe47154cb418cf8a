/** Lowercase, accents and punctuation removed: "Auftraggeber/Empfänger" -> "auftraggeber empfanger". */
export function normHeader(h: string): string {
  return h
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Every run of whitespace one space, ends trimmed. */
export function collapse(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** 1-based line numbers of offsets, asked for in increasing order: one pass over the text in all. */
export function lineCounter(text: string): (offset: number) => number {
  let line = 1;
  let pos = 0;
  return (offset: number) => {
    for (; pos < offset && pos < text.length; pos++) {
      const ch = text.charCodeAt(pos);
      if (ch === 10 || (ch === 13 && text.charCodeAt(pos + 1) !== 10)) line++;
    }
    return line;
  };
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** "two", "12": small counts in evidence read as a person would say them. */
export function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

/** "two rows", "12 rows", "one row". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${numberWord(n)} ${n === 1 ? noun : plural}`;
}

/** "an American Express export", "a Revolut export", "an N26 export". */
export function article(name: string): string {
  return /^[AEIOU]/i.test(name) || /^N\d/.test(name) ? `an ${name}` : `a ${name}`;
}
