import type { AccountType, ImportRowDirection, SignConvention, StatementGuesses } from "@tyche/types";
import { readsLikeCardPaymentReceived } from "../kinds";
import { article, count, numberWord } from "../text";
import type { BankLayout } from "./layouts";
import type { DraftRow } from "./rows";

export type SignGuess = StatementGuesses["signConvention"];

export interface SignDecision {
  guess: SignGuess;
  directionOf: (row: DraftRow) => ImportRowDirection;
}

export interface SignContext {
  account: AccountType;
  option: SignConvention | undefined;
  layout: BankLayout | null;
  /** Separate debit and credit columns, named as the file names them. */
  split: { debit: string; credit: string } | null;
  /** The header (or "column N") of a Debit/Credit indicator column, when there is one. */
  indicator: string | null;
}

const OPTION = ["signConvention"];

export function bySign(convention: SignConvention): (row: DraftRow) => ImportRowDirection {
  // A fee-only row (amount 0) is money out whichever way signs go.
  return (row) => {
    const s = row.signed ?? 0;
    if (s === 0) return "debit";
    return s < 0 === (convention === "negative-is-expense") ? "debit" : "credit";
  };
}

function describe(convention: SignConvention, account: AccountType): string {
  const out = account === "credit-card" ? "charges" : "money out";
  return convention === "negative-is-expense" ? `negative amounts are ${out}` : `positive amounts are ${out}`;
}

function examples(rows: readonly DraftRow[]): string {
  const texts = [...new Set(rows.map((r) => r.merchantRaw).filter((t) => t !== ""))].slice(0, 2);
  return texts.join(" and ") || "a card payment";
}

/** Which sign convention the rows themselves show, with the evidence in words. */
function detect(rows: readonly DraftRow[], ctx: SignContext): Omit<SignGuess, "overrideWith"> {
  const signed = rows.filter((r) => (r.signed ?? 0) !== 0);
  const positive = signed.filter((r) => (r.signed ?? 0) > 0);
  const negative = signed.filter((r) => (r.signed ?? 0) < 0);
  const n = signed.length;
  const pos = positive.length;
  const neg = negative.length;

  if (ctx.account === "credit-card") {
    const payments = signed.filter((r) => readsLikeCardPaymentReceived(r.text));
    const payNeg = payments.filter((r) => (r.signed ?? 0) < 0);
    const payPos = payments.filter((r) => (r.signed ?? 0) > 0);
    const decisive = payments.length > 0 && Math.max(payNeg.length, payPos.length) >= payments.length * 0.8;
    if (decisive) {
      const paymentsNegative = payNeg.length >= payPos.length;
      const [chargeCount, chargeSign, payRows, paySign, payTotal] = paymentsNegative
        ? [pos, "positive", payNeg, "negative", neg]
        : [neg, "negative", payPos, "positive", pos];
      const payClause =
        payRows.length === payTotal
          ? `the ${count(payTotal, `${paySign} row`)} ${payTotal === 1 ? "reads" : "read"} ${examples(payRows)}`
          : `${numberWord(payRows.length)} of the ${count(payTotal, `${paySign} row`)} ${payRows.length === 1 ? "reads like a card payment" : "read like card payments"} (${examples(payRows)})`;
      return {
        value: paymentsNegative ? "positive-is-expense" : "negative-is-expense",
        source: "detected",
        decidedBy: "payment-rows",
        evidence: `${chargeCount} of ${n} amounts are ${chargeSign} and ${payClause}: charges look ${chargeSign}.`,
      };
    }
    const mixed =
      payments.length > 0 ? " Rows that read like card payments carry both signs, so they do not tell." : "";
    if (ctx.layout?.charges) {
      const value = ctx.layout.charges === "positive" ? "positive-is-expense" : "negative-is-expense";
      return {
        value,
        source: "layout",
        decidedBy: "layout",
        evidence: `No row reads like a card payment; ${ctx.layout.name} exports list charges as ${ctx.layout.charges} amounts.${mixed}`,
      };
    }
    if (neg === 0 || pos === 0) {
      const sign = neg === 0 ? "positive" : "negative";
      return {
        value: neg === 0 ? "positive-is-expense" : "negative-is-expense",
        source: "detected",
        decidedBy: "share-of-signs",
        evidence: `All ${n} amounts are ${sign} and no row reads like a card payment: each is read as a charge.${mixed}`,
      };
    }
    const value = pos > neg ? "positive-is-expense" : "negative-is-expense";
    const [more, sign] = pos > neg ? [pos, "positive"] : [neg, "negative"];
    return {
      value,
      source: "detected",
      decidedBy: "share-of-signs",
      evidence: `${more} of ${n} amounts are ${sign} and no row reads like a card payment; on a card most rows are charges, so charges look ${sign}.${mixed}`,
    };
  }

  if (ctx.layout?.charges) {
    const value = ctx.layout.charges === "positive" ? "positive-is-expense" : "negative-is-expense";
    return {
      value,
      source: "layout",
      decidedBy: "layout",
      evidence: `The header is that of ${article(ctx.layout.name)} export, a card's, which lists charges as ${ctx.layout.charges} amounts (the account is ${ctx.account}, not a card).`,
    };
  }
  if (neg > 0) {
    return {
      value: "negative-is-expense",
      source: "detected",
      decidedBy: "share-of-signs",
      evidence: `${neg} of ${n} amounts are negative: a negative amount is money out.`,
    };
  }
  return {
    value: "positive-is-expense",
    source: "detected",
    decidedBy: "share-of-signs",
    evidence:
      "Every amount is positive and no column says debit or credit: every row is read as an expense (money out).",
  };
}

/**
 * Which rows are money out. In order: separate debit and credit columns; the signConvention option;
 * a Debit/Credit indicator column (it wins over signs); else the signs, read by the account type: on a
 * card, the sign the payment rows carry, a known layout's convention, or the share of each sign.
 */
export function decideSigns(rows: readonly DraftRow[], ctx: SignContext): SignDecision {
  if (ctx.split) {
    return {
      guess: {
        value: "negative-is-expense",
        source: ctx.layout ? "layout" : "detected",
        decidedBy: "debit-credit-columns",
        evidence: `Money out and money in are in separate columns (${ctx.split.debit}, ${ctx.split.credit}): the column decides, not the sign.`,
        overrideWith: ["columns"],
      },
      directionOf: (row) => row.stated ?? "debit",
    };
  }
  if (ctx.option) {
    return {
      guess: {
        value: ctx.option,
        source: "option",
        decidedBy: "option",
        evidence: `As asked, ${describe(ctx.option, ctx.account)}.`,
        overrideWith: OPTION,
      },
      directionOf: bySign(ctx.option),
    };
  }
  const detected = detect(rows, ctx);
  const fallback = bySign(detected.value);
  if (ctx.indicator) {
    const stated = rows.filter((r) => r.stated !== undefined).length;
    const rest =
      stated < rows.length
        ? ` The other ${rows.length - stated} are read by their sign: ${detected.evidence.charAt(0).toLowerCase()}${detected.evidence.slice(1)}`
        : "";
    return {
      guess: {
        value: detected.value,
        source: "detected",
        decidedBy: "type-column",
        evidence: `The ${ctx.indicator} column says debit or credit on ${stated} of ${rows.length} rows: it decides which rows are money out, whatever the sign.${rest}`,
        overrideWith: [...OPTION, "columns.type"],
      },
      directionOf: (row) => row.stated ?? fallback(row),
    };
  }
  return { guess: { ...detected, overrideWith: OPTION }, directionOf: fallback };
}
