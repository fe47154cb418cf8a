import { useId } from "react";
import { InputField } from "../../ui/Field";
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
        <InputField
          label="Card name"
          error={message("name")}
          value={draft.name}
          onChange={(e) => set("name", e.target.value)}
          autoComplete="off"
        />
        <InputField
          label="Issuer (optional)"
          error={message("issuer")}
          value={draft.issuer}
          onChange={(e) => set("issuer", e.target.value)}
          autoComplete="off"
        />
        {withBalance && (
          <InputField
            label="Owed today"
            error={message("balance")}
            hint={`What the card's statement says, ${currency}`}
            inputMode="decimal"
            value={draft.balance}
            onChange={(e) => set("balance", e.target.value)}
            autoComplete="off"
          />
        )}
        <InputField
          label="APR (%)"
          error={message("aprBasisPoints")}
          hint="The yearly rate, such as 24.99"
          inputMode="decimal"
          value={draft.apr}
          onChange={(e) => set("apr", e.target.value)}
          autoComplete="off"
        />
        <InputField
          label="Credit limit"
          error={message("creditLimit")}
          hint="Leave empty when the card has none"
          inputMode="decimal"
          value={draft.creditLimit}
          onChange={(e) => set("creditLimit", e.target.value)}
          autoComplete="off"
        />
        <InputField
          label="Payment due day"
          error={message("dueDay")}
          hint="Day of the month, 1 to 31"
          inputMode="numeric"
          value={draft.dueDay}
          onChange={(e) => set("dueDay", e.target.value)}
          autoComplete="off"
        />
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
            <InputField
              label="Share of the balance (%)"
              error={message("minimumPayment.percentBasisPoints")}
              inputMode="decimal"
              value={draft.minPercent}
              onChange={(e) => set("minPercent", e.target.value)}
              autoComplete="off"
            />
            <InputField
              label="At least"
              error={message("minimumPayment.floor")}
              hint="The least the issuer accepts"
              inputMode="decimal"
              value={draft.minFloor}
              onChange={(e) => set("minFloor", e.target.value)}
              autoComplete="off"
            />
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
            <InputField
              label="Minimum each month"
              error={message("minimumPayment.amount")}
              inputMode="decimal"
              value={draft.minFixed}
              onChange={(e) => set("minFixed", e.target.value)}
              autoComplete="off"
            />
          </div>
        )}
        {minError && <p className="field-error">{minError}</p>}
      </fieldset>
      <fieldset className="terms-group">
        <legend>Promotional rate (optional)</legend>
        <div className="terms-grid">
          <InputField
            label="Promotional APR (%)"
            error={message("promo.aprBasisPoints")}
            hint="Such as 0"
            inputMode="decimal"
            value={draft.promoApr}
            onChange={(e) => set("promoApr", e.target.value)}
            autoComplete="off"
          />
          <InputField
            label="Until"
            error={message("promo.until")}
            hint="The promotion's last day"
            type="date"
            value={draft.promoUntil}
            onChange={(e) => set("promoUntil", e.target.value)}
          />
        </div>
        {message("promo") && <p className="field-error">{message("promo")}</p>}
      </fieldset>
    </>
  );
}
