import type { Category } from "@tyche/types";
import { Field, InputField } from "../../ui/Field";
import type { GoalDraft } from "./goal-form";
import { PRIORITY_LABELS } from "./words";

/**
 * The fields of a goal, shared by creating one and editing one: its name, what to save and by
 * when, its priority, the category it saves through and its own milestones. What is already saved
 * is asked only when creating (afterwards contributions move it).
 */
export function GoalFields({
  draft,
  set,
  message,
  categories,
  creating,
}: {
  draft: GoalDraft;
  set: <K extends keyof GoalDraft>(key: K, value: GoalDraft[K]) => void;
  message: (path: string) => string | undefined;
  /** The categories a goal may be linked to (active ones, and the one it is linked to now). */
  categories: readonly Category[];
  creating: boolean;
}) {
  return (
    <div className="goal-fields">
      <InputField
        label="Goal name"
        error={message("name")}
        hint="Such as Holiday or Emergency fund"
        value={draft.name}
        onChange={(e) => set("name", e.target.value)}
        autoComplete="off"
      />
      <InputField
        label="Target amount"
        error={message("targetAmount")}
        hint="What to save, such as 5000"
        inputMode="decimal"
        value={draft.target}
        onChange={(e) => set("target", e.target.value)}
        autoComplete="off"
      />
      {creating && (
        <InputField
          label="Already saved (optional)"
          error={message("currentAmount")}
          hint="What you have put aside so far"
          inputMode="decimal"
          value={draft.saved}
          onChange={(e) => set("saved", e.target.value)}
          autoComplete="off"
        />
      )}
      <InputField
        label="Target date"
        error={message("targetDate")}
        hint="The day to have it by"
        type="date"
        value={draft.targetDate}
        onChange={(e) => set("targetDate", e.target.value)}
      />
      <Field label="Priority" error={message("priority")}>
        {(p) => (
          <select {...p} value={draft.priority} onChange={(e) => set("priority", e.target.value)}>
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={String(n)}>
                {PRIORITY_LABELS[n]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Linked category (optional)"
        error={message("categoryId")}
        hint="A budget category the goal saves through"
      >
        {(p) => (
          <select {...p} value={draft.categoryId} onChange={(e) => set("categoryId", e.target.value)}>
            <option value="">None</option>
            {categories.map((c) => (
              <option key={c.categoryId} value={c.categoryId}>
                {c.name}
                {c.archived ? " (archived)" : ""}
              </option>
            ))}
          </select>
        )}
      </Field>
      <InputField
        label="Your own milestones (optional)"
        error={message("customMilestones")}
        hint="Percentages to mark besides 25, 50, 75 and 100, such as 10, 90"
        inputMode="numeric"
        value={draft.milestones}
        onChange={(e) => set("milestones", e.target.value)}
        autoComplete="off"
      />
      {creating && (
        <div className="field checkbox-field">
          <label>
            <input type="checkbox" checked={draft.paused} onChange={(e) => set("paused", e.target.checked)} />{" "}
            Start paused
          </label>
          <span className="hint">A paused goal is kept and assessed, but not being saved for now.</span>
        </div>
      )}
    </div>
  );
}
