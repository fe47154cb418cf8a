import { planPayoff, requiredMonthly } from "@tyche/core";
import type { DebtGoal, DebtGoalInput } from "@tyche/types";
import type { DebtGoalRepository, StoredDebtGoal } from "../db/debt-goals";
import type { Owner } from "../db/keys";
import type { Store } from "../db/store";
import { commit } from "../db/transact";
import { isContention, isFailure, notFound, versionMismatch } from "../errors";
import type { DebtBasisReader } from "./debt-basis";

const HORIZON_MONTHS = 600;
const MAX_ATTEMPTS = 20;

/**
 * The debt-free goal: a target month, and on every read whether this month's plan meets it and
 * the least monthly amount that would. Only the target is stored; the assessment follows the
 * budget and the cards as they are.
 */
export class DebtGoalService {
  constructor(
    private readonly store: Store,
    private readonly goals: DebtGoalRepository,
    private readonly basis: DebtBasisReader,
    private readonly currentMonth: () => string,
  ) {}

  async get(owner: Owner): Promise<DebtGoal> {
    const goal = await this.goals.get(owner);
    if (!goal) throw notFound("Debt-free goal");
    return this.assess(owner, goal);
  }

  /** Sets the target; with `expected`, only over that version (0: only where there is none). */
  async set(owner: Owner, input: DebtGoalInput, expected?: number): Promise<DebtGoal> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.goals.latest(owner);
      if (expected !== undefined && (current?.version ?? 0) !== expected) throw versionMismatch();
      const now = new Date().toISOString();
      const next: StoredDebtGoal = {
        targetMonth: input.targetMonth,
        strategy: input.strategy,
        version: (current?.version ?? 0) + 1,
        createdAt: current?.createdAt ?? now,
        updatedAt: now,
      };
      try {
        await commit(
          this.store,
          {
            owner,
            action: current ? "debtGoal.update" : "debtGoal.create",
            entityId: "debt-free",
            ...(current ? { before: current } : {}),
            after: next,
          },
          [
            current
              ? this.goals.replaceOp(owner, current, next)
              : this.goals.createOp(owner, next, versionMismatch),
          ],
        );
        return this.assess(owner, next);
      } catch (err) {
        const lost = isFailure(err, "version-mismatch") || isContention(err);
        if (expected !== undefined || !lost || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  async remove(owner: Owner): Promise<void> {
    const current = await this.goals.latest(owner);
    if (!current) throw notFound("Debt-free goal");
    await commit(this.store, { owner, action: "debtGoal.delete", entityId: "debt-free", before: current }, [
      this.goals.deleteOp(owner, current),
    ]);
  }

  private async assess(owner: Owner, goal: StoredDebtGoal): Promise<DebtGoal> {
    const month = this.currentMonth();
    const basis = await this.basis.read(owner, { month });
    const input = {
      cards: basis.cards,
      startMonth: month,
      strategy: goal.strategy,
      horizonMonths: HORIZON_MONTHS,
    };
    const plan = planPayoff({ ...input, monthlyAmount: basis.view.monthlyAmount });
    const meets = plan.end === "debt-free" && (plan.debtFreeMonth ?? month) <= goal.targetMonth;
    const required = requiredMonthly(input, goal.targetMonth);
    return {
      targetMonth: goal.targetMonth,
      strategy: goal.strategy,
      month,
      monthlyAmount: basis.view.monthlyAmount,
      planDebtFreeMonth: plan.end === "debt-free" ? plan.debtFreeMonth : null,
      meetsTarget: meets,
      requiredMonthly: required,
      extraNeeded: required === null ? null : Math.max(0, required - basis.view.monthlyAmount),
      version: goal.version,
      createdAt: goal.createdAt,
      updatedAt: goal.updatedAt,
    };
  }
}
