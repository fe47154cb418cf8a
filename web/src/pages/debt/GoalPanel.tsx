import { addMonths } from "@tyche/core";
import type { DebtGoal } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { useDebtGoal, useDeleteDebtGoal, useSaveDebtGoal } from "../../api/debt";
import { ErrorMessage, fieldError, LoadFailed } from "../../ui/ErrorMessage";
import { Field, InputField } from "../../ui/Field";
import { isMonth, money, monthLabel } from "../../ui/format";
import { type PlanStrategy, STRATEGIES } from "./words";

/** The strategies a goal can take: those for which the API's required monthly amount is the least that meets it. */
const GOAL_STRATEGIES = ["avalanche", "snowball"] as const;
type GoalStrategy = (typeof GOAL_STRATEGIES)[number];
const isGoalStrategy = (s: string): s is GoalStrategy => (GOAL_STRATEGIES as readonly string[]).includes(s);

/** Whether the plan meets the goal, and if not what monthly amount would, in words. */
export function goalWords(goal: DebtGoal, currency: string): string[] {
  const target = monthLabel(goal.targetMonth);
  const strategy = STRATEGIES[goal.strategy].label;
  const amount = money(goal.monthlyAmount, currency);
  const out: string[] = [];
  if (goal.meetsTarget)
    out.push(
      `On track: with ${amount} a month, ${strategy} is debt-free by ${monthLabel(
        goal.planDebtFreeMonth ?? goal.targetMonth,
      )}, in time for ${target}.`,
    );
  else
    out.push(
      goal.planDebtFreeMonth
        ? `Not on track: with ${amount} a month, ${strategy} gets there in ${monthLabel(goal.planDebtFreeMonth)}, after ${target}.`
        : `Not on track: with ${amount} a month, ${strategy} never gets to debt-free.`,
    );
  if (!goal.meetsTarget)
    out.push(
      goal.requiredMonthly === null
        ? `No monthly amount can make it: ${target} has already passed. Choose a later month.`
        : `To be debt-free by ${target}, pay ${money(goal.requiredMonthly, currency)} a month${
            goal.extraNeeded ? `: ${money(goal.extraNeeded, currency)} more than now` : ""
          }.`,
    );
  return out;
}

/** The month to be debt-free by: set it, and see whether the plan gets there and what would. */
export function GoalPanel({
  month,
  strategy,
  currency,
}: {
  month: string;
  strategy: PlanStrategy;
  currency: string;
}) {
  const goal = useDebtGoal();
  return (
    <section className="card goal" aria-labelledby="goal-heading" data-testid="goal">
      <h2 id="goal-heading">Debt-free goal</h2>
      {goal.isPending ? (
        <p className="loading" role="status">
          Loading your goal…
        </p>
      ) : goal.isError ? (
        <LoadFailed query={goal} />
      ) : (
        <>
          {goal.data ? (
            <div className="goal-assessment" data-testid="goal-assessment">
              <p>
                <strong>Debt-free by {monthLabel(goal.data.targetMonth)}</strong>
                <span className="muted">
                  {" "}
                  · {STRATEGIES[goal.data.strategy].label}, with your budget for {monthLabel(goal.data.month)}
                </span>
              </p>
              {goalWords(goal.data, currency).map((line) => (
                <p key={line} className={goal.data?.meetsTarget ? "status-under" : ""}>
                  {line}
                </p>
              ))}
            </div>
          ) : (
            <p>No goal yet. Choose the month you want to be free of card debt by.</p>
          )}
          <GoalForm
            key={goal.data?.version ?? 0}
            goal={goal.data ?? null}
            defaultTarget={addMonths(month, 24)}
            defaultStrategy={strategy}
          />
        </>
      )}
    </section>
  );
}

function GoalForm({
  goal,
  defaultTarget,
  defaultStrategy,
}: {
  goal: DebtGoal | null;
  defaultTarget: string;
  defaultStrategy: PlanStrategy;
}) {
  const [target, setTarget] = useState(goal?.targetMonth ?? defaultTarget);
  const [strategy, setStrategy] = useState<GoalStrategy>(
    goal && isGoalStrategy(goal.strategy)
      ? goal.strategy
      : isGoalStrategy(defaultStrategy)
        ? defaultStrategy
        : "avalanche",
  );
  const [invalid, setInvalid] = useState<string>();
  const save = useSaveDebtGoal();
  const remove = useDeleteDebtGoal();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!isMonth(target)) {
      setInvalid("must be a month");
      return;
    }
    setInvalid(undefined);
    save.mutate({ targetMonth: target, strategy });
  };
  const targetError = invalid ?? fieldError(save.error, "targetMonth");
  return (
    <form
      className="inline-form goal-form"
      onSubmit={onSubmit}
      noValidate
      aria-label="Set the debt-free goal"
    >
      <InputField
        label="Debt-free by"
        error={targetError}
        type="month"
        value={target}
        onChange={(e) => setTarget(e.target.value)}
      />
      <Field label="Strategy" error={fieldError(save.error, "strategy")}>
        {(p) => (
          <select {...p} value={strategy} onChange={(e) => setStrategy(e.target.value as GoalStrategy)}>
            {GOAL_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {STRATEGIES[s].label}: {STRATEGIES[s].what}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorMessage error={save.error && !targetError ? save.error : remove.error} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : goal ? "Change the goal" : "Set the goal"}
        </button>
        {goal && (
          <button type="button" disabled={remove.isPending} onClick={() => remove.mutate()}>
            Remove the goal
          </button>
        )}
      </div>
    </form>
  );
}
