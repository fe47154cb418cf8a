import type { AccountType, ImportRowDirection, ImportRowKind } from "@tyche/types";
import {
  CARD_PAYMENT_RECEIVED,
  CARD_PAYMENT_SENT,
  NOT_A_REFUND,
  OWN_TRANSFER_IN,
  OWN_TRANSFER_OUT,
  REFUND,
  TYPE_HINTS,
} from "./patterns";

/** Payment words sit near the start of a bank's text; reading past this only costs time. */
const CLASSIFY_CHARS = 300;

/**
 * Upper case, accents dropped, every run of anything but letters and digits one space, padded with a
 * space at both ends so that whole-word phrases are found with includes().
 */
export function wordsOf(text: string): string {
  let s = text.slice(0, CLASSIFY_CHARS);
  // NFKD only where it can change something: most bank text is ASCII.
  if (/[^ -~\t\r\n]/.test(s)) s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  return ` ${s
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, " ")
    .trim()} `;
}

const matchers = new WeakMap<readonly string[], RegExp>();

/**
 * One regular expression per phrase list, built once: alternatives of literal words, so a test costs
 * one pass over the (bounded) text instead of one includes() per phrase.
 */
function matcherOf(phrases: readonly string[]): RegExp {
  let re = matchers.get(phrases);
  if (!re) {
    const alternatives = (list: string[]) =>
      list.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
    const anchored = phrases.filter((p) => p.startsWith("^")).map((p) => p.slice(1));
    const anywhere = phrases.filter((p) => !p.startsWith("^"));
    const parts: string[] = [];
    if (anchored.length > 0) parts.push(`^ (?:${alternatives(anchored)}) `);
    if (anywhere.length > 0) parts.push(` (?:${alternatives(anywhere)}) `);
    re = new RegExp(parts.join("|") || "(?!)");
    matchers.set(phrases, re);
  }
  return re;
}

/** Whether `words` (from wordsOf) holds one of the phrases; a phrase starting with "^" must begin it. */
export function hasPhrase(words: string, phrases: readonly string[]): boolean {
  return matcherOf(phrases).test(words);
}

function matchesRule(words: string, rules: readonly (readonly string[])[][]): boolean {
  return rules.some((rule) => rule.every((phrases) => hasPhrase(words, phrases)));
}

/** A Type column's value as TYPE_HINTS and INDICATOR_WORDS spell it: "CARD_REFUND" -> "card refund". */
export function typeWord(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export interface RowText {
  merchant: string;
  description: string;
  /** The bank's transaction type (Type column, OFX TRNTYPE), when there is one. */
  type?: string;
}

const wordsCache = new WeakMap<RowText, string>();

/**
 * Merchant and description words, kept apart by "|" so that no phrase runs from one into the other;
 * computed once per row (sign detection and classification both ask).
 */
function rowWords(text: RowText): string {
  let words = wordsCache.get(text);
  if (words === undefined) {
    words =
      text.merchant === text.description
        ? wordsOf(text.merchant)
        : `${wordsOf(text.merchant)}|${wordsOf(text.description)}`;
    wordsCache.set(text, words);
  }
  return words;
}

/** Whether a row reads like a payment into a card (meaningful for credits on a card account). */
export function readsLikeCardPaymentReceived(text: RowText): boolean {
  if (text.type && TYPE_HINTS[typeWord(text.type)] === "payment") return true;
  return hasPhrase(rowWords(text), CARD_PAYMENT_RECEIVED);
}

export interface RowKind {
  kind: ImportRowKind;
  paymentLike: boolean;
}

/**
 * The kind of money movement, from the direction, the account's type and the text (patterns.ts).
 * On a card a charge is an expense, a credit a payment (transfer) or else a refund; on a cash account
 * a debit is an expense unless it pays a card or moves money to an own account, and a credit is
 * income unless it reads as a refund or comes from an own account.
 */
export function classifyRow(direction: ImportRowDirection, account: AccountType, text: RowText): RowKind {
  const hint = text.type ? TYPE_HINTS[typeWord(text.type)] : undefined;
  const both = rowWords(text);
  if (account === "credit-card") {
    if (direction === "debit") return { kind: "expense", paymentLike: false };
    if (hint === "payment" || hasPhrase(both, CARD_PAYMENT_RECEIVED))
      return { kind: "transfer", paymentLike: true };
    return { kind: "refund", paymentLike: false };
  }
  if (direction === "debit") {
    if (hint === "transfer" || matchesRule(both, CARD_PAYMENT_SENT) || matchesRule(both, OWN_TRANSFER_OUT)) {
      return { kind: "transfer", paymentLike: true };
    }
    return { kind: "expense", paymentLike: false };
  }
  if (hint === "transfer" || matchesRule(both, OWN_TRANSFER_IN))
    return { kind: "transfer", paymentLike: true };
  if ((hint === "refund" || hasPhrase(both, REFUND)) && !hasPhrase(both, NOT_A_REFUND)) {
    return { kind: "refund", paymentLike: false };
  }
  return { kind: "income", paymentLike: false };
}
