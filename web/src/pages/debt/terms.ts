import {
  type Card,
  CardCreate,
  type CardCreateParsed,
  CardUpdate,
  DEFAULT_MINIMUM_PAYMENT,
  type MinimumPaymentRule,
} from "@tyche/types";
import { type Checked, checkedBy } from "../../ui/checked";
import { centsToInput, parseMoney } from "../../ui/format";
import { basisPointsToInput, parseBasisPoints } from "./words";

/** A card's terms as typed: every field text, so what is typed is kept as it is. */
export interface TermsDraft {
  name: string;
  issuer: string;
  /** What is owed today; only when adding a card (later it follows the card's transactions). */
  balance: string;
  apr: string;
  creditLimit: string;
  dueDay: string;
  minKind: "percent" | "fixed";
  minPercent: string;
  minPlusInterest: boolean;
  minFloor: string;
  minFixed: string;
  promoApr: string;
  promoUntil: string;
}

export const blankTerms = (): TermsDraft => ({
  name: "",
  issuer: "",
  balance: "",
  apr: "",
  creditLimit: "",
  dueDay: "",
  minKind: "percent",
  minPercent: basisPointsToInput(
    DEFAULT_MINIMUM_PAYMENT.kind === "percent" ? DEFAULT_MINIMUM_PAYMENT.percentBasisPoints : 100,
  ),
  minPlusInterest: true,
  minFloor: centsToInput(DEFAULT_MINIMUM_PAYMENT.kind === "percent" ? DEFAULT_MINIMUM_PAYMENT.floor : 2500),
  minFixed: "",
  promoApr: "",
  promoUntil: "",
});

/** The draft of a card's terms as they are now (blank terms for a card that has none yet). */
export function draftOf(card: Card): TermsDraft {
  const blank = blankTerms();
  const t = card.terms;
  if (!t) return { ...blank, name: card.name };
  const min = t.minimumPayment;
  return {
    ...blank,
    name: card.name,
    issuer: t.issuer ?? "",
    apr: basisPointsToInput(t.aprBasisPoints),
    creditLimit: centsToInput(t.creditLimit, card.currency),
    dueDay: String(t.dueDay),
    minKind: min.kind,
    ...(min.kind === "percent"
      ? {
          minPercent: basisPointsToInput(min.percentBasisPoints),
          minPlusInterest: min.plusInterest,
          minFloor: centsToInput(min.floor, card.currency),
        }
      : { minFixed: centsToInput(min.amount, card.currency) }),
    promoApr: t.promo ? basisPointsToInput(t.promo.aprBasisPoints) : "",
    promoUntil: t.promo?.until ?? "",
  };
}

const AMOUNT = "must be an amount such as 1234.56";
const PERCENT = "must be a percentage such as 24.99";

/** The numbers in a draft, each parsed, with a message (by the API's field path) for each that is not one. */
function parsed(draft: TermsDraft, currency: string) {
  const problems: Record<string, string> = {};
  const money = (text: string, path: string, optional = false) => {
    if (optional && text.trim() === "") return undefined;
    const cents = parseMoney(text, currency);
    if (cents === undefined) problems[path] = AMOUNT;
    return cents;
  };
  const percent = (text: string, path: string) => {
    const bp = parseBasisPoints(text);
    if (bp === undefined) problems[path] = PERCENT;
    return bp;
  };
  const aprBasisPoints = percent(draft.apr, "aprBasisPoints");
  const creditLimit = draft.creditLimit.trim() === "" ? 0 : money(draft.creditLimit, "creditLimit");
  const dueDay = /^\s*\d{1,2}\s*$/.test(draft.dueDay) ? Number(draft.dueDay) : undefined;
  if (dueDay === undefined) problems.dueDay = "must be a day of the month from 1 to 31";
  let minimumPayment: MinimumPaymentRule | undefined;
  if (draft.minKind === "fixed") {
    const amount = money(draft.minFixed, "minimumPayment.amount");
    if (amount !== undefined) minimumPayment = { kind: "fixed", amount };
  } else {
    const percentBasisPoints = percent(draft.minPercent, "minimumPayment.percentBasisPoints");
    const floor = draft.minFloor.trim() === "" ? 0 : money(draft.minFloor, "minimumPayment.floor");
    if (percentBasisPoints !== undefined && floor !== undefined)
      minimumPayment = { kind: "percent", percentBasisPoints, plusInterest: draft.minPlusInterest, floor };
  }
  let promo: { aprBasisPoints: number; until: string } | null = null;
  const promoGiven = draft.promoApr.trim() !== "" || draft.promoUntil !== "";
  if (promoGiven) {
    if (draft.promoApr.trim() === "") problems["promo.aprBasisPoints"] = "give the promotional rate too";
    if (draft.promoUntil === "") problems["promo.until"] = "give the promotion's last day too";
    const bp = draft.promoApr.trim() === "" ? undefined : percent(draft.promoApr, "promo.aprBasisPoints");
    if (bp !== undefined && draft.promoUntil !== "") promo = { aprBasisPoints: bp, until: draft.promoUntil };
  }
  return { problems, aprBasisPoints, creditLimit, dueDay, minimumPayment, promo };
}

/** A new card from the form, checked with the API's own schema. */
export function checkCreate(draft: TermsDraft, currency = "USD"): Checked<CardCreateParsed> {
  const p = parsed(draft, currency);
  const balance = draft.balance.trim() === "" ? 0 : parseMoney(draft.balance, currency);
  if (balance === undefined) p.problems.balance = AMOUNT;
  const result = CardCreate.safeParse({
    name: draft.name,
    ...(draft.issuer.trim() ? { issuer: draft.issuer } : {}),
    balance: balance ?? 0,
    currency,
    aprBasisPoints: p.aprBasisPoints ?? 0,
    creditLimit: p.creditLimit ?? 0,
    dueDay: p.dueDay ?? 1,
    ...(p.minimumPayment ? { minimumPayment: p.minimumPayment } : {}),
    promo: p.promo,
  });
  return checkedBy(result, p.problems);
}

/** A change of a card's name and terms from the form, checked with the API's own schema. */
export function checkUpdate(draft: TermsDraft, currency: string): Checked<CardUpdate> {
  const p = parsed(draft, currency);
  const result = CardUpdate.safeParse({
    name: draft.name,
    issuer: draft.issuer.trim() ? draft.issuer : null,
    aprBasisPoints: p.aprBasisPoints ?? 0,
    creditLimit: p.creditLimit ?? 0,
    dueDay: p.dueDay ?? 1,
    ...(p.minimumPayment ? { minimumPayment: p.minimumPayment } : {}),
    promo: p.promo,
  });
  return checkedBy(result, p.problems);
}

/** The API's paths the terms form has a field for; any other error is said under the form. */
export const TERM_FIELDS = [
  "name",
  "issuer",
  "balance",
  "aprBasisPoints",
  "creditLimit",
  "dueDay",
  "minimumPayment",
  "minimumPayment.kind",
  "minimumPayment.amount",
  "minimumPayment.percentBasisPoints",
  "minimumPayment.floor",
  "promo",
  "promo.aprBasisPoints",
  "promo.until",
] as const;
