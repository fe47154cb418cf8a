import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { GoalStatus } from "@tyche/types";
import { z } from "zod";
import { conflict } from "../errors";
import { deleteAll } from "./batch";
import { Entity, type Key } from "./entity";
import { goalIndexKeys, keys, type Owner, ownerKey, prefixes } from "./keys";
import { decodeCursor, type Page, queryPage } from "./paging";
import { queryPrefix } from "./query";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/**
 * A savings goal as stored (`GOAL#<goalId>` in tyche-budget-goals). What the API derives from it
 * (required monthly amount, projection, on track) is computed on every read and never stored.
 */
export const StoredGoal = z.object({
  goalId: z.string(),
  name: z.string(),
  targetAmount: z.number().int(),
  /**
   * What the goal holds now. What it was made with is not stored: it is this less the month nets
   * (`startingAmount` in the API), since only contributions move it and each adds to one month.
   */
  currentAmount: z.number().int(),
  targetDate: z.string(),
  priority: z.number().int(),
  status: GoalStatus,
  categoryId: z.string().nullable(),
  currency: z.string(),
  customMilestones: z.array(z.number().int()),
  milestones: z.array(z.object({ percent: z.number().int(), reachedAt: z.string().nullable() })),
  /** Net contributions per month of their date (`YYYY-MM` to cents): the pace is read from here. */
  monthlyNet: z.record(z.string(), z.number().int()),
  contributionCount: z.number().int(),
  completedAt: z.string().nullable(),
  /**
   * Set on a goal whose delete was recorded but whose contributions are still being removed (too
   * many for the delete's own transaction). Such a goal is gone for every route but DELETE, which
   * finishes the removal.
   */
  deleting: z.literal(true).optional(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredGoal = z.infer<typeof StoredGoal>;

export const StoredContribution = z.object({
  contributionId: z.string(),
  goalId: z.string(),
  amount: z.number().int(),
  date: z.string(),
  note: z.string().nullable(),
  balanceAfter: z.number().int(),
  milestonesReached: z.array(z.number().int()),
  createdAt: z.string(),
});
export type StoredContribution = z.infer<typeof StoredContribution>;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const goalIdOf = (sk: string) => sk.slice(prefixes.goal.length);
const isGoalSk = (sk: string) => sk.startsWith(prefixes.goal) && ULID.test(goalIdOf(sk));

export class GoalRepository {
  private readonly goals: Entity<StoredGoal>;
  private readonly contributions: Entity<StoredContribution>;

  constructor(private readonly store: Store) {
    this.goals = new Entity(store, {
      name: "goal",
      table: "budgetGoals",
      schema: StoredGoal,
      key: (o, g) => keys.savingsGoal(o, g.goalId),
      // A goal being deleted drops out of the index, so no status list can show it.
      indexKeys: (o, g): Record<string, string> =>
        g.deleting
          ? {}
          : { GSI1PK: ownerKey(o), GSI1SK: goalIndexKeys.byStatus(g.status, g.targetDate, g.goalId) },
    });
    this.contributions = new Entity(store, {
      name: "goalContribution",
      table: "budgetGoals",
      schema: StoredContribution,
      key: (o, c) => keys.goalContribution(o, c.goalId, c.date, c.contributionId),
    });
  }

  private get table(): string {
    return this.store.tables.budgetGoals;
  }

  /** Eventually consistent: for showing. */
  get(owner: Owner, goalId: string): Promise<StoredGoal | undefined> {
    return this.goals.get(keys.savingsGoal(owner, goalId));
  }

  /** Strongly consistent: for deciding a write. */
  latest(owner: Owner, goalId: string): Promise<StoredGoal | undefined> {
    return this.goals.latest(keys.savingsGoal(owner, goalId));
  }

  /** Every goal of the user from the table itself (not the index), in id order; for showing. */
  list(owner: Owner): Promise<StoredGoal[]> {
    return this.goals.query(ownerKey(owner), prefixes.goal);
  }

  /**
   * The user's goals of one status by target date (then id), from GSI1. The index is updated
   * asynchronously, so a goal written a moment ago may be missing or still under its old status.
   */
  listByStatus(
    owner: Owner,
    status: GoalStatus,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredGoal>> {
    const prefix = goalIndexKeys.byStatusPrefix(status);
    const start = decodeCursor(page.cursor, {
      PK: ownerKey(owner),
      SK: isGoalSk,
      GSI1PK: ownerKey(owner),
      GSI1SK: (v, key) =>
        v.startsWith(prefix) &&
        /^\d{4}-\d{2}-\d{2}$/.test(v.slice(prefix.length, prefix.length + 10)) &&
        v === `${prefix}${v.slice(prefix.length, prefix.length + 10)}#${goalIdOf(key.SK as string)}`,
    });
    return queryPage(
      this.store.db,
      {
        TableName: this.table,
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
        ExpressionAttributeValues: { ":pk": ownerKey(owner), ":prefix": prefix },
      },
      { limit: page.limit, start },
      (item) => this.goals.parse(item),
    );
  }

  createOp(owner: Owner, goal: StoredGoal): WriteOp {
    return this.goals.createOp(owner, goal);
  }

  /**
   * The whole goal at its next version (an edit, or a contribution's new amount, month net and
   * milestones), over `current` if it is still at its version: a change computed from a goal that
   * another write moved meanwhile lands nowhere and is computed again.
   */
  replaceOp(owner: Owner, current: StoredGoal, next: StoredGoal): WriteOp {
    return this.goals.replaceOp(owner, current, next);
  }

  contributionOp(owner: Owner, contribution: StoredContribution): WriteOp {
    // Ids are fresh per request and a failed transaction writes nothing, so this never fires in
    // practice; if it did, answering 409 is better than a second copy.
    return this.contributions.createOp(owner, contribution, () =>
      conflict("This contribution was already recorded"),
    );
  }

  /** The goal's contributions, newest first (by date, then by when they were recorded). */
  contributionPage(
    owner: Owner,
    goalId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredContribution>> {
    const prefix = `${prefixes.goalContribution}${goalId}#`;
    const start = decodeCursor(page.cursor, {
      PK: ownerKey(owner),
      SK: (sk) =>
        sk.startsWith(prefix) && /^\d{4}-\d{2}-\d{2}#[0-9A-HJKMNP-TV-Z]{26}$/.test(sk.slice(prefix.length)),
    });
    return queryPage(
      this.store.db,
      {
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues: { ":pk": ownerKey(owner), ":prefix": prefix },
        ScanIndexForward: false,
      },
      { limit: page.limit, start },
      (item) => this.contributions.parse(item),
    );
  }

  /** The keys of every contribution of a goal, strongly consistent: what its delete removes. */
  async contributionKeys(owner: Owner, goalId: string): Promise<Key[]> {
    const out: Key[] = [];
    const items = queryPrefix(
      this.store.db,
      this.table,
      ownerKey(owner),
      `${prefixes.goalContribution}${goalId}#`,
      true,
      "PK, SK",
    );
    for await (const item of items) out.push({ PK: String(item.PK), SK: String(item.SK) });
    return out;
  }

  /** Deletes the goal (at its version) inside a transaction that also removes its contributions. */
  deleteOp(owner: Owner, current: StoredGoal): WriteOp {
    return this.goals.deleteOp(owner, current);
  }

  deleteContributionOp(key: Key): WriteOp {
    return { item: { Delete: { TableName: this.table, Key: key } } };
  }

  /**
   * Marks a goal deleted without removing it yet: out of the index and of every route, at its next
   * version (so no contribution computed from it can land), for a delete too large for one
   * transaction.
   */
  markDeletingOp(owner: Owner, current: StoredGoal, updatedAt: string): WriteOp {
    return this.goals.replaceOp(owner, current, {
      ...current,
      deleting: true,
      version: current.version + 1,
      updatedAt,
    });
  }

  /**
   * Finishes a delete marked by markDeletingOp: the contributions in batches, then the goal. Safe
   * to run again after a stop at any point: each step deletes only what is still there.
   */
  async purge(owner: Owner, goalId: string): Promise<void> {
    const contributions = await this.contributionKeys(owner, goalId);
    await deleteAll(
      this.store.db,
      this.table,
      contributions.map((k) => ({ ...k })),
    );
    try {
      await this.store.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.savingsGoal(owner, goalId),
          ConditionExpression: "deleting = :true",
          ExpressionAttributeValues: { ":true": true },
        }),
      );
    } catch (err) {
      // Already gone: a purge that ran meanwhile finished it.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}
