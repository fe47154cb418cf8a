import type { Category, Goal } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { useCreateGoal } from "../../api/goals";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { useDraft } from "../../ui/useDraft";
import { useRefusalFocus } from "../../ui/useRefusalFocus";
import { GoalFields } from "./GoalFields";
import { blankGoal, checkCreate, GOAL_FIELDS, type GoalDraft } from "./goal-form";

/** Creates a goal: checked with the API's own schema, then the API's field errors beside each field. */
export function NewGoalForm({
  categories,
  onCreated,
}: {
  categories: readonly Category[];
  onCreated: (goal: Goal) => void;
}) {
  const [draft, setDraft, clearDraft] = useDraft<GoalDraft>("goal.new", blankGoal());
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useCreateGoal();
  const { form, refused } = useRefusalFocus();
  const set = <K extends keyof GoalDraft>(key: K, value: GoalDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkCreate(draft);
    setInvalid(checked.ok ? {} : checked.problems);
    if (!checked.ok) {
      refused();
      return;
    }
    create.mutate(checked.value, {
      onSuccess: (goal) => {
        clearDraft();
        setDraft(blankGoal());
        onCreated(goal);
      },
      onError: refused,
    });
  };

  const message = (path: string) => invalid[path] ?? fieldError(create.error, path);
  const otherError = formError(create.error, GOAL_FIELDS);

  return (
    <form
      ref={form}
      id="new-goal"
      className="card goal-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="new-goal-heading"
    >
      <h2 id="new-goal-heading">Create a goal</h2>
      <GoalFields draft={draft} set={set} message={message} categories={categories} creating />
      <ErrorMessage error={otherError} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create goal"}
      </button>
    </form>
  );
}
