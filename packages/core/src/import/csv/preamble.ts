import type { DateFormat, DecimalSeparator } from "@tyche/types";
import { parseAmount } from "../amounts";
import { parseDate } from "../dates";
import type { StatementAccount } from "../types";
import type { CsvRecord } from "./records";

const ACCOUNT_LABEL = /^(?:kontonummer|konto|iban|account|account number|account no)\b/i;
const BALANCE_LABEL =
  /\b(?:kontostand|ending balance|closing balance|current balance|balance as of|saldo)\b/i;
const NOT_THE_BALANCE = /\b(?:beginning|opening|anfangs|starting)\b/i;
const DATE_IN_LABEL = /(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})/;

/**
 * What a bank's account summary above the header says: the account ("Kontonummer:";"DE12 ... / Girokonto")
 * and the balance on a date ("Kontostand vom 31.01.2024:";"1.234,56 EUR", "Ending balance as of
 * 01/31/2024,,"2,234.56""). Labels are short; longer cells are not read.
 */
export function accountFromPreamble(
  preamble: readonly CsvRecord[],
  dateFormat: DateFormat,
  decimal: DecimalSeparator,
): StatementAccount {
  const account: StatementAccount = {};
  for (const { cells } of preamble) {
    const label = (cells[0] ?? "").trim().slice(0, 200);
    const value = cells
      .slice(1)
      .map((c) => c.trim())
      .find((c) => c !== "");
    if (!value) continue;
    if (account.bankAccountId === undefined && ACCOUNT_LABEL.test(label)) {
      const id = value.split(" / ")[0]?.trim();
      if (id) account.bankAccountId = id;
      continue;
    }
    if (BALANCE_LABEL.test(label) && !NOT_THE_BALANCE.test(label)) {
      const dateText = DATE_IN_LABEL.exec(label)?.[1];
      const date = dateText ? parseDate(dateText, /^\d{4}/.test(dateText) ? "iso" : dateFormat) : null;
      const amount = parseAmount(value, decimal);
      if (date && amount.ok) account.ledgerBalance = { amount: amount.cents, date };
    }
  }
  return account;
}
