import type { Account, Category, RecurringKind } from "@tyche/types";
import { useId } from "react";
import { Field, InputField } from "../../ui/Field";
import type { BillDraft, Frequency, MonthlyOn } from "./form";
import { KIND_LABELS, monthName, POSITIONS, WEEKDAY_TOKENS, weekdayName } from "./words";

const FREQUENCIES: { value: Frequency; label: string; unit: string }[] = [
  { value: "weekly", label: "Weekly", unit: "weeks" },
  { value: "monthly", label: "Monthly", unit: "months" },
  { value: "yearly", label: "Yearly", unit: "years" },
];

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/**
 * The fields of a bill, shared by adding and editing one: what it is (name, amount, kind, accounts,
 * category, merchant), when it recurs (the schedule builder) and how it is posted. `message(path)`
 * gives the error for a field by the API's own path.
 */
export function BillFields({
  draft,
  set,
  message,
  accounts,
  categories,
  currency,
}: {
  draft: BillDraft;
  set: <K extends keyof BillDraft>(key: K, value: BillDraft[K]) => void;
  message: (path: string) => string | undefined;
  accounts: readonly Account[];
  categories: readonly Category[];
  currency: string;
}) {
  const id = useId();
  const transfer = draft.kind === "transfer";
  const unit = FREQUENCIES.find((f) => f.value === draft.frequency)?.unit ?? "months";
  // A bill's account closed since stays chosen (and named so) rather than silently becoming another.
  const missing = (id: string) => id !== "" && !accounts.some((a) => a.accountId === id);
  const usable = categories.filter((c) => !c.archived || c.categoryId === draft.categoryId);
  const weekdaysError = message("schedule.byWeekday");
  const weekdaysErrorId = `${id}-weekdays-error`;
  const onError = draft.frequency !== "weekly" && draft.on === "weekday" ? weekdaysError : undefined;
  const scheduleError =
    message("schedule.rrule") ?? message("schedule.shortMonths") ?? message("schedule.count");
  return (
    <>
      <fieldset className="bill-group">
        <legend>The bill</legend>
        <div className="bill-grid">
          <InputField
            label="Name"
            error={message("name")}
            hint="Such as Rent or Netflix"
            value={draft.name}
            onChange={(e) => set("name", e.target.value)}
            autoComplete="off"
          />
          <InputField
            label="Amount"
            error={message("amount")}
            hint={`In ${currency}`}
            inputMode="decimal"
            value={draft.amount}
            onChange={(e) => set("amount", e.target.value)}
            autoComplete="off"
          />
        </div>
        <fieldset className="bill-choice">
          <legend>Kind</legend>
          <div className="choice">
            {(Object.keys(KIND_LABELS) as RecurringKind[]).map((k) => (
              <label key={k}>
                <input
                  type="radio"
                  name={`${id}-kind`}
                  checked={draft.kind === k}
                  onChange={() => set("kind", k)}
                />{" "}
                {KIND_LABELS[k]}
              </label>
            ))}
          </div>
          {message("kind") && <p className="field-error">{message("kind")}</p>}
        </fieldset>
        <div className="bill-grid">
          <Field
            label={transfer ? "From account" : draft.kind === "income" ? "Into account" : "Account"}
            error={message("accountId")}
          >
            {(p) => (
              <select {...p} value={draft.accountId} onChange={(e) => set("accountId", e.target.value)}>
                {!draft.accountId && <option value="">Choose an account</option>}
                {missing(draft.accountId) && <option value={draft.accountId}>A closed account</option>}
                {accounts.map((a) => (
                  <option key={a.accountId} value={a.accountId}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {transfer && (
            <Field label="To account" error={message("toAccountId")} hint="A card payment goes to the card">
              {(p) => (
                <select {...p} value={draft.toAccountId} onChange={(e) => set("toAccountId", e.target.value)}>
                  <option value="">Choose an account</option>
                  {missing(draft.toAccountId) && <option value={draft.toAccountId}>A closed account</option>}
                  {accounts
                    .filter((a) => a.accountId !== draft.accountId)
                    .map((a) => (
                      <option key={a.accountId} value={a.accountId}>
                        {a.name}
                      </option>
                    ))}
                </select>
              )}
            </Field>
          )}
          {!transfer && (
            <Field label="Category" error={message("categoryId")}>
              {(p) => (
                <select {...p} value={draft.categoryId} onChange={(e) => set("categoryId", e.target.value)}>
                  <option value="">None: chosen when posted</option>
                  {usable.map((c) => (
                    <option key={c.categoryId} value={c.categoryId}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <InputField
            label="Merchant (optional)"
            error={message("merchant")}
            hint="As the bank writes it"
            value={draft.merchant}
            onChange={(e) => set("merchant", e.target.value)}
            autoComplete="off"
          />
        </div>
      </fieldset>

      <fieldset className="bill-group">
        <legend>When it recurs</legend>
        <div className="bill-grid">
          <Field label="Frequency" error={message("schedule.frequency")}>
            {(p) => (
              <select
                {...p}
                value={draft.frequency}
                onChange={(e) => set("frequency", e.target.value as Frequency)}
              >
                {FREQUENCIES.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <InputField
            label={`Every how many ${unit}`}
            error={message("schedule.interval")}
            hint={`1 for every one, 2 for every other one`}
            inputMode="numeric"
            value={draft.interval}
            onChange={(e) => set("interval", e.target.value)}
            autoComplete="off"
          />
          {draft.frequency === "yearly" && (
            <Field label="Month" error={message("schedule.byMonth")}>
              {(p) => (
                <select {...p} value={draft.month} onChange={(e) => set("month", e.target.value)}>
                  {MONTHS.map((m) => (
                    <option key={m} value={String(m)}>
                      {monthName(m)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </div>
        {draft.frequency === "weekly" ? (
          <fieldset className="bill-choice">
            <legend>On</legend>
            <div className="choice weekdays">
              {WEEKDAY_TOKENS.map((w) => (
                <label key={w}>
                  <input
                    type="checkbox"
                    checked={draft.weekdays.includes(w)}
                    aria-invalid={Boolean(weekdaysError)}
                    {...(weekdaysError ? { "aria-describedby": weekdaysErrorId } : {})}
                    onChange={(e) =>
                      set(
                        "weekdays",
                        e.target.checked ? [...draft.weekdays, w] : draft.weekdays.filter((d) => d !== w),
                      )
                    }
                  />{" "}
                  {weekdayName(w)}
                </label>
              ))}
            </div>
            {weekdaysError && (
              <p id={weekdaysErrorId} className="field-error">
                {weekdaysError}
              </p>
            )}
          </fieldset>
        ) : (
          <fieldset className="bill-choice">
            <legend>On</legend>
            <div className="choice">
              {(
                [
                  ["day", "A day of the month"],
                  ["last", "The last day of the month"],
                  ["weekday", "A weekday of the month"],
                ] as [MonthlyOn, string][]
              ).map(([value, label]) => (
                <label key={value}>
                  <input
                    type="radio"
                    name={`${id}-on`}
                    checked={draft.on === value}
                    onChange={() => set("on", value)}
                  />{" "}
                  {label}
                </label>
              ))}
            </div>
            <div className="bill-grid">
              {draft.on === "day" && (
                <InputField
                  label="Day of the month"
                  error={message("schedule.byMonthDay")}
                  hint="1 to 31; a shorter month takes its last day"
                  inputMode="numeric"
                  value={draft.monthDay}
                  onChange={(e) => set("monthDay", e.target.value)}
                  autoComplete="off"
                />
              )}
              {draft.on === "last" && message("schedule.byMonthDay") && (
                <p className="field-error">{message("schedule.byMonthDay")}</p>
              )}
              {draft.on === "weekday" && (
                <>
                  <Field label="Which one" error={onError}>
                    {(p) => (
                      <select {...p} value={draft.position} onChange={(e) => set("position", e.target.value)}>
                        {POSITIONS.map((pos) => (
                          <option key={pos.value} value={pos.value}>
                            {pos.label}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field label="Weekday">
                    {(p) => (
                      <select {...p} value={draft.weekday} onChange={(e) => set("weekday", e.target.value)}>
                        {WEEKDAY_TOKENS.map((w) => (
                          <option key={w} value={w}>
                            {weekdayName(w)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                </>
              )}
            </div>
          </fieldset>
        )}
        <div className="bill-grid">
          <InputField
            label="Start date"
            error={message("schedule.startDate")}
            hint="The first day it may fall on"
            type="date"
            value={draft.startDate}
            onChange={(e) => set("startDate", e.target.value)}
          />
          <InputField
            label="End date (optional)"
            error={message("schedule.endDate")}
            hint={
              draft.count && !draft.endDate
                ? `Ends after ${draft.count} in all`
                : "The last day it may fall on"
            }
            type="date"
            value={draft.endDate}
            onChange={(e) => set("endDate", e.target.value)}
          />
        </div>
        {scheduleError && <p className="field-error">{scheduleError}</p>}
      </fieldset>

      <fieldset className="bill-group">
        <legend>Posting</legend>
        <div className="bill-grid">
          <div className="field checkbox-field">
            <label>
              <input
                type="checkbox"
                checked={draft.autoPost}
                onChange={(e) => set("autoPost", e.target.checked)}
              />{" "}
              Post it by itself when due
            </label>
            <span className="hint">Off: a reminder in upcoming bills, which you record yourself.</span>
            {message("autoPost") && <span className="field-error">{message("autoPost")}</span>}
          </div>
          <InputField
            label="Match tolerance"
            error={message("matchTolerance")}
            hint="How far the bank's amount may differ and still be this bill"
            inputMode="decimal"
            value={draft.matchTolerance}
            onChange={(e) => set("matchTolerance", e.target.value)}
            autoComplete="off"
          />
        </div>
      </fieldset>
    </>
  );
}
