import { useQueryClient } from "@tanstack/react-query";
import { addMonths } from "@tyche/core";
import type { Budget, Category } from "@tyche/types";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { fetchBudget, useCopyBudget, useSaveBudget } from "../../api/budgets";
import { ApiError } from "../../api/client";
import { keys } from "../../api/queries";
import { useAuth } from "../../auth/AuthProvider";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { InputField } from "../../ui/Field";
import { money, monthLabel } from "../../ui/format";
import { useDraft } from "../../ui/useDraft";
import { AllocationPie } from "./AllocationPie";
import { BudgetSummary } from "./BudgetSummary";
import { CategoryAllocation } from "./CategoryAllocation";
import { ConflictPanel } from "./ConflictPanel";
import {
  checkPlan,
  draftCopiedFrom,
  draftFrom,
  GROUP_LABELS,
  GROUPS,
  liveFigures,
  type PlanDraft,
  type Problems,
  placeProblems,
  planRows,
} from "./plan";

interface Conflict {
  /** The plan as stored now; null when it was archived meanwhile. */
  stored: Budget | null;
}

/**
 * One month's plan. What the person types is a draft (kept across reloads and an expired
 * session) until it is saved; the figures beside it are computed as the API computes them.
 */
export function PlanForm({
  month,
  budget,
  categories,
  unplannedSpending,
}: {
  month: string;
  budget: Budget | null;
  categories: readonly Category[];
  unplannedSpending: Readonly<Record<string, number>>;
}) {
  const queries = useQueryClient();
  const currency = budget?.currency ?? "USD";
  const previous = addMonths(month, -1);
  const rows = useMemo(
    () => planRows(categories, budget, unplannedSpending),
    [categories, budget, unplannedSpending],
  );
  const stored = useMemo(
    () => draftFrom(budget, rows, categories, currency),
    [budget, rows, categories, currency],
  );
  // Drafts are the user's own: someone else signing in on this tab never sees them.
  const owner = useAuth().user?.userId ?? "anyone";
  const [draft, setDraft, clearDraft] = useDraft<PlanDraft | null>(`budget.${owner}.${month}`, null);
  const form: PlanDraft = draft ? { ...draft, limits: { ...stored.limits, ...draft.limits } } : stored;
  const figures = liveFigures(form, rows, budget, unplannedSpending, currency);

  const save = useSaveBudget(month);
  const copy = useCopyBudget(month);
  const [attempted, setAttempted] = useState(false);
  const [serverProblems, setServerProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<unknown>();
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [notice, setNotice] = useState<string>();
  const [copyProblem, setCopyProblem] = useState<string>();
  const [focusInvalid, setFocusInvalid] = useState(0);

  const creating = form.baseVersion === null;
  const checked = checkPlan(form, rows, month, creating, currency);
  const problems: Problems = { ...(attempted && !checked.ok ? checked.problems : {}), ...serverProblems };
  const problemCount = Object.keys(problems).length;

  // After a refused save, the first field with a problem gets the focus.
  useEffect(() => {
    if (focusInvalid) document.querySelector<HTMLElement>('.budget-form [aria-invalid="true"]')?.focus();
  }, [focusInvalid]);

  const edit = (change: (d: PlanDraft) => PlanDraft) => {
    setNotice(undefined);
    setServerProblems({});
    setDraft((prev) => change(prev ? { ...prev, limits: { ...stored.limits, ...prev.limits } } : stored));
  };

  const forget = () => {
    clearDraft();
    setDraft(null);
    setAttempted(false);
    setServerProblems({});
    setFailure(undefined);
  };

  /** Saves the form over version `base` (null: as a new plan), as the person sees it now. */
  const submit = async (base: number | null) => {
    setAttempted(true);
    setNotice(undefined);
    setFailure(undefined);
    const check = checkPlan(form, rows, month, base === null, currency);
    if (!check.ok) {
      setFocusInvalid((n) => n + 1);
      return;
    }
    try {
      const saved = await save.mutateAsync(
        base === null
          ? { kind: "create", body: { month, ...check.body } }
          : { kind: "update", body: check.body, version: base },
      );
      forget();
      setConflict(null);
      setNotice(`Saved the plan for ${monthLabel(month)}.`);
      queries.setQueryData(keys.budget(month), saved);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 412 || (err.status === 409 && base === null))) {
        const now = await fetchBudget(month).catch(() => undefined);
        if (now !== undefined && (err.status === 412 || now !== null)) {
          // Pin the person's figures as a draft, so taking in the stored plan cannot replace them.
          setDraft({ ...form });
          queries.setQueryData(keys.budget(month), now);
          setConflict({ stored: now });
          return;
        }
      }
      if (err instanceof ApiError && err.problem.errors?.length) {
        const placed = placeProblems(err.problem.errors, rows, currency);
        setServerProblems(placed);
        if (placed.form) setFailure(err);
        setFocusInvalid((n) => n + 1);
        return;
      }
      setFailure(err);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(form.baseVersion);
  };

  const copyLastMonth = async () => {
    setNotice(undefined);
    setCopyProblem(undefined);
    const none = `${monthLabel(previous)} has no plan to copy.`;
    if (budget === null && !draft) {
      try {
        await copy.mutateAsync(previous);
        forget();
        setNotice(`Copied the plan of ${monthLabel(previous)} into ${monthLabel(month)} and saved it.`);
      } catch (err) {
        setCopyProblem(err instanceof ApiError && err.fieldError("copyFrom") ? none : messageOf(err));
      }
      return;
    }
    try {
      const source = await fetchBudget(previous);
      if (!source) {
        setCopyProblem(none);
        return;
      }
      edit(() => draftCopiedFrom(source, rows, form.baseVersion, currency));
      setNotice(`Filled in from the plan of ${monthLabel(previous)}. Review it, then save.`);
    } catch (err) {
      setCopyProblem(messageOf(err));
    }
  };

  const stale = draft && budget && draft.baseVersion !== null && draft.baseVersion !== budget.version;
  const busy = save.isPending || copy.isPending;

  return (
    <div className="budget-layout">
      <div className="budget-side">
        <BudgetSummary figures={figures} currency={currency} paidToDebt={budget?.paidToDebt} />
        <AllocationPie rows={rows} figures={figures} currency={currency} />
      </div>
      <form
        className="budget-form"
        onSubmit={onSubmit}
        noValidate
        aria-label={`Plan for ${monthLabel(month)}`}
      >
        {budget === null && (
          <p className="notice">
            {monthLabel(month)} has no plan yet. Set the income and a limit for each category, then save; or
            copy the plan of {monthLabel(previous)}.
          </p>
        )}
        {draft && !conflict && (
          <p className="notice">
            {stale
              ? "The stored plan changed in another tab or device since you began editing; saving will ask which to keep."
              : "You have unsaved changes. They are kept in this tab until you save or discard them."}
          </p>
        )}
        <div className="plan-tools">
          <button type="button" onClick={() => void copyLastMonth()} disabled={busy}>
            {copy.isPending ? "Copying…" : "Copy from last month"}
          </button>
          <span className="hint">
            {budget === null
              ? `Plans ${monthLabel(month)} with the income and limits of ${monthLabel(previous)}.`
              : `Fills the form with the plan of ${monthLabel(previous)}; nothing is saved until you save.`}
          </span>
        </div>
        {copyProblem && (
          <p role="alert" className="error">
            {copyProblem}
          </p>
        )}
        <p role="status" className="saved">
          {notice}
        </p>
        {conflict && (
          <ConflictPanel
            stored={conflict.stored}
            mine={figures}
            rows={rows}
            currency={currency}
            busy={save.isPending}
            onKeepMine={() => void submit(conflict.stored?.version ?? null)}
            onTakeStored={() => {
              forget();
              setConflict(null);
              setNotice("Showing the plan as it is stored now.");
            }}
          />
        )}

        <section className="card" aria-labelledby="income-heading">
          <h2 id="income-heading">Income</h2>
          <InputField
            label="Monthly income"
            error={problems.income}
            hint={
              budget && budget.actualIncome > 0
                ? `The income you plan for, in ${currency}. Received so far: ${money(budget.actualIncome, currency)}.`
                : `The income you plan for, in ${currency}.`
            }
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={form.income}
            onChange={(e) => {
              const income = e.target.value;
              edit((d) => ({ ...d, income }));
            }}
          />
        </section>

        <section className="card" aria-labelledby="allocations-heading">
          <h2 id="allocations-heading">Allocations</h2>
          {rows.length === 0 && <p className="muted">You have no categories to plan yet.</p>}
          {GROUPS.map((group) => {
            const inGroup = rows.filter((r) => r.group === group);
            if (inGroup.length === 0) return null;
            const subtotal = inGroup.reduce((sum, r) => sum + (figures.limits[r.categoryId] ?? 0), 0);
            return (
              <section key={group} className="allocation-group" aria-labelledby={`group-${group}`}>
                <div className="group-head">
                  <h3 id={`group-${group}`}>{GROUP_LABELS[group]}</h3>
                  <span className="muted amount">{money(subtotal, currency)}</span>
                </div>
                {inGroup.map((row) => (
                  <CategoryAllocation
                    key={row.categoryId}
                    row={row}
                    text={form.limits[row.categoryId] ?? ""}
                    cents={figures.limits[row.categoryId] ?? 0}
                    incomeCents={figures.totalIncome}
                    currency={currency}
                    error={problems[`limit:${row.categoryId}`] ?? problems[`category:${row.categoryId}`]}
                    onText={(text) =>
                      edit((d) => ({ ...d, limits: { ...d.limits, [row.categoryId]: text } }))
                    }
                  />
                ))}
              </section>
            );
          })}
        </section>

        <div className="form-actions">
          {problemCount > 0 && (
            <p role="alert" className="error">
              Not saved: {problemCount === 1 ? "one field needs" : `${problemCount} fields need`} attention
              (marked above).{problems.form ? ` ${problems.form}` : ""}
            </p>
          )}
          <ErrorMessage error={failure} />
          <button type="submit" className="primary" disabled={busy}>
            {save.isPending ? "Saving…" : "Save plan"}
          </button>
          {draft && (
            <button
              type="button"
              onClick={() => {
                forget();
                setConflict(null);
              }}
              disabled={busy}
            >
              Discard changes
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail ?? err.problem.title;
  return err instanceof Error ? err.message : String(err);
}
