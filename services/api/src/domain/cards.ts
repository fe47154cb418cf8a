import { accountBalance, cardStatus } from "@tyche/core";
import {
  type Card,
  type CardCreateParsed,
  type CardPayment,
  type CardPaymentCreate,
  type CardPaymentResult,
  type CardUpdate,
  DEFAULT_MINIMUM_PAYMENT,
  type Transaction,
} from "@tyche/types";
import { ulid } from "ulid";
import type { AccountRepository, StoredAccount } from "../db/accounts";
import type { CardRepository, StoredCardTerms } from "../db/cards";
import type { Owner } from "../db/keys";
import { Quotas } from "../db/quotas";
import type { Store } from "../db/store";
import { commit, type WriteOp } from "../db/transact";
import type { Listed, TransactionRepository } from "../db/transactions";
import { invalidField, isFailure, notFound, versionMismatch } from "../errors";
import type { TransactionService } from "./transactions";
import { readCheckWrite } from "./versioned";

export interface CardDeps {
  store: Store;
  cards: CardRepository;
  accounts: AccountRepository;
  transactions: TransactionRepository;
  service: TransactionService;
  /** Today, `YYYY-MM-DD`; the clock is a parameter so tests can pin a month. */
  today?: () => string;
}

/** A card: its credit-card account (what is owed) and its terms (what the issuer set). */
export interface CardParts {
  account: StoredAccount;
  terms: StoredCardTerms | undefined;
}

const isCard = (a: StoredAccount) => a.type === "credit-card";

/** The API's card from its parts, with this month's figures by the payoff convention. */
export function toCard(parts: CardParts, today: string, paidThisMonth: number): Card {
  const { account, terms } = parts;
  const balance = accountBalance(account.type, account.openingBalance, account.net);
  const status = terms
    ? cardStatus(
        balance,
        {
          aprBasisPoints: terms.aprBasisPoints,
          creditLimit: terms.creditLimit,
          dueDay: terms.dueDay,
          minimum: terms.minimumPayment,
          promo: terms.promo,
        },
        today,
      )
    : undefined;
  return {
    cardId: account.accountId,
    name: account.name,
    currency: account.currency,
    onBudget: account.onBudget,
    closed: account.closed,
    balance,
    openingBalance: account.openingBalance,
    openingDate: account.openingDate,
    terms: terms
      ? {
          issuer: terms.issuer,
          aprBasisPoints: terms.aprBasisPoints,
          creditLimit: terms.creditLimit,
          dueDay: terms.dueDay,
          minimumPayment: terms.minimumPayment,
          promo: terms.promo,
        }
      : null,
    currentAprBasisPoints: status?.currentAprBasisPoints ?? null,
    utilisationBasisPoints: status?.utilisationBasisPoints ?? null,
    availableCredit: status?.availableCredit ?? null,
    monthlyInterest: status?.monthlyInterest ?? null,
    minimumDue: status?.minimumDue ?? null,
    nextDueDate: status?.nextDueDate ?? null,
    paidThisMonth,
    version: terms?.version ?? 0,
    createdAt: terms?.createdAt ?? account.createdAt,
    updatedAt: terms && terms.updatedAt > account.updatedAt ? terms.updatedAt : account.updatedAt,
  };
}

/** A transfer leg into the card: a payment. */
const isPaymentInto = (cardId: string, t: Listed) =>
  t.type === "transfer" && t.accountId === cardId && t.transfer?.direction === "in";

function toPayment(t: Listed): CardPayment {
  return {
    transactionId: t.transactionId,
    cardId: t.accountId,
    fromAccountId: t.transfer?.fromAccountId ?? "",
    amount: t.amount,
    date: t.date,
    month: t.date.slice(0, 7),
    createdAt: t.createdAt,
  };
}

export class CardService {
  private readonly today: () => string;

  constructor(private readonly d: CardDeps) {
    this.today = d.today ?? (() => new Date().toISOString().slice(0, 10));
  }

  /** Every credit-card account with its terms, by name; closed cards only when asked. */
  async parts(owner: Owner, includeClosed = false, consistent = false): Promise<CardParts[]> {
    const [accounts, terms] = await Promise.all([
      this.d.accounts.list(owner, consistent),
      this.d.cards.list(owner, consistent),
    ]);
    const termsOf = new Map(terms.map((t) => [t.cardId, t]));
    return accounts
      .filter((a) => isCard(a) && (includeClosed || !a.closed))
      .sort((a, b) => a.name.localeCompare(b.name) || a.accountId.localeCompare(b.accountId))
      .map((account) => ({ account, terms: termsOf.get(account.accountId) }));
  }

  async list(owner: Owner, includeClosed = false): Promise<Card[]> {
    const today = this.today();
    const parts = await this.parts(owner, includeClosed);
    const paid = await Promise.all(
      parts.map((p) => this.paidIn(owner, p.account.accountId, today.slice(0, 7))),
    );
    return parts.map((p, i) => toCard(p, today, paid[i] ?? 0));
  }

  async get(owner: Owner, cardId: string): Promise<Card> {
    return this.show(owner, await this.read(owner, cardId, false));
  }

  private async show(owner: Owner, parts: CardParts): Promise<Card> {
    const today = this.today();
    return toCard(parts, today, await this.paidIn(owner, parts.account.accountId, today.slice(0, 7)));
  }

  /** The card's parts, or undefined when the account is missing or is not a card. */
  private async find(owner: Owner, cardId: string, consistent: boolean): Promise<CardParts | undefined> {
    const [account, terms] = await Promise.all([
      consistent ? this.d.accounts.latest(owner, cardId) : this.d.accounts.get(owner, cardId),
      consistent ? this.d.cards.latest(owner, cardId) : this.d.cards.get(owner, cardId),
    ]);
    return account && isCard(account) ? { account, terms } : undefined;
  }

  private async read(owner: Owner, cardId: string, consistent: boolean): Promise<CardParts> {
    const parts = await this.find(owner, cardId, consistent);
    if (!parts) throw notFound("Card");
    return parts;
  }

  /** The card as a versioned item (its terms' version, 0 before it has any), for readCheckWrite. */
  private async versioned(owner: Owner, cardId: string) {
    const parts = await this.find(owner, cardId, true);
    return parts && { ...parts, version: parts.terms?.version ?? 0 };
  }

  /**
   * Opens a credit-card account owing `balance` (its opening balance) and stores its terms, in one
   * transaction with the audit record.
   */
  async create(owner: Owner, input: CardCreateParsed): Promise<Card> {
    const now = new Date().toISOString();
    const cardId = ulid();
    const account: StoredAccount = {
      accountId: cardId,
      name: input.name,
      type: "credit-card",
      currency: input.currency,
      openingBalance: input.balance,
      openingDate: input.balanceDate ?? this.today(),
      onBudget: input.onBudget,
      closed: false,
      net: 0,
      count: 0,
      revision: 0,
      lastImportAt: null,
      importOptions: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const terms: StoredCardTerms = {
      cardId,
      issuer: input.issuer ?? null,
      aprBasisPoints: input.aprBasisPoints,
      creditLimit: input.creditLimit,
      dueDay: input.dueDay,
      minimumPayment: input.minimumPayment,
      promo: input.promo ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await new Quotas(this.d.store).take(owner, "accounts", (take) =>
      commit(this.d.store, { owner, action: "card.create", entityId: cardId, after: { account, terms } }, [
        this.d.accounts.createOp(owner, account),
        this.d.cards.createOp(owner, terms),
        take,
      ]),
    );
    return toCard({ account, terms }, this.today(), 0);
  }

  /**
   * Changes the card's name or terms. A credit-card account without terms (opened in accounts or
   * by an import) gets them here: then the APR, limit and due day are required. `expected` is the
   * card's version (0 while it has no terms).
   */
  async update(owner: Owner, cardId: string, patch: CardUpdate, expected?: number): Promise<Card> {
    const parts = await readCheckWrite(
      "Card",
      expected,
      () => this.versioned(owner, cardId),
      async (current) => {
        const now = new Date().toISOString();
        const ops: WriteOp[] = [];
        let account = current.account;
        if (patch.name !== undefined && patch.name !== account.name) {
          account = { ...account, name: patch.name, version: account.version + 1, updatedAt: now };
          ops.push(this.d.accounts.replaceOp(owner, current.account, account, false));
        }
        const terms = nextTerms(cardId, current.terms, patch, now);
        if (terms && terms !== current.terms) {
          ops.push(
            current.terms
              ? this.d.cards.replaceOp(owner, current.terms, terms)
              : // Two first PUTs at once: the second finds terms it did not read.
                this.d.cards.createOp(owner, terms, versionMismatch),
          );
        }
        if (ops.length === 0) return current;
        await commit(
          this.d.store,
          { owner, action: "card.update", entityId: cardId, before: current, after: { account, terms } },
          ops,
        );
        return { account, terms, version: terms?.version ?? 0 };
      },
    );
    return this.show(owner, parts);
  }

  /**
   * Deletes a card that holds no transactions (its account and terms); one with transactions is
   * closed instead: its history and terms stay, and reopening the account brings it back.
   */
  async remove(owner: Owner, cardId: string, expected?: number): Promise<"deleted" | "closed"> {
    return readCheckWrite(
      "Card",
      expected,
      () => this.versioned(owner, cardId),
      async ({ account, terms }): Promise<"deleted" | "closed"> => {
        if (account.count === 0) {
          try {
            await commit(
              this.d.store,
              { owner, action: "card.delete", entityId: cardId, before: { account, terms } },
              [
                this.d.accounts.deleteEmptyOp(owner, account),
                ...(terms ? [this.d.cards.deleteOp(owner, terms)] : []),
                await new Quotas(this.d.store).releaseOp(owner, "accounts"),
              ],
            );
            return "deleted";
          } catch (err) {
            // A transaction landed in it since the read: it is closed instead, below.
            if (!isFailure(err, "conflict")) throw err;
          }
        }
        if (account.closed) return "closed";
        const closed = {
          ...account,
          closed: true,
          version: account.version + 1,
          updatedAt: new Date().toISOString(),
        };
        await commit(
          this.d.store,
          { owner, action: "card.close", entityId: cardId, before: account, after: closed },
          [this.d.accounts.replaceOp(owner, account, closed, false)],
        );
        return "closed";
      },
    );
  }

  /**
   * Records a payment as a transfer into the card: the transfer's own write moves both balances
   * and the month's `paidToDebt` and writes the audit record, all in one DynamoDB transaction.
   */
  async pay(
    owner: Owner,
    cardId: string,
    input: CardPaymentCreate,
    idempotency?: { key: string; hash: string },
  ): Promise<CardPaymentResult> {
    // The card and the account paying it, from one consistent read of the accounts; the transfer's
    // own write checks again that both are open.
    const accounts = await this.d.accounts.list(owner, true);
    const card = accounts.find((a) => a.accountId === cardId);
    if (!card || !isCard(card) || card.closed) throw notFound("Card");
    const from = input.fromAccountId ?? payingAccount(accounts, cardId)?.accountId;
    if (!from) throw invalidField("fromAccountId", "is required: you have no open account to pay from");
    if (from === cardId) throw invalidField("fromAccountId", "must be another account than the card");
    const answer = await this.d.service.create(
      owner,
      {
        type: "transfer",
        accountId: from,
        toAccountId: cardId,
        amount: input.amount,
        date: input.date,
        merchant: card.name,
        description: `Payment to ${card.name}`,
        ...(input.note ? { notes: input.note } : {}),
      },
      idempotency,
    );
    const transaction = answer.body as Transaction;
    const after = await this.show(owner, await this.read(owner, cardId, true));
    return {
      payment: {
        transactionId: transaction.transfer?.linkedTransactionId ?? transaction.transactionId,
        cardId,
        fromAccountId: from,
        amount: transaction.amount,
        date: transaction.date,
        month: transaction.date.slice(0, 7),
        createdAt: transaction.createdAt,
      },
      transaction,
      card: after,
    };
  }

  /** Payments into the card, newest first: the transfer legs in its account. */
  async payments(
    owner: Owner,
    cardId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: CardPayment[]; nextCursor?: string }> {
    await this.read(owner, cardId, false);
    const found = await this.d.transactions.list(owner, {
      accountId: cardId,
      type: "transfer",
      limit: page.limit,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
    return {
      items: found.items.filter((t) => isPaymentInto(cardId, t)).map(toPayment),
      ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}),
    };
  }

  /** What was paid into the card in `month`, from its register (eventually consistent: for showing). */
  private async paidIn(owner: Owner, cardId: string, month: string): Promise<number> {
    let paid = 0;
    let cursor: string | undefined;
    do {
      const page = await this.d.transactions.list(owner, {
        accountId: cardId,
        month,
        type: "transfer",
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      for (const t of page.items) if (isPaymentInto(cardId, t)) paid += t.amount;
      cursor = page.nextCursor;
    } while (cursor);
    return paid;
  }
}

/** Where a payment comes from when the request does not say: the oldest open account that is not a card, on budget first. */
function payingAccount(accounts: readonly StoredAccount[], cardId: string): StoredAccount | undefined {
  return accounts
    .filter((a) => !a.closed && !isCard(a) && a.accountId !== cardId)
    .sort((a, b) => Number(b.onBudget) - Number(a.onBudget) || a.accountId.localeCompare(b.accountId))[0];
}

/** The terms after a patch; the same object when the patch changes none of them. */
function nextTerms(
  cardId: string,
  current: StoredCardTerms | undefined,
  patch: CardUpdate,
  now: string,
): StoredCardTerms | undefined {
  const { name: _name, ...termsPatch } = patch;
  const given = Object.entries(termsPatch).filter(([, v]) => v !== undefined);
  if (current) {
    const changed = given.some(
      ([k, v]) => JSON.stringify(current[k as keyof StoredCardTerms]) !== JSON.stringify(v),
    );
    if (!changed) return current;
    return {
      ...current,
      ...Object.fromEntries(given),
      version: current.version + 1,
      updatedAt: now,
    } as StoredCardTerms;
  }
  if (given.length === 0) return undefined;
  for (const field of ["aprBasisPoints", "creditLimit", "dueDay"] as const) {
    if (termsPatch[field] === undefined) throw invalidField(field, "is required: the card has no terms yet");
  }
  return {
    cardId,
    issuer: termsPatch.issuer ?? null,
    aprBasisPoints: termsPatch.aprBasisPoints as number,
    creditLimit: termsPatch.creditLimit as number,
    dueDay: termsPatch.dueDay as number,
    minimumPayment: termsPatch.minimumPayment ?? DEFAULT_MINIMUM_PAYMENT,
    promo: termsPatch.promo ?? null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
