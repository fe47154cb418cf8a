import type { Account, Card } from "@tyche/types";
import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/client";
import { useDeleteCard, usePayCard, useUpdateCard } from "../../api/debt";
import { Confirm } from "../../ui/Confirm";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { Field, InputField } from "../../ui/Field";
import { FormButtons } from "../../ui/FormButtons";
import { fullDate, money, parseMoney, today } from "../../ui/format";
import { useModes } from "../../ui/useModes";
import { useRefusalFocus } from "../../ui/useRefusalFocus";
import { balanceWords } from "../accounts/words";
import { TermsFields } from "./TermsFields";
import { checkUpdate, draftOf, TERM_FIELDS, type TermsDraft } from "./terms";
import { rate, utilisationLevel, utilisationWords } from "./words";

/** One card: what is owed, its rate, its use of the limit and this month's minimum; paying, editing or deleting it. */
export function CardItem({
  card,
  payFrom,
  onDone,
}: {
  card: Card;
  /** The accounts a payment can come from: open, not cards. */
  payFrom: readonly Account[];
  /** Says what happened; `focus` when the card is gone and the focus must go somewhere. */
  onDone: (message: string, focus?: boolean) => void;
}) {
  const { mode, setMode, button } = useModes<"pay" | "edit" | "confirm-delete">();
  const open = (next: typeof mode) => () => setMode(next);
  const close = (message?: string) => {
    setMode("view");
    if (message) onDone(message);
  };
  const headingId = `card-${card.cardId}`;
  const t = card.terms;
  return (
    <li className="card debt-card" data-testid="debt-card">
      <h3 id={headingId}>
        <Link to={`/accounts/${card.cardId}`}>{card.name}</Link>
      </h3>
      {t?.issuer && <p className="muted issuer">{t.issuer}</p>}
      <p className="debt-owed amount" data-testid="owed">
        {balanceWords(card.balance, "credit-card", card.currency)}
      </p>
      {t ? (
        <>
          <dl className="facts card-facts">
            <div>
              <dt>APR</dt>
              <dd data-testid="apr">
                {t.promo && card.currentAprBasisPoints !== t.aprBasisPoints
                  ? `${rate(card.currentAprBasisPoints ?? t.promo.aprBasisPoints)} until ${fullDate(t.promo.until)}, then ${rate(t.aprBasisPoints)}`
                  : rate(t.aprBasisPoints)}
              </dd>
            </div>
            <div>
              <dt>Minimum this month</dt>
              <dd className="amount" data-testid="minimum">
                {card.minimumDue === null ? "None" : money(card.minimumDue, card.currency)}
              </dd>
            </div>
            <div>
              <dt>Next due date</dt>
              <dd data-testid="due">{card.nextDueDate ? fullDate(card.nextDueDate) : "None"}</dd>
            </div>
            <div>
              <dt>Paid this month</dt>
              <dd className="amount" data-testid="paid">
                {money(card.paidThisMonth, card.currency)}
                {card.minimumDue !== null && card.minimumDue > 0 && card.paidThisMonth >= card.minimumDue && (
                  <span className="muted"> (minimum covered)</span>
                )}
              </dd>
            </div>
            {card.monthlyInterest !== null && card.monthlyInterest > 0 && (
              <div>
                <dt>Interest this month</dt>
                <dd className="amount">{money(card.monthlyInterest, card.currency)}</dd>
              </div>
            )}
          </dl>
          <Utilisation card={card} />
        </>
      ) : (
        <p className="notice terms-missing">
          This card has no terms yet. Add its APR, credit limit and due day to see its minimum and include it
          in the plan.
        </p>
      )}
      {mode === "pay" ? (
        <PaymentForm card={card} payFrom={payFrom} onClose={close} />
      ) : mode === "edit" ? (
        <EditTerms card={card} onClose={close} />
      ) : mode === "confirm-delete" ? (
        <ConfirmDelete
          card={card}
          onClose={() => setMode("view")}
          onDone={(message) => {
            setMode("view");
            onDone(message, true);
          }}
        />
      ) : (
        <div className="button-row">
          <button
            ref={button("pay")}
            type="button"
            className="primary"
            onClick={open("pay")}
            aria-describedby={headingId}
          >
            Record a payment
          </button>
          <button ref={button("edit")} type="button" onClick={open("edit")} aria-describedby={headingId}>
            {t ? "Edit terms" : "Add its terms"}
          </button>
          <button
            ref={button("confirm-delete")}
            type="button"
            onClick={open("confirm-delete")}
            aria-describedby={headingId}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

/** The share of the limit in use: a bar for the eye, the same in words for everyone. */
function Utilisation({ card }: { card: Card }) {
  const bp = card.utilisationBasisPoints;
  if (bp === null || !card.terms)
    return <p className="utilisation muted">No credit limit, so no utilisation.</p>;
  const shown = Math.max(0, Math.min(100, bp / 100));
  return (
    <div className="utilisation">
      <p data-testid="utilisation">
        <span className="utilisation-figure">{rate(bp)}</span> of the{" "}
        {money(card.terms.creditLimit, card.currency)} limit used:{" "}
        <strong className={`status-${utilisationLevel(bp)}`}>{utilisationWords(bp)}</strong>
        {card.availableCredit !== null && card.availableCredit > 0 && (
          <span className="muted"> · {money(card.availableCredit, card.currency)} available</span>
        )}
      </p>
      <div className="bar" aria-hidden="true">
        <div className={`bar-fill bar-${utilisationLevel(bp)}`} style={{ width: `${shown}%` }} />
      </div>
    </div>
  );
}

const newKey = () => crypto.randomUUID();

function PaymentForm({
  card,
  payFrom,
  onClose,
}: {
  card: Card;
  payFrom: readonly Account[];
  onClose: (message?: string) => void;
}) {
  const preferred = payFrom.find((a) => a.onBudget) ?? payFrom[0];
  const [amount, setAmount] = useState("");
  const [date, setDate] = useState(today());
  const [from, setFrom] = useState(preferred?.accountId ?? "");
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  // One key per payment: a second click or a retry of the same payment is recorded once.
  const [key, setKey] = useState(newKey);
  const pay = usePayCard();
  const { form, refused } = useRefusalFocus();

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const cents = parseMoney(amount, card.currency);
    const problems: Record<string, string> = {};
    if (cents === undefined) problems.amount = "must be an amount such as 50.00";
    else if (cents <= 0) problems.amount = "must be more than zero";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) problems.date = "must be a date";
    setInvalid(problems);
    if (cents === undefined || Object.keys(problems).length > 0) {
      refused();
      return;
    }
    pay.mutate(
      { card, key, payment: { amount: cents, date, ...(from ? { fromAccountId: from } : {}) } },
      {
        onSuccess: (result) => {
          setKey(newKey());
          const source = payFrom.find((a) => a.accountId === result.payment.fromAccountId)?.name;
          onClose(
            `Paid ${money(result.payment.amount, card.currency)} to ${card.name}${
              source ? ` from ${source}` : ""
            } on ${fullDate(result.payment.date)}. ${balanceWords(result.card.balance, "credit-card", card.currency)} on it now.`,
          );
        },
        onError: refused,
      },
    );
  };
  const message = (path: string) => invalid[path] ?? fieldError(pay.error, path);
  const otherError = formError(pay.error, ["amount", "date", "fromAccountId"]);
  return (
    <form
      ref={form}
      className="card-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`Record a payment to ${card.name}`}
    >
      <div className="payment-grid">
        <InputField
          label="Amount"
          error={message("amount")}
          {...(card.minimumDue
            ? { hint: `This month's minimum: ${money(card.minimumDue, card.currency)}` }
            : {})}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          autoComplete="off"
          // The form opens on request, and its first field is where the user goes.
          autoFocus
        />
        <InputField
          label="Date"
          error={message("date")}
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        {payFrom.length > 0 ? (
          <Field label="From account" error={message("fromAccountId")}>
            {(p) => (
              <select {...p} value={from} onChange={(e) => setFrom(e.target.value)}>
                {payFrom.map((a) => (
                  <option key={a.accountId} value={a.accountId}>
                    {a.name} ({money(a.balance, a.currency)})
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <p className="hint">
            You have no checking, savings or cash account to pay from yet.{" "}
            <Link to="/accounts">Open one in Accounts</Link>.
          </p>
        )}
      </div>
      <ErrorMessage error={otherError} />
      <FormButtons
        label="Record payment"
        busy="Recording…"
        pending={pay.isPending}
        disabled={payFrom.length === 0}
        onCancel={() => onClose()}
      />
    </form>
  );
}

function EditTerms({ card, onClose }: { card: Card; onClose: (message?: string) => void }) {
  const [draft, setDraft] = useState<TermsDraft>(() => draftOf(card));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const update = useUpdateCard();
  const { form, refused } = useRefusalFocus();
  // The form opens with its first field in focus.
  useEffect(() => {
    form.current?.querySelector<HTMLElement>("input")?.focus();
  }, [form]);
  const set = <K extends keyof TermsDraft>(key: K, value: TermsDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkUpdate(draft, card.currency);
    setInvalid(checked.ok ? {} : checked.problems);
    if (!checked.ok) {
      refused();
      return;
    }
    update.mutate(
      { card, patch: checked.value },
      {
        onSuccess: (saved) => onClose(`The terms of ${saved.name} were saved.`),
        onError: refused,
      },
    );
  };
  const message = (path: string) => invalid[path] ?? fieldError(update.error, path);
  const otherError = formError(update.error, TERM_FIELDS);
  return (
    <form
      ref={form}
      className="card-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`${card.terms ? "Edit the terms of" : "Add the terms of"} ${card.name}`}
    >
      <TermsFields draft={draft} set={set} message={message} currency={card.currency} withBalance={false} />
      <p className="hint">What is owed follows the card's transactions and payments.</p>
      <ErrorMessage error={otherError} />
      {update.error instanceof ApiError && update.error.status === 412 && (
        <p className="hint">Someone changed this card meanwhile: close this form to see the new terms.</p>
      )}
      <FormButtons label="Save terms" busy="Saving…" pending={update.isPending} onCancel={() => onClose()} />
    </form>
  );
}

function ConfirmDelete({
  card,
  onClose,
  onDone,
}: {
  card: Card;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const remove = useDeleteCard();
  return (
    <Confirm
      question={`Delete ${card.name}? A card with transactions is closed instead, and keeps its history.`}
      error={<ErrorMessage error={remove.error} />}
      pending={remove.isPending}
      onYes={() =>
        remove.mutate(card, {
          onSuccess: ({ result }) =>
            onDone(
              result === "deleted"
                ? `${card.name} was deleted.`
                : `${card.name} has transactions, so it was closed instead of deleted; its history is kept.`,
            ),
        })
      }
      onNo={onClose}
    />
  );
}
