import type { Recurring, RecurringSuggestionItem } from "@tyche/types";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { useAccounts, useCategories } from "../../api/queries";
import { useRecurring } from "../../api/recurring";
import { LoadFailed } from "../../ui/ErrorMessage";
import { currentMonth, isMonth } from "../../ui/format";
import { usePageTitle, useStatusLine } from "../../ui/page";
import { useDraft } from "../../ui/useDraft";
import { BillCalendar } from "./BillCalendar";
import { BillForm } from "./BillForm";
import { BillItem } from "./BillItem";
import { type BillDraft, blankBill, draftOfSuggestion } from "./form";
import { Suggestions } from "./Suggestions";
import { UpcomingList } from "./UpcomingList";
import { nextWords, scheduleWords } from "./words";
import "./recurring.css";

/**
 * Recurring bills (`/recurring`): the templates with their schedules in words and next dates;
 * adding, editing, pausing and deleting them; the calendar of a month; the bills of the next 30
 * days; and the recurring charges found in the history, to make into bills or dismiss.
 */
export default function RecurringPage() {
  const templates = useRecurring();
  const accounts = useAccounts();
  const categories = useCategories();
  const [params, setParams] = useSearchParams();
  const asked = params.get("month");
  // Kept here and mirrored in the address (so a reload keeps it): Page Up twice must go back two.
  const [month, setMonth] = useState(isMonth(asked) ? asked : currentMonth());
  const mirror = useRef(setParams);
  mirror.current = setParams;
  useEffect(() => {
    if ((params.get("month") ?? currentMonth()) === month) return;
    mirror.current(month === currentMonth() ? {} : { month }, { replace: true, preventScrollReset: true });
  }, [month, params]);

  const { say, line } = useStatusLine();
  usePageTitle("Recurring bills");

  const open = (accounts.data ?? []).filter((a) => !a.closed);
  const firstAccount = (open.find((a) => a.onBudget && a.type !== "credit-card") ?? open[0])?.accountId ?? "";
  const [draft, setDraft, clearDraft] = useDraft<BillDraft>("recurring.new", blankBill());
  // The first account is chosen for a new bill once the accounts are known.
  useEffect(() => {
    if (!draft.accountId && firstAccount)
      setDraft((d) => (d.accountId ? d : { ...d, accountId: firstAccount }));
  }, [draft.accountId, firstAccount, setDraft]);
  const [accepting, setAccepting] = useState<string>();
  const [accepted, setAccepted] = useState<ReadonlySet<string>>(new Set());
  const [focusForm, setFocusForm] = useState(0);

  const accept = (s: RecurringSuggestionItem) => {
    const currency = open.find((a) => a.accountId === s.accountId)?.currency ?? "USD";
    setDraft(draftOfSuggestion(s, currency));
    setAccepting(s.key);
    setFocusForm((n) => n + 1);
    say(`The form below is filled in from ${s.merchant}: check it, then add the bill.`);
  };
  const saved = (t: Recurring) => {
    clearDraft();
    setDraft(blankBill(firstAccount));
    if (accepting) setAccepted((set) => new Set([...set, accepting]));
    setAccepting(undefined);
    say(`${t.name} was added: ${scheduleWords(t.schedule).toLowerCase()}, next ${nextWords(t)}.`);
  };

  const list = templates.data ?? [];
  return (
    <div className="recurring-page">
      <div className="recurring-head">
        <h1>Recurring bills</h1>
        <a href="#add-bill">Add a bill</a>
      </div>
      {line}
      {templates.isPending ? (
        <p className="loading" role="status">
          Loading your bills…
        </p>
      ) : templates.isError ? (
        <div className="card">
          <h2>Your bills could not be loaded</h2>
          <LoadFailed query={templates} />
        </div>
      ) : (
        <div className="recurring-columns">
          <div className="recurring-main">
            {list.length === 0 ? (
              <section
                className="card recurring-empty"
                aria-labelledby="empty-heading"
                data-testid="bills-empty"
              >
                <h2 id="empty-heading">No bills yet</h2>
                <p>
                  Add your rent, subscriptions and card payments once, with when they recur, and Tyche posts
                  each one when it is due, shows what is coming and counts it in your budget.
                </p>
                <p>
                  <a href="#add-bill">Add your first bill</a>, or make one of the charges found in your
                  history into a bill.
                </p>
              </section>
            ) : (
              <section aria-labelledby="bills-heading">
                <h2 id="bills-heading">Your bills</h2>
                <ul className="bill-list">
                  {list.map((t) => (
                    <BillItem
                      key={t.recurringId}
                      template={t}
                      accounts={open}
                      categories={categories.data ?? []}
                      onDone={say}
                    />
                  ))}
                </ul>
              </section>
            )}
            {list.length > 0 && <BillCalendar templates={list} month={month} onMonth={setMonth} />}
          </div>
          <div className="recurring-side">
            {list.length > 0 && <UpcomingList accounts={open} />}
            <Suggestions accounts={open} templates={list} hidden={accepted} onAccept={accept} />
          </div>
        </div>
      )}
      <BillForm
        draft={draft}
        setDraft={setDraft}
        accounts={open}
        categories={categories.data ?? []}
        label="Add a bill"
        heading={<h2>Add a bill</h2>}
        focusKey={focusForm}
        onSaved={saved}
        {...(accepting
          ? {
              onCancel: () => {
                setAccepting(undefined);
                clearDraft();
                setDraft(blankBill(firstAccount));
              },
            }
          : {})}
      />
    </div>
  );
}
