import type {
  Account,
  Transaction,
  TransactionCreate,
  TransactionType,
  TransactionUpdate,
} from "@tyche/types";
import { centsToInput, money, parseMoney, today } from "../../ui/format";

export const KINDS: { value: TransactionType; label: string }[] = [
  { value: "expense", label: "Expense" },
  { value: "income", label: "Income" },
  { value: "refund", label: "Refund" },
  { value: "transfer", label: "Transfer" },
];

export const kindLabel = (kind: string) => KINDS.find((k) => k.value === kind)?.label ?? kind;

export interface SplitDraft {
  categoryId: string;
  amount: string;
}

/** What the add and edit forms hold: text as typed, turned into cents only when sent. */
export interface FormState {
  type: TransactionType;
  accountId: string;
  toAccountId: string;
  date: string;
  amount: string;
  merchant: string;
  description: string;
  /** "" = none (on a new transaction: let rules and merchant history choose). */
  categoryId: string;
  split: boolean;
  splits: SplitDraft[];
  tags: string;
  notes: string;
}

export const emptyForm = (accountId = ""): FormState => ({
  type: "expense",
  accountId,
  toAccountId: "",
  date: today(),
  amount: "",
  merchant: "",
  description: "",
  categoryId: "",
  split: false,
  splits: [
    { categoryId: "", amount: "" },
    { categoryId: "", amount: "" },
  ],
  tags: "",
  notes: "",
});

export function formOf(t: Transaction, currency: string): FormState {
  const transfer = t.type === "transfer" ? t.transfer : null;
  return {
    type: t.type,
    accountId: transfer ? transfer.fromAccountId : t.accountId,
    toAccountId: transfer ? transfer.toAccountId : "",
    date: t.date,
    amount: centsToInput(t.amount, currency),
    merchant: t.merchant ?? t.merchantRaw ?? "",
    description: t.description,
    categoryId: t.categoryId ?? "",
    split: Boolean(t.splits),
    splits: t.splits
      ? t.splits.map((s) => ({ categoryId: s.categoryId, amount: centsToInput(s.amount, currency) }))
      : emptyForm().splits,
    tags: t.tags.join(", "),
    notes: t.notes,
  };
}

export const parseTags = (text: string) =>
  [
    ...new Set(
      text
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ].slice(0, 20);

/** Field errors in words, by the API's field path (so the API's own errors land in the same place). */
export type FormErrors = Record<string, string>;

export interface Checked {
  errors: FormErrors;
  amount?: number;
  splits?: { categoryId: string; amount: number }[];
}

/** What is left of the amount to give to the split's parts (negative: the parts add up to more). */
export function splitRemainder(state: FormState, currency: string): number | undefined {
  const amount = parseMoney(state.amount, currency);
  if (amount === undefined) return undefined;
  return state.splits.reduce((left, s) => left - (parseMoney(s.amount, currency) ?? 0), amount);
}

export function check(state: FormState, currency: string): Checked {
  const errors: FormErrors = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(state.date)) errors.date = "Enter the date.";
  const amount = parseMoney(state.amount, currency);
  if (amount === undefined) errors.amount = "Enter the amount, such as 12.50.";
  else if (amount <= 0) errors.amount = "The amount must be more than zero.";
  if (!state.accountId) errors.accountId = "Choose the account.";
  if (state.type === "transfer") {
    if (!state.toAccountId) errors.toAccountId = "Choose the account the money went to.";
    else if (state.toAccountId === state.accountId)
      errors.toAccountId = "Choose another account than the one the money left.";
  }
  let splits: { categoryId: string; amount: number }[] | undefined;
  if (state.split && state.type !== "transfer") {
    splits = [];
    for (const [i, s] of state.splits.entries()) {
      const cents = parseMoney(s.amount, currency);
      if (!s.categoryId) errors[`splits.${i}.categoryId`] = "Choose a category for this part.";
      if (cents === undefined || cents <= 0) errors[`splits.${i}.amount`] = "Enter an amount above zero.";
      splits.push({ categoryId: s.categoryId, amount: cents ?? 0 });
    }
    if (state.splits.length < 2) errors.splits = "A split needs at least two parts.";
    const left = splitRemainder(state, currency);
    if (amount !== undefined && left !== undefined && left !== 0 && !errors.splits) {
      errors.splits =
        left > 0
          ? `The parts must add up to the amount: ${money(left, currency)} is not assigned yet.`
          : `The parts add up to ${money(-left, currency)} more than the amount.`;
    }
  }
  return { errors, ...(amount !== undefined ? { amount } : {}), ...(splits ? { splits } : {}) };
}

export function createBody(state: FormState, checked: Checked): TransactionCreate {
  const transfer = state.type === "transfer";
  return {
    accountId: state.accountId,
    ...(transfer ? { toAccountId: state.toAccountId } : {}),
    date: state.date,
    amount: checked.amount ?? 0,
    type: state.type,
    ...(checked.splits ? { splits: checked.splits } : {}),
    ...(!transfer && !checked.splits && state.categoryId ? { categoryId: state.categoryId } : {}),
    ...(state.merchant.trim() ? { merchant: state.merchant.trim() } : {}),
    ...(state.description.trim() ? { description: state.description.trim() } : {}),
    ...(parseTags(state.tags).length ? { tags: parseTags(state.tags) } : {}),
    ...(state.notes ? { notes: state.notes } : {}),
  };
}

/** Only what changed, so an edit never rewrites what the person did not touch (a bank's merchant text). */
export function updatePatch(before: FormState, state: FormState, checked: Checked): TransactionUpdate {
  const patch: TransactionUpdate = {};
  const transfer = state.type === "transfer";
  if (state.type !== before.type) patch.type = state.type;
  if (state.accountId !== before.accountId) patch.accountId = state.accountId;
  if (transfer && (state.toAccountId !== before.toAccountId || before.type !== "transfer"))
    patch.toAccountId = state.toAccountId;
  if (state.date !== before.date) patch.date = state.date;
  if (state.amount !== before.amount && checked.amount !== undefined) patch.amount = checked.amount;
  if (state.merchant.trim() !== before.merchant.trim()) patch.merchant = state.merchant.trim();
  if (state.description.trim() !== before.description.trim()) patch.description = state.description.trim();
  if (state.notes !== before.notes) patch.notes = state.notes;
  if (parseTags(state.tags).join() !== parseTags(before.tags).join()) patch.tags = parseTags(state.tags);
  if (!transfer) {
    if (checked.splits) {
      if (!before.split || JSON.stringify(state.splits) !== JSON.stringify(before.splits) || patch.amount)
        patch.splits = checked.splits;
    } else {
      if (before.split) patch.splits = null;
      if (state.categoryId !== before.categoryId || before.split) patch.categoryId = state.categoryId || null;
    }
  }
  return patch;
}

/** The accounts a new transaction may name: the open ones. */
export const openAccounts = (accounts: readonly Account[]) => accounts.filter((a) => !a.closed);
