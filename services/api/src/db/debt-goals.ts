import { z } from "zod";
import { Entity } from "./entity";
import { keys, type Owner } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/** The debt-free goal as stored (`GOAL#debt-free` in tyche-goals): the target; its assessment is computed on read. */
export const StoredDebtGoal = z.object({
  targetMonth: z.string(),
  strategy: z.enum(["avalanche", "snowball"]),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredDebtGoal = z.infer<typeof StoredDebtGoal>;

export class DebtGoalRepository {
  private readonly goals: Entity<StoredDebtGoal>;

  constructor(store: Store) {
    this.goals = new Entity(store, {
      name: "debtGoal",
      table: "goals",
      schema: StoredDebtGoal,
      key: (o) => keys.debtGoal(o),
    });
  }

  get(owner: Owner): Promise<StoredDebtGoal | undefined> {
    return this.goals.get(keys.debtGoal(owner));
  }

  latest(owner: Owner): Promise<StoredDebtGoal | undefined> {
    return this.goals.latest(keys.debtGoal(owner));
  }

  createOp(owner: Owner, goal: StoredDebtGoal, onExists: () => Error): WriteOp {
    return this.goals.createOp(owner, goal, onExists);
  }

  replaceOp(owner: Owner, current: StoredDebtGoal, next: StoredDebtGoal): WriteOp {
    return this.goals.replaceOp(owner, current, next);
  }

  deleteOp(owner: Owner, current: StoredDebtGoal): WriteOp {
    return this.goals.deleteOp(owner, current);
  }
}
