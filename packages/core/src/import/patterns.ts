/**
 * The words banks write that tell a card payment, a transfer between one's own accounts, a refund, a
 * row's state and a Debit/Credit indicator apart. Only tables here; the matching is in kinds.ts.
 *
 * Phrases are matched as whole words on the text upper-cased with accents and punctuation dropped, so
 * "PAYMENT - THANK YOU" and "Payment, thank you" are the same text. A phrase starting with "^" must
 * begin the text.
 */

/** On a card account, a credit that reads like one of these is a payment into the card, not a refund. */
export const CARD_PAYMENT_RECEIVED: readonly string[] = [
  "PAYMENT THANK YOU", // PAYMENT - THANK YOU, AUTOPAY PAYMENT - THANK YOU, PAYMENT RECEIVED - THANK YOU
  "THANK YOU FOR YOUR PAYMENT",
  "PAYMENT RECEIVED",
  "AUTOPAY",
  "AUTO PAY",
  "AUTOMATIC PAYMENT",
  "ONLINE PAYMENT",
  "MOBILE PAYMENT",
  "MOBILE PYMT", // CAPITAL ONE MOBILE PYMT
  "AUTOPAY PYMT",
  "INTERNET PAYMENT",
  "DIRECTPAY", // Discover
  "E PAYMENT",
  "EPAYMENT",
  "ELECTRONIC PAYMENT",
  "PHONE PAYMENT",
  "ACH PAYMENT",
  "BILL PAYMENT",
  "^PAYMENT",
  "ZAHLUNG ERHALTEN",
];

/** Card issuers, as a checking account's statement names them when it pays the card. */
const CARD_ISSUERS = [
  "CREDIT CARD",
  "CREDIT CRD", // CHASE CREDIT CRD AUTOPAY
  "CRCARDPMT",
  "CHASE CARD",
  "AMEX",
  "AMERICAN EXPRESS",
  "DISCOVER",
  "CAPITAL ONE",
  "CITI",
  "CITIBANK",
  "CITI CARD",
  "CITICARDS",
  "BARCLAYCARD",
  "SYNCHRONY",
  "BK OF AMER VISA",
];
const PAYMENT_WORDS = [
  "PAYMENT",
  "PMT",
  "PYMT",
  "AUTOPAY",
  "AUTO PAY",
  "EPAY",
  "EPAYMENT",
  "E PAYMENT",
  "CRCARDPMT",
];

/**
 * Rules are lists of phrase lists: a rule matches when every list has a phrase in the text. A debit on
 * a checking, savings or cash account matching one pays a card.
 */
export const CARD_PAYMENT_SENT: readonly (readonly string[])[][] = [
  [CARD_ISSUERS, PAYMENT_WORDS], // AMEX EPAYMENT ACH PMT, Payment to Chase card ending in 1234, DISCOVER E-PAYMENT
  [["PAYMENT TO CREDIT CARD", "CREDIT CARD PAYMENT", "CARD BILL PAYMENT", "KREDITKARTENABRECHNUNG"]],
];

/** Words naming one of the person's own accounts, after "transfer to" or "from". */
const OWN_ACCOUNTS = ["SAVINGS", "SAV", "CHECKING", "CHK", "MONEY MARKET", "TAGESGELD", "SPARKONTO"];

/** A debit on a cash account that moves money to another account of the same person. */
export const OWN_TRANSFER_OUT: readonly (readonly string[])[][] = [
  [["TRANSFER TO", "WITHDRAWAL TO", "XFER TO"], OWN_ACCOUNTS], // Transfer to Savings, Withdrawal to 360 Performance Savings
  [
    [
      "ONLINE TRANSFER TO", // Chase: Online Transfer to SAV ...5678
      "ONLINE BANKING TRANSFER TO",
      "INTERNAL TRANSFER",
      "TRANSFER BETWEEN ACCOUNTS",
      "UMBUCHUNG",
      "EXCHANGED TO", // Revolut, into another currency pocket
    ],
  ],
];

/** A credit on a cash account from another account of the same person. */
export const OWN_TRANSFER_IN: readonly (readonly string[])[][] = [
  [["TRANSFER FROM", "DEPOSIT FROM", "XFER FROM"], OWN_ACCOUNTS],
  [
    [
      "ONLINE TRANSFER FROM",
      "ONLINE BANKING TRANSFER FROM",
      "INTERNAL TRANSFER",
      "TRANSFER BETWEEN ACCOUNTS",
      "UMBUCHUNG",
      "TOP UP BY", // Revolut: Top-Up by *1234, from the user's own card
    ],
  ],
];

/** A credit on a cash account that gives back money spent: it lowers spending instead of adding income. */
export const REFUND: readonly string[] = [
  "REFUND",
  "RETURN",
  "PURCHASE RETURN",
  "MERCHANDISE RETURN",
  "REVERSAL",
  "CREDIT VOUCHER",
  "ERSTATTUNG",
  "RUCKERSTATTUNG",
  "RUECKERSTATTUNG",
  "STORNO",
];

/** Credits that use refund words but are income. */
export const NOT_A_REFUND: readonly string[] = [
  "TAX REF",
  "TAX REFUND",
  "TAX RETURN",
  "IRS TREAS",
  "STEUERERSTATTUNG",
];

/**
 * The bank's transaction type (a Type column), lower case with "_" and punctuation as spaces, when it
 * says more than the text does.
 */
export const TYPE_HINTS: Readonly<Record<string, "payment" | "refund" | "transfer">> = {
  payment: "payment", // Chase card: Payment
  payments: "payment",
  return: "refund", // Chase card: Return
  refund: "refund",
  "card refund": "refund", // Revolut
  "refund transaction": "refund", // Chase checking
  reversal: "refund",
  "acct xfer": "transfer", // Chase checking
  "loan pmt": "transfer", // Chase checking: a payment to a Chase card
  topup: "transfer", // Revolut
};

/** Values of a Debit/Credit indicator column. A `type` column where most values are these decides. */
export const INDICATOR_WORDS: Readonly<Record<string, "debit" | "credit">> = {
  debit: "debit",
  dr: "debit",
  d: "debit",
  db: "debit",
  withdrawal: "debit",
  check: "debit", // Chase checking Details
  soll: "debit",
  s: "debit",
  lastschrift: "debit",
  belastung: "debit",
  cargo: "debit",
  credit: "credit",
  cr: "credit",
  c: "credit",
  deposit: "credit",
  dslip: "credit", // Chase checking Details: a deposit slip
  haben: "credit",
  h: "credit",
  gutschrift: "credit",
  abono: "credit",
};

/**
 * Once a column is an indicator, these read too; alone they do not make a column one (a Chase card's
 * Type column says Sale and Payment, and its signs decide).
 */
export const INDICATOR_EXTRA: Readonly<Record<string, "debit" | "credit">> = {
  sale: "debit",
  purchase: "debit",
  expense: "debit",
  charge: "debit",
  fee: "debit",
  out: "debit",
  payment: "credit",
  refund: "credit",
  return: "credit",
  income: "credit",
  in: "credit",
};

export type RowState = "settled" | "pending" | "declined" | "reverted" | "cancelled" | "failed";

/** Values of a state/status column, lower case. Anything else makes the row an error, never a guess. */
export const STATE_WORDS: Readonly<Record<string, RowState>> = {
  completed: "settled",
  complete: "settled",
  settled: "settled",
  posted: "settled",
  cleared: "settled", // Citi
  booked: "settled",
  done: "settled",
  gebucht: "settled",
  "umsatz gebucht": "settled", // Sparkasse Info column
  pending: "pending", // Revolut, Citi
  authorized: "pending",
  authorised: "pending",
  "in progress": "pending",
  processing: "pending",
  vorgemerkt: "pending",
  "umsatz vorgemerkt": "pending",
  "umsatz vorgemerkt wird gebucht": "pending",
  declined: "declined",
  rejected: "declined",
  denied: "declined",
  reverted: "reverted", // Revolut
  reversed: "reverted",
  cancelled: "cancelled",
  canceled: "cancelled",
  voided: "cancelled",
  void: "cancelled",
  expired: "cancelled",
  storniert: "cancelled",
  failed: "failed",
  fehlgeschlagen: "failed",
};
