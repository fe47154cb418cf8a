import { useId } from "react";
import { Field } from "../../ui/Field";
import type { TermsDraft } from "./terms";

/**
 * The fields of a card's terms, shared by adding a card and editing one: its name and issuer, what
 * is owed (adding only), the APR, the limit, the due day, the issuer's minimum payment rule and a
 * promotional rate. `message(path)` gives the error for a field by the API's own path.
 */
export function TermsFields({
  draft,
  set,
  message,
  currency,
  withBalance,
}: {
  draft: TermsDraft;
  set: <K extends keyof TermsDraft>(key: K, value: TermsDraft[K]) => void;
  message: (path: string) => string | undefined;
  currency: string;
  withBalance: boolean;
}) {
  const id = useId();
  const minError = message("minimumPayment") ?? message("minimumPayment.kind");
  return (
    <>
      <div className="terms-grid">
        <Field label="Card name" error={message("name")}>
          {(p) => (
            <input
              {...p}
              value={draft.name}
              onChange={(e) => set("name", e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Issuer (optional)" error={message("issuer")}>
          {(p) => (
            <input
              {...p}
              value={draft.issuer}
              onChange={(e) => set("issuer", e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        {withBalance && (
          <Field
            label="Owed today"
            error={message("balance")}
            hint={`What the card's statement says, ${currency}`}
          >
            {(p) => (
              <input
                {...p}
                inputMode="decimal"
                value={draft.balance}
                onChange={(e) => set("balance", e.target.value)}
                autoComplete="off"
              />
            )}
          </Field>
        )}
        <Field label="APR (%)" error={message("aprBasisPoints")} hint="The yearly rate, such as 24.99">
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              value={draft.apr}
              onChange={(e) => set("apr", e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Credit limit" error={message("creditLimit")} hint="Leave empty when the card has none">
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              value={draft.creditLimit}
              onChange={(e) => set("creditLimit", e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Payment due day" error={message("dueDay")} hint="Day of the month, 1 to 31">
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={draft.dueDay}
              onChange={(e) => set("dueDay", e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
      </div>
      <fieldset className="terms-group">
        <legend>Minimum payment</legend>
        <div className="choice">
          <label>
            <input
              type="radio"
              name={`${id}-min`}
              checked={draft.minKind === "percent"}
              onChange={() => set("minKind", "percent")}
            />{" "}
            A share of the balance
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-min`}
              checked={draft.minKind === "fixed"}
              onChange={() => set("minKind", "fixed")}
            />{" "}
            A fixed amount
          </label>
        </div>
        {draft.minKind === "percent" ? (
          <div className="terms-grid">
            <Field label="Share of the balance (%)" error={message("minimumPayment.percentBasisPoints")}>
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={draft.minPercent}
                  onChange={(e) => set("minPercent", e.target.value)}
                  autoComplete="off"
                />
              )}
            </Field>
            <Field
              label="At least"
              error={message("minimumPayment.floor")}
              hint="The least the issuer accepts"
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={draft.minFloor}
                  onChange={(e) => set("minFloor", e.target.value)}
                  autoComplete="off"
                />
              )}
            </Field>
            <div className="field checkbox-field">
              <label>
                <input
                  type="checkbox"
                  checked={draft.minPlusInterest}
                  onChange={(e) => set("minPlusInterest", e.target.checked)}
                />{" "}
                Plus the month's interest
              </label>
            </div>
          </div>
        ) : (
          <div className="terms-grid">
            <Field label="Minimum each month" error={message("minimumPayment.amount")}>
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={draft.minFixed}
                  onChange={(e) => set("minFixed", e.target.value)}
                  autoComplete="off"
                />
              )}
            </Field>
          </div>
        )}
        {minError && <p className="field-error">{minError}</p>}
      </fieldset>
      <fieldset className="terms-group">
        <legend>Promotional rate (optional)</legend>
        <div className="terms-grid">
          <Field label="Promotional APR (%)" error={message("promo.aprBasisPoints")} hint="Such as 0">
            {(p) => (
              <input
                {...p}
                inputMode="decimal"
                value={draft.promoApr}
                onChange={(e) => set("promoApr", e.target.value)}
                autoComplete="off"
              />
            )}
          </Field>
          <Field label="Until" error={message("promo.until")} hint="The promotion's last day">
            {(p) => (
              <input
                {...p}
                type="date"
                value={draft.promoUntil}
                onChange={(e) => set("promoUntil", e.target.value)}
              />
            )}
          </Field>
        </div>
        {message("promo") && <p className="field-error">{message("promo")}</p>}
      </fieldset>
    </>
  );
}
