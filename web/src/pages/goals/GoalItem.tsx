import type { Category, Goal, GoalStatus } from "@tyche/types";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { useContribute, useDeleteGoal, useGoalContributions, useUpdateGoal } from "../../api/goals";
import { Confirm } from "../../ui/Confirm";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { InputField } from "../../ui/Field";
import { FormButtons } from "../../ui/FormButtons";
import { fullDate, money, monthLabel, plural, signedMoney, today } from "../../ui/format";
import { useModes } from "../../ui/useModes";
import { useRefusalFocus } from "../../ui/useRefusalFocus";
import { GoalFields } from "./GoalFields";
import { GoalProgress } from "./GoalProgress";
import {
  type ContributionDraft,
  checkContribution,
  checkUpdate,
  draftOf,
  GOAL_FIELDS,
  type GoalDraft,
} from "./goal-form";
import {
  dayOf,
  monthlyWords,
  PRIORITY_LABELS,
  percentLabel,
  progressWords,
  STATUS_LABELS,
  trackOf,
} from "./words";

/** Said when a write was refused because the goal changed elsewhere (a stale If-Match). */
export const CONFLICT =
  "This goal was changed elsewhere (in another tab or on another device) since it was shown here. " +
  "It has been reloaded with those changes: check it, then try again.";

/** A write's error in words: a conflict as CONFLICT, anything else as the API said it. */
function WriteError({ error, extra = "" }: { error: unknown; extra?: string }) {
  if (!error) return null;
  if (!isConflict(error)) return <ErrorMessage error={error} />;
  return (
    <p role="alert" className="error" data-testid="conflict">
      {CONFLICT}
      {extra}
    </p>
  );
}

const isConflict = (err: unknown) => err instanceof ApiError && err.status === 412;

/** The status changes a goal offers, as buttons: what each is called and what it sets. */
function statusActions(goal: Goal): { label: string; status: GoalStatus; done: string }[] {
  const reached = goal.currentAmount >= goal.targetAmount;
  switch (goal.status) {
    case "active":
      return [
        { label: "Pause", status: "paused", done: `${goal.name} is paused.` },
        { label: "Mark completed", status: "completed", done: `${goal.name} is marked completed.` },
        {
          label: "Cancel goal",
          status: "cancelled",
          done: `${goal.name} is cancelled; its history is kept.`,
        },
      ];
    case "paused":
      return [
        { label: "Resume", status: "active", done: `${goal.name} is active again.` },
        { label: "Mark completed", status: "completed", done: `${goal.name} is marked completed.` },
        {
          label: "Cancel goal",
          status: "cancelled",
          done: `${goal.name} is cancelled; its history is kept.`,
        },
      ];
    case "completed":
      // A goal that holds its target stays completed; raising its target (Edit) sets it going again.
      return reached ? [] : [{ label: "Reopen", status: "active", done: `${goal.name} is active again.` }];
    case "cancelled":
      return [
        reached
          ? { label: "Mark completed", status: "completed", done: `${goal.name} is marked completed.` }
          : { label: "Reopen", status: "active", done: `${goal.name} is active again.` },
      ];
  }
}

/**
 * One goal: its progress in words and as a bar, whether it is on track, what to save monthly and
 * when it is reached at the recent pace, its milestones; contributing, editing, pausing, resuming,
 * cancelling or deleting it.
 */
export function GoalItem({
  goal,
  categories,
  stays,
  onDone,
}: {
  goal: Goal;
  categories: readonly Category[];
  /** Whether the goal, as a write left it, is still in the list shown. */
  stays: (goal: Goal) => boolean;
  /** Says what happened on the page; `focus` when the goal may be gone from the list. */
  onDone: (message: string, focus?: boolean) => void;
}) {
  const { mode, setMode, button } = useModes<"contribute" | "edit" | "confirm-delete">();
  // What happened to this goal, said beside it (a contribution, an edit).
  const [said, setSaid] = useState("");
  const open = (next: typeof mode) => () => {
    setSaid("");
    setMode(next);
  };
  const close = (message?: string) => {
    setMode("view");
    if (message) setSaid(message);
  };
  const update = useUpdateGoal();
  const headingId = `goal-${goal.goalId}`;
  const track = trackOf(goal);
  const category = goal.categoryId ? categories.find((c) => c.categoryId === goal.categoryId) : undefined;
  const custom = new Set(goal.customMilestones);
  const setStatus = (status: GoalStatus, done: string) =>
    // The goal may leave the list shown (a filter by status): the page says what happened.
    update.mutateAsync({ goal, patch: { status } }).then(
      () => onDone(done, true),
      () => undefined,
    );
  /** After a contribution or an edit: said beside the goal, or on the page when it left the list. */
  const saved = (after: Goal, message: string) => {
    if (stays(after)) close(message);
    else {
      setMode("view");
      onDone(message, true);
    }
  };

  return (
    <li className={`card goal-card goal-${goal.status}`} data-testid="goal">
      <div className="goal-head">
        <h3 id={headingId}>{goal.name}</h3>
        <p className="goal-meta muted">
          <span data-testid="status">{STATUS_LABELS[goal.status]}</span> · Priority{" "}
          {PRIORITY_LABELS[goal.priority] ?? goal.priority}
          {category && <> · Saves through {category.name}</>}
        </p>
      </div>
      <GoalProgress goal={goal} ticks={goal.milestones.map((m) => m.percent)} />
      <p className="goal-track">
        <strong className={`badge track-${track.level}`} data-testid="track">
          {track.level === "on" || track.level === "done" ? "✓ " : ""}
          {track.label}
        </strong>{" "}
        <span data-testid="track-detail">{track.detail}</span>
      </p>
      <dl className="facts goal-facts">
        <div>
          <dt>To save</dt>
          <dd data-testid="required-monthly">{monthlyWords(goal)}</dd>
        </div>
        <div>
          <dt>Still to go</dt>
          <dd data-testid="remaining">{money(goal.remaining, goal.currency)}</dd>
        </div>
        <div>
          <dt>Target date</dt>
          <dd data-testid="target-date">
            {fullDate(goal.targetDate)}
            {goal.status !== "completed" && goal.status !== "cancelled" && (
              <span className="muted">
                {" "}
                ({goal.monthsLeft === 0 ? "passed" : `${plural(goal.monthsLeft, "month")} left`})
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Projected completion</dt>
          <dd data-testid="projected">
            {goal.projectedCompletion
              ? monthLabel(goal.projectedCompletion)
              : goal.status === "completed"
                ? "Reached"
                : goal.status === "cancelled"
                  ? "None: cancelled"
                  : "No projection yet"}
          </dd>
        </div>
        <div>
          <dt>Recent pace</dt>
          <dd data-testid="pace">
            {goal.averageMonthly === null
              ? "None yet"
              : `${money(goal.averageMonthly, goal.currency)} a month`}
          </dd>
        </div>
      </dl>
      <div className="goal-milestones">
        <h4>Milestones</h4>
        <ol className="milestones">
          {goal.milestones.map((m) => (
            <li
              key={m.percent}
              className={m.reachedAt ? "reached" : undefined}
              data-testid={`milestone-${m.percent}`}
            >
              <span className="milestone-mark" aria-hidden="true">
                {m.reachedAt ? "✓" : "○"}
              </span>
              <span>
                <strong>{percentLabel(m.percent)}</strong>
                {custom.has(m.percent) && <span className="muted"> (yours)</span>}
                {" · "}
                {money(Math.ceil((goal.targetAmount * m.percent) / 100), goal.currency)}:{" "}
                {m.reachedAt ? `reached ${dayOf(m.reachedAt)}` : "not reached yet"}
              </span>
            </li>
          ))}
        </ol>
      </div>
      <p role="status" className="goal-said">
        {said}
      </p>
      {mode === "contribute" ? (
        <ContributionForm goal={goal} onClose={close} onSaved={saved} />
      ) : mode === "edit" ? (
        <EditGoal goal={goal} categories={categories} onClose={close} onSaved={saved} />
      ) : mode === "confirm-delete" ? (
        <ConfirmDelete
          goal={goal}
          onClose={() => setMode("view")}
          onDone={(message) => {
            setMode("view");
            onDone(message, true);
          }}
        />
      ) : (
        <>
          {goal.status === "cancelled" && (
            <p className="hint">A cancelled goal takes no contributions: reopen it to save for it again.</p>
          )}
          {goal.status === "completed" && goal.currentAmount >= goal.targetAmount && (
            <p className="hint">
              To save on toward more, raise its target with Edit: it becomes active again.
            </p>
          )}
          <div className="button-row">
            {goal.status !== "cancelled" && (
              <button
                ref={button("contribute")}
                type="button"
                className="primary"
                onClick={open("contribute")}
                aria-describedby={headingId}
              >
                Add or take out money
              </button>
            )}
            <button ref={button("edit")} type="button" onClick={open("edit")} aria-describedby={headingId}>
              Edit
            </button>
            {statusActions(goal).map((a) => (
              <button
                key={a.status}
                type="button"
                disabled={update.isPending}
                aria-describedby={headingId}
                onClick={() => setStatus(a.status, a.done)}
              >
                {a.label}
              </button>
            ))}
            <button
              ref={button("confirm-delete")}
              type="button"
              onClick={open("confirm-delete")}
              aria-describedby={headingId}
            >
              Delete
            </button>
          </div>
          <WriteError error={update.error} />
        </>
      )}
      {goal.contributionCount > 0 && <History goal={goal} />}
    </li>
  );
}

const newKey = () => crypto.randomUUID();

const blankContribution = (): ContributionDraft => ({ direction: "in", amount: "", date: today(), note: "" });

function ContributionForm({
  goal,
  onClose,
  onSaved,
}: {
  goal: Goal;
  onClose: () => void;
  onSaved: (after: Goal, message: string) => void;
}) {
  const [draft, setDraft] = useState<ContributionDraft>(blankContribution);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  // One key per contribution: a second click or a retry of the same one is recorded once.
  const [key, setKey] = useState(newKey);
  const contribute = useContribute();
  const { form, refused } = useRefusalFocus();
  const set = <K extends keyof ContributionDraft>(k: K, v: ContributionDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    // Another contribution: another key.
    setKey(newKey());
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkContribution(draft, goal);
    setInvalid(checked.ok ? {} : checked.problems);
    if (!checked.ok) {
      refused();
      return;
    }
    // mutateAsync: its answer is handled even when the goal leaves the list shown.
    contribute
      .mutateAsync({ goal, contribution: checked.value, key })
      .then(({ contribution: c, goal: after }) => {
        setKey(newKey());
        const reached = c.milestonesReached.map(percentLabel);
        onSaved(
          after,
          [
            c.amount > 0
              ? `Put ${money(c.amount, after.currency)} into ${after.name} on ${fullDate(c.date)}.`
              : `Took ${money(-c.amount, after.currency)} out of ${after.name} on ${fullDate(c.date)}.`,
            `It holds ${progressWords(after)} now.`,
            reached.length === 1 ? `Milestone reached: ${reached[0]}.` : "",
            reached.length > 1 ? `Milestones reached: ${reached.join(", ")}.` : "",
            after.status === "completed" && goal.status !== "completed" ? "The goal is completed!" : "",
          ]
            .filter(Boolean)
            .join(" "),
        );
      }, refused);
  };
  const message = (path: string) => invalid[path] ?? fieldError(contribute.error, path);
  const otherError = formError(contribute.error, ["amount", "date", "note"]);
  return (
    <form
      ref={form}
      className="goal-inline-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`Add or take out money: ${goal.name}`}
    >
      <fieldset className="choice-group">
        <legend>Money</legend>
        <div className="choice">
          <label>
            <input
              type="radio"
              name={`${goal.goalId}-direction`}
              checked={draft.direction === "in"}
              onChange={() => set("direction", "in")}
            />{" "}
            Put in
          </label>
          <label>
            <input
              type="radio"
              name={`${goal.goalId}-direction`}
              checked={draft.direction === "out"}
              onChange={() => set("direction", "out")}
            />{" "}
            Take out
          </label>
        </div>
      </fieldset>
      <div className="goal-form-grid">
        <InputField
          label="Amount"
          error={message("amount")}
          hint={
            goal.requiredMonthly
              ? `To stay on track: ${money(goal.requiredMonthly, goal.currency)} a month`
              : `It holds ${money(goal.currentAmount, goal.currency)}`
          }
          inputMode="decimal"
          value={draft.amount}
          onChange={(e) => set("amount", e.target.value)}
          autoComplete="off"
          // The form opens on request, and its first field is where the user goes.
          autoFocus
        />
        <InputField
          label="Date"
          error={message("date")}
          type="date"
          value={draft.date}
          onChange={(e) => set("date", e.target.value)}
        />
        <InputField
          label="Note (optional)"
          error={message("note")}
          value={draft.note}
          onChange={(e) => set("note", e.target.value)}
          autoComplete="off"
          maxLength={500}
        />
      </div>
      <ErrorMessage error={otherError} />
      <FormButtons
        label="Record"
        busy="Recording…"
        pending={contribute.isPending}
        onCancel={() => onClose()}
      />
    </form>
  );
}

function EditGoal({
  goal,
  categories,
  onClose,
  onSaved,
}: {
  goal: Goal;
  categories: readonly Category[];
  onClose: () => void;
  onSaved: (after: Goal, message: string) => void;
}) {
  const [draft, setDraft] = useState<GoalDraft>(() => draftOf(goal));
  // The goal as the form was filled from: when it changes elsewhere (a 412 reloads it), each field
  // the user did not touch takes the new value, each one they changed keeps what they typed.
  const base = useRef<{ version: number; draft: GoalDraft }>({ version: goal.version, draft: draftOf(goal) });
  useEffect(() => {
    if (goal.version === base.current.version) return;
    const was = base.current.draft;
    const now = draftOf(goal);
    setDraft((d) => {
      const merged = { ...d };
      for (const k of Object.keys(now) as (keyof GoalDraft)[])
        if (d[k] === was[k]) (merged as Record<string, unknown>)[k] = now[k];
      return merged;
    });
    base.current = { version: goal.version, draft: now };
  }, [goal]);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const update = useUpdateGoal();
  const { form, refused } = useRefusalFocus();
  // The form opens with its first field in focus.
  useEffect(() => {
    form.current?.querySelector<HTMLElement>("input")?.focus();
  }, [form]);
  const set = <K extends keyof GoalDraft>(key: K, value: GoalDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkUpdate(draft, goal);
    setInvalid(checked.ok ? {} : checked.problems);
    if (!checked.ok) {
      refused();
      return;
    }
    // `goal` is the goal as listed now: after a 412 the reloaded one, at its new version.
    update.mutateAsync({ goal, patch: checked.value }).then(
      (saved) =>
        onSaved(
          saved,
          saved.status === "completed" && goal.status !== "completed"
            ? `${saved.name} was saved; it holds its target, so it is completed.`
            : goal.status === "completed" && saved.status === "active"
              ? `${saved.name} was saved; its target is beyond what it holds, so it is active again.`
              : `${saved.name} was saved.`,
        ),
      (err) => {
        if (!isConflict(err)) refused();
      },
    );
  };
  const message = (path: string) => invalid[path] ?? fieldError(update.error, path);
  const conflict = isConflict(update.error);
  const otherError = conflict ? undefined : formError(update.error, GOAL_FIELDS);
  const shownCategories = categories.filter((c) => !c.archived || c.categoryId === goal.categoryId);
  return (
    <form
      ref={form}
      className="goal-inline-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`Edit ${goal.name}`}
    >
      <GoalFields draft={draft} set={set} message={message} categories={shownCategories} creating={false} />
      <p className="hint">What the goal holds moves only by adding or taking out money.</p>
      {conflict && <WriteError error={update.error} extra=" What you changed in this form is kept." />}
      <ErrorMessage error={otherError} />
      <FormButtons label="Save goal" busy="Saving…" pending={update.isPending} onCancel={() => onClose()} />
    </form>
  );
}

function ConfirmDelete({
  goal,
  onClose,
  onDone,
}: {
  goal: Goal;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const remove = useDeleteGoal();
  return (
    <Confirm
      question={`Delete ${goal.name}${
        goal.contributionCount > 0 ? ` and its ${plural(goal.contributionCount, "contribution")}` : ""
      }? This cannot be undone. To keep its history, cancel the goal instead.`}
      error={<WriteError error={remove.error} />}
      pending={remove.isPending}
      no="Keep it"
      onYes={() =>
        remove.mutateAsync(goal).then(
          () => onDone(`${goal.name} was deleted.`),
          () => undefined,
        )
      }
      onNo={onClose}
    />
  );
}

/** The goal's latest contributions, read when opened. */
function History({ goal }: { goal: Goal }) {
  const [open, setOpen] = useState(false);
  const list = useGoalContributions(goal.goalId, open);
  return (
    <details className="goal-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>History ({plural(goal.contributionCount, "contribution")})</summary>
      {list.isPending ? (
        <p className="loading">Loading…</p>
      ) : list.isError ? (
        <ErrorMessage error={list.error} />
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="sr-only">Contributions to {goal.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col" className="amount">
                  Amount
                </th>
                <th scope="col" className="amount">
                  Then held
                </th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.contributionId}>
                  <td>{fullDate(c.date)}</td>
                  <td className="amount">{signedMoney(c.amount, goal.currency)}</td>
                  <td className="amount">{money(c.balanceAfter, goal.currency)}</td>
                  <td>
                    {c.note}
                    {c.milestonesReached.length > 0 && (
                      <span className="muted">
                        {c.note ? " · " : ""}reached {c.milestonesReached.map(percentLabel).join(", ")}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.nextCursor && <p className="hint">The {list.data.items.length} latest are shown.</p>}
        </div>
      )}
    </details>
  );
}
