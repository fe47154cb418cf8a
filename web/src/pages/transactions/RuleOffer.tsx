import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { refreshMoney } from "../../api/queries";
import { createRule, type SuggestedRule } from "../../api/transactions";
import { ErrorMessage } from "../../ui/ErrorMessage";

export interface RuleOfferState {
  transactionId: string;
  merchant: string;
  categoryId: string;
  categoryName: string;
  suggested?: SuggestedRule | undefined;
}

/**
 * After a person corrects a category: offer to make it a rule, so the merchant's next transactions
 * get that category without asking (the API's suggested rule, or one on the merchant's name).
 */
export function RuleOffer({ offer, onClose }: { offer: RuleOfferState; onClose: () => void }) {
  const queries = useQueryClient();
  const opId = useId();
  const [op, setOp] = useState<"equals" | "contains">(
    offer.suggested?.conditions.merchant?.op === "contains" ? "contains" : "equals",
  );
  const create = useMutation({
    mutationFn: () =>
      createRule({
        name: `${offer.merchant} → ${offer.categoryName}`,
        conditions: { merchant: { op, value: offer.merchant } },
        actions: { categoryId: offer.categoryId },
      }),
    // No page lists the rules: what a rule changes is the transactions' categories, which are money.
    onSuccess: () => refreshMoney(queries),
  });
  if (create.isSuccess) {
    return (
      <div className="rule-offer notice" role="status">
        <p>
          Done: from now on, {op === "equals" ? "" : "anything containing "}“{offer.merchant}” is categorised
          as {offer.categoryName}.
        </p>
        <button type="button" onClick={onClose}>
          Dismiss
        </button>
      </div>
    );
  }
  return (
    <section className="rule-offer notice" aria-label={`Rule for ${offer.merchant}`}>
      <p role="status">
        Categorised as {offer.categoryName}. Do the same for every transaction from {offer.merchant}?
      </p>
      <div className="rule-offer-actions">
        <div className="field">
          <label htmlFor={opId}>Match the merchant</label>
          <select id={opId} value={op} onChange={(e) => setOp(e.target.value as "equals" | "contains")}>
            <option value="equals">named exactly “{offer.merchant}”</option>
            <option value="contains">with “{offer.merchant}” in its name</option>
          </select>
        </div>
        <button type="button" className="primary" disabled={create.isPending} onClick={() => create.mutate()}>
          Always categorise {offer.merchant} as {offer.categoryName}
        </button>
        <button type="button" onClick={onClose}>
          Not now
        </button>
      </div>
      <ErrorMessage error={create.error} />
    </section>
  );
}
