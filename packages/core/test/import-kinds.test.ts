import type { AccountType, ImportRowDirection } from "@tyche/types";
import { describe, expect, it } from "vitest";
import { classifyRow } from "../src/import/kinds";

type Case = [
  account: AccountType,
  direction: ImportRowDirection,
  text: string,
  kind: string,
  paymentLike: boolean,
];

const cases: Case[] = [
  // A card: charges are spending, a credit is a payment into the card or a refund.
  ["credit-card", "debit", "SQ *BLUE BOTTLE COFFEE", "expense", false],
  ["credit-card", "debit", "LATE FEE", "expense", false],
  ["credit-card", "credit", "PAYMENT - THANK YOU", "transfer", true],
  ["credit-card", "credit", "AUTOPAY PAYMENT - THANK YOU", "transfer", true],
  ["credit-card", "credit", "ONLINE PAYMENT, THANK YOU", "transfer", true],
  ["credit-card", "credit", "MOBILE PAYMENT - THANK YOU", "transfer", true],
  ["credit-card", "credit", "Payment Received", "transfer", true],
  ["credit-card", "credit", "PAYMENT RECEIVED - THANK YOU", "transfer", true],
  ["credit-card", "credit", "CAPITAL ONE MOBILE PYMT", "transfer", true],
  ["credit-card", "credit", "DIRECTPAY FULL BALANCE", "transfer", true],
  ["credit-card", "credit", "AMZN Mktp US*2K4LL1", "refund", false],
  ["credit-card", "credit", "STATEMENT CREDIT", "refund", false],
  ["credit-card", "credit", "PAYPAL *NETFLIX", "refund", false],
  // A cash account: a debit is spending unless it pays a card or goes to an own account.
  ["checking", "debit", "CHASE CREDIT CRD AUTOPAY PPD ID: 4760039224", "transfer", true],
  ["checking", "debit", "PAYMENT TO CREDIT CARD 1234", "transfer", true],
  ["checking", "debit", "AMEX EPAYMENT ACH PMT", "transfer", true],
  ["checking", "debit", "DISCOVER E-PAYMENT 1234", "transfer", true],
  ["checking", "debit", "Payment to Chase card ending in 1234", "transfer", true],
  ["checking", "debit", "Transfer to Savings", "transfer", true],
  ["checking", "debit", "ONLINE TRANSFER TO CHK ...1234", "transfer", true],
  ["checking", "debit", "Withdrawal to 360 Performance Savings", "transfer", true],
  ["savings", "debit", "Transfer to Checking", "transfer", true],
  ["checking", "debit", "STARBUCKS STORE 01234", "expense", false],
  ["checking", "debit", "ZELLE PAYMENT TO JOHN SMITH", "expense", false],
  ["checking", "debit", "COMCAST BILL PAYMENT", "expense", false],
  ["checking", "debit", "WIRE TRANSFER TO ACME LTD", "expense", false],
  ["cash", "debit", "Coffee", "expense", false],
  // A credit is income, unless it gives money back or comes from an own account.
  ["checking", "credit", "ACME CORP PAYROLL", "income", false],
  ["checking", "credit", "AMAZON.COM REFUND", "refund", false],
  ["checking", "credit", "PURCHASE RETURN TARGET", "refund", false],
  ["checking", "credit", "CARD REVERSAL SHELL OIL", "refund", false],
  ["checking", "credit", "Rückerstattung Bestellung 4711", "refund", false],
  ["checking", "credit", "IRS TREAS 310 TAX REF", "income", false],
  ["checking", "credit", "Transfer from Savings", "transfer", true],
  ["checking", "credit", "ONLINE TRANSFER FROM SAV ...5678", "transfer", true],
  ["checking", "credit", "TRANSFER FROM J SMITH", "income", false],
  ["checking", "credit", "Umbuchung von Tagesgeld", "transfer", true],
];

describe("classifyRow", () => {
  it.each(cases)("%s %s %j -> %s", (account, direction, text, kind, paymentLike) => {
    expect(classifyRow(direction, account, { merchant: text, description: text })).toEqual({
      kind,
      paymentLike,
    });
  });

  it("reads the bank's transaction type where the text says nothing", () => {
    const row = (type: string) => ({ merchant: "AMZN Mktp US", description: "AMZN Mktp US", type });
    expect(classifyRow("credit", "credit-card", row("Payment"))).toEqual({
      kind: "transfer",
      paymentLike: true,
    });
    expect(classifyRow("credit", "credit-card", row("Return"))).toEqual({
      kind: "refund",
      paymentLike: false,
    });
    expect(classifyRow("credit", "checking", row("CARD_REFUND"))).toEqual({
      kind: "refund",
      paymentLike: false,
    });
    expect(classifyRow("debit", "checking", row("ACCT_XFER"))).toEqual({
      kind: "transfer",
      paymentLike: true,
    });
    expect(classifyRow("debit", "checking", row("LOAN_PMT"))).toEqual({
      kind: "transfer",
      paymentLike: true,
    });
    expect(classifyRow("credit", "checking", row("TOPUP"))).toEqual({ kind: "transfer", paymentLike: true });
    // A card payment's type means nothing on a checking account, where PAYMENT is a purchase (Barclays).
    expect(classifyRow("debit", "checking", row("PAYMENT"))).toEqual({ kind: "expense", paymentLike: false });
  });

  it("does not run a phrase across the merchant and the description", () => {
    expect(
      classifyRow("credit", "credit-card", { merchant: "SHOP PAYMENT", description: "THANK YOU" }),
    ).toEqual({
      kind: "refund",
      paymentLike: false,
    });
  });
});
