import { type Account, type Category, TransactionCreate } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { useAddTransaction } from "../../api/dashboard";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { Field, InputField } from "../../ui/Field";
import { dateLabel, money, monthLabel, parseMoney, today } from "../../ui/format";
import { useDraft } from "../../ui/useDraft";

type Kind = "expense" | "income" | "refund";

interface Draft {
  date: string;
  amount: string;
  merchant: string;
  categoryId: string;
  accountId: string;
  kind: Kind;
}

const KINDS: { value: Kind; label: string }[] = [
  { value: "expense", label: "Expense" },
  { value: "income", label: "Income" },
  { value: "refund", label: "Refund" },
];

/**
 * A transaction in a few keystrokes. What is typed is a draft that survives a reload and an
 * expired session; after it is recorded, every figure on the page follows without a reload.
 */
export function QuickAdd({
  accounts,
  categories,
  month,
}: {
  accounts: Account[];
  categories: Category[];
  /** The month the dashboard shows: a date outside it is pointed out. */
  month: string;
}) {
  const fallbackAccount = accounts.find((a) => a.type === "checking") ?? accounts[0];
  const [draft, setDraft, clearDraft] = useDraft<Draft>("dashboard.quick-add", {
    date: today(),
    amount: "",
    merchant: "",
    categoryId: "",
    accountId: "",
    kind: "expense",
  });
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [added, setAdded] = useState("");
  const add = useAddTransaction();
  const account = accounts.find((a) => a.accountId === draft.accountId) ?? fallbackAccount;
  const currency = account?.currency ?? "USD";
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const open = categories.filter((c) => !c.archived);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setAdded("");
    const amount = parseMoney(draft.amount, currency);
    const input = {
      date: draft.date,
      amount: amount ?? 0,
      type: draft.kind,
      ...(account ? { accountId: account.accountId } : {}),
      ...(draft.merchant.trim() ? { merchant: draft.merchant.trim() } : {}),
      ...(draft.categoryId ? { categoryId: draft.categoryId } : {}),
    };
    const checked = TransactionCreate.safeParse(input);
    const problems: Record<string, string> = {};
    if (amount === undefined) problems.amount = "must be an amount such as 12.50";
    if (!checked.success) for (const i of checked.error.issues) problems[i.path.join(".")] ??= i.message;
    setInvalid(problems);
    if (Object.keys(problems).length) return;
    add.mutate(input, {
      onSuccess: (t) => {
        const category = open.find((c) => c.categoryId === t.categoryId)?.name;
        setAdded(
          `Added ${t.merchant ?? KINDS.find((k) => k.value === t.type)?.label ?? "it"}: ${money(t.amount, currency)}` +
            `${category ? ` in ${category}` : ""} on ${dateLabel(t.date)}.`,
        );
        clearDraft();
        setDraft((d) => ({ ...d, amount: "", merchant: "", categoryId: "" }));
      },
    });
  };

  const message = (path: string) => invalid[path] ?? fieldError(add.error, path);
  const otherError = formError(add.error, ["amount", "date", "merchant", "categoryId", "accountId", "type"]);

  return (
    <section className="card quick-add" aria-labelledby="quick-add-heading">
      <h2 id="quick-add-heading">Add a transaction</h2>
      <form onSubmit={onSubmit} noValidate>
        <fieldset className="kind-choice">
          <legend>Kind</legend>
          {KINDS.map((k) => (
            <label key={k.value}>
              <input
                type="radio"
                name="quick-add-kind"
                value={k.value}
                checked={draft.kind === k.value}
                onChange={() => set("kind", k.value)}
              />{" "}
              {k.label}
            </label>
          ))}
        </fieldset>
        <div className="quick-add-fields">
          <InputField
            label="Amount"
            error={message("amount")}
            inputMode="decimal"
            autoComplete="off"
            value={draft.amount}
            onChange={(e) => set("amount", e.target.value)}
            required
          />
          <InputField
            label="Date"
            error={message("date")}
            {...(draft.date && !draft.date.startsWith(month)
              ? { hint: `In ${monthLabel(draft.date.slice(0, 7))}, not the month shown.` }
              : {})}
            type="date"
            value={draft.date}
            onChange={(e) => set("date", e.target.value)}
            required
          />
          <InputField
            label="Merchant"
            error={message("merchant")}
            autoComplete="off"
            value={draft.merchant}
            onChange={(e) => set("merchant", e.target.value)}
          />
          <Field label="Category" error={message("categoryId")}>
            {(p) => (
              <select {...p} value={draft.categoryId} onChange={(e) => set("categoryId", e.target.value)}>
                <option value="">Automatic</option>
                {open.map((c) => (
                  <option key={c.categoryId} value={c.categoryId}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Account" error={message("accountId")}>
            {(p) => (
              <select
                {...p}
                value={account?.accountId ?? ""}
                onChange={(e) => set("accountId", e.target.value)}
                disabled={accounts.length === 0}
              >
                {accounts.map((a) => (
                  <option key={a.accountId} value={a.accountId}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ErrorMessage error={otherError} />
        <button type="submit" className="primary" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add transaction"}
        </button>
        <p role="status" className="added">
          {added}
        </p>
      </form>
    </section>
  );
}
