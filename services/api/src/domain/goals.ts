import { assessGoal, milestonePercents, sumCents, updateMilestones } from "@tyche/core";
import {
  type Contribution,
  type ContributionCreate,
  type ContributionResult,
  type Goal,
  type GoalCreateParsed,
  type GoalStatus,
  type GoalUpdate,
  MAX_CENTS,
} from "@tyche/types";
import { ulid } from "ulid";
import { z } from "zod";
import type { CategoryRepository, CategoryUse } from "../db/categories";
import type { GoalRepository, StoredContribution, StoredGoal } from "../db/goals";
import { type IdempotencyStore, IdempotentReplay } from "../db/idempotency";
import type { Owner } from "../db/keys";
import { badCursor, encodeCursor, type Page, parseCursor } from "../db/paging";
import type { Store } from "../db/store";
import { commit, MAX_OPS_PER_WRITE, type WriteOp } from "../db/transact";
import { DomainError, invalidField, notFound } from "../errors";
import { readCheckWrite } from "./versioned";

export interface GoalDeps {
  store: Store;
  goals: GoalRepository;
  categories: CategoryRepository;
  idempotency: IdempotencyStore;
  /** Today, `YYYY-MM-DD` (UTC); a parameter so tests can pin the calendar. */
  today?: () => string;
}

const IDEMPOTENCY_SCOPE = "goalContributions";

const isOpen = (status: GoalStatus) => status === "active" || status === "paused";

/**
 * The API's goal: the stored one with what is derived from it today. A completed goal asks for
 * nothing more and is on track; a cancelled one asks for nothing and is not.
 */
export function toGoal(g: StoredGoal, today: string): Goal {
  const createdOn = g.createdAt.slice(0, 10);
  const a = assessGoal(
    {
      targetAmount: g.targetAmount,
      currentAmount: g.currentAmount,
      targetDate: g.targetDate,
      monthlyNet: g.monthlyNet,
      createdOn,
    },
    today,
  );
  return {
    goalId: g.goalId,
    name: g.name,
    targetAmount: g.targetAmount,
    currentAmount: g.currentAmount,
    // Only contributions move currentAmount after creation, and each adds to its month's net.
    startingAmount: g.currentAmount - sumCents(Object.values(g.monthlyNet)),
    remaining: a.remaining,
    targetDate: g.targetDate,
    priority: g.priority,
    status: g.status,
    categoryId: g.categoryId,
    currency: g.currency,
    customMilestones: g.customMilestones,
    milestones: g.milestones,
    monthsLeft: a.monthsLeft,
    requiredMonthly: g.status === "cancelled" ? null : g.status === "completed" ? 0 : a.requiredMonthly,
    averageMonthly: a.pace?.average ?? null,
    projectedCompletion: isOpen(g.status) ? a.projectedCompletion : null,
    onTrack: g.status === "completed" || (isOpen(g.status) && a.onTrack),
    contributionCount: g.contributionCount,
    completedAt: g.completedAt,
    version: g.version,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}

/** A goal's custom milestones as kept: each once, in increasing order. */
const customPercents = (list: readonly number[]) => [...new Set(list)].sort((a, b) => a - b);

/** Where the all-goals list left off: the last goal's place in its order. */
const ListCursor = z.strictObject({
  priority: z.number().int(),
  targetDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  goalId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/),
});
type ListCursor = z.infer<typeof ListCursor>;

/** Priority first (1 is highest), then the nearest target, then the id for a stable order. */
const compareGoals = (a: ListCursor, b: ListCursor) =>
  a.priority - b.priority || a.targetDate.localeCompare(b.targetDate) || a.goalId.localeCompare(b.goalId);

const cancelled = () =>
  new DomainError("invalid", "The goal is cancelled: set its status to active to contribute to it", {
    slug: "goal-cancelled",
    title: "Goal cancelled",
    errors: [{ path: "id", message: "is a cancelled goal; set its status to active to contribute to it" }],
  });

/** A reader whose first call answers with a read already under way; later calls (retries) read again. */
function reusing<T>(started: Promise<T>, again: () => Promise<T>): () => Promise<T> {
  let first: Promise<T> | undefined = started;
  return () => {
    const read = first ?? again();
    first = undefined;
    return read;
  };
}

export class GoalService {
  private readonly today: () => string;

  constructor(private readonly d: GoalDeps) {
    this.today = d.today ?? (() => new Date().toISOString().slice(0, 10));
  }

  /** The goal as stored, strongly consistent; one being deleted is not there. */
  private async current(owner: Owner, goalId: string): Promise<StoredGoal | undefined> {
    const goal = await this.d.goals.latest(owner, goalId);
    return goal?.deleting ? undefined : goal;
  }

  async get(owner: Owner, goalId: string): Promise<Goal> {
    const goal = await this.d.goals.get(owner, goalId);
    if (!goal || goal.deleting) throw notFound("Goal");
    return toGoal(goal, this.today());
  }

  /**
   * With a status: that status's goals by target date, from GSI1 (eventually consistent). Without:
   * every goal by priority, then target date, from the table, sorted here; a user has tens of
   * goals, not thousands, so a page reads them all and the cursor is the last goal's place.
   */
  async list(
    owner: Owner,
    query: { status?: GoalStatus | undefined; limit: number; cursor?: string | undefined },
  ): Promise<Page<Goal>> {
    const today = this.today();
    if (query.status) {
      const page = await this.d.goals.listByStatus(owner, query.status, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return { ...page, items: page.items.map((g) => toGoal(g, today)) };
    }
    const after = query.cursor === undefined ? undefined : ListCursor.safeParse(parseCursor(query.cursor));
    if (after && !after.success) throw badCursor();
    const all = (await this.d.goals.list(owner)).filter((g) => !g.deleting).sort(compareGoals);
    const rest = after?.data ? all.filter((g) => compareGoals(g, after.data) > 0) : all;
    const items = rest.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((g) => toGoal(g, today)),
      ...(rest.length > items.length && last
        ? {
            nextCursor: encodeCursor({
              priority: last.priority,
              targetDate: last.targetDate,
              goalId: last.goalId,
            }),
          }
        : {}),
    };
  }

  async create(owner: Owner, input: GoalCreateParsed): Promise<Goal> {
    const now = new Date().toISOString();
    const custom = customPercents(input.customMilestones);
    const reached = input.currentAmount >= input.targetAmount;
    const goal: StoredGoal = {
      goalId: ulid(),
      name: input.name,
      targetAmount: input.targetAmount,
      currentAmount: input.currentAmount,
      targetDate: input.targetDate,
      priority: input.priority,
      status: reached ? "completed" : input.status,
      categoryId: input.categoryId ?? null,
      currency: input.currency,
      customMilestones: custom,
      milestones: updateMilestones(
        [],
        milestonePercents(custom),
        input.currentAmount,
        input.targetAmount,
        now,
        "keep",
      ),
      monthlyNet: {},
      contributionCount: 0,
      completedAt: reached ? now : null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await commit(this.d.store, { owner, action: "goal.create", entityId: goal.goalId, after: goal }, [
      this.d.goals.createOp(owner, goal),
      ...this.linkOps(owner, null, goal.categoryId),
    ]);
    return toGoal(goal, this.today());
  }

  async update(owner: Owner, goalId: string, patch: GoalUpdate, expected?: number): Promise<Goal> {
    const goal = await readCheckWrite(
      "Goal",
      expected,
      () => this.current(owner, goalId),
      async (current) => {
        const next = this.edited(current, patch);
        if (!next) return current;
        await commit(
          this.d.store,
          { owner, action: "goal.update", entityId: goalId, before: current, after: next },
          [
            this.d.goals.replaceOp(owner, current, next),
            ...this.linkOps(owner, current.categoryId, next.categoryId),
          ],
        );
        return next;
      },
    );
    return toGoal(goal, this.today());
  }

  /** The goal after a patch, or undefined when the patch changes nothing. */
  private edited(current: StoredGoal, patch: GoalUpdate): StoredGoal | undefined {
    const now = new Date().toISOString();
    const targetAmount = patch.targetAmount ?? current.targetAmount;
    if (
      patch.currency !== undefined &&
      patch.currency !== current.currency &&
      (current.contributionCount > 0 || current.currentAmount > 0)
    )
      throw invalidField("currency", "cannot change once money has been saved toward the goal");
    const reached = current.currentAmount >= targetAmount;
    let status = patch.status ?? current.status;
    if (patch.status !== undefined && isOpen(patch.status) && reached)
      throw invalidField(
        "status",
        `cannot be ${patch.status}: the goal holds its target amount (raise targetAmount to reopen it)`,
      );
    // Lowering the target to what is already saved reaches it, as a contribution would; moving
    // the target of a completed goal beyond what it holds sets it going again.
    const retargeted = targetAmount !== current.targetAmount;
    if (patch.status === undefined && isOpen(status) && reached) status = "completed";
    else if (patch.status === undefined && status === "completed" && retargeted && !reached)
      status = "active";
    const custom =
      patch.customMilestones !== undefined
        ? customPercents(patch.customMilestones)
        : current.customMilestones;
    const milestones = updateMilestones(
      current.milestones,
      milestonePercents(custom),
      current.currentAmount,
      targetAmount,
      now,
      retargeted ? "remeasure" : "keep",
    );
    const next: StoredGoal = {
      ...current,
      name: patch.name ?? current.name,
      targetAmount,
      targetDate: patch.targetDate ?? current.targetDate,
      priority: patch.priority ?? current.priority,
      status,
      categoryId: patch.categoryId !== undefined ? patch.categoryId : current.categoryId,
      currency: patch.currency ?? current.currency,
      customMilestones: custom,
      milestones,
      completedAt: status !== "completed" ? null : current.status === "completed" ? current.completedAt : now,
    };
    if (JSON.stringify(next) === JSON.stringify(current)) return undefined;
    return { ...next, version: current.version + 1, updatedAt: now };
  }

  /**
   * Moves the use counts of the categories a goal stops and starts naming, so a category a goal is
   * linked to is archived rather than deleted; each op also checks, inside the goal's own write,
   * that a newly linked category is one of the user's active categories.
   */
  private linkOps(owner: Owner, before: string | null, after: string | null): WriteOp[] {
    if (before === after) return [];
    const uses: CategoryUse[] = [];
    if (before) uses.push({ categoryId: before, delta: -1, fresh: false, path: "categoryId" });
    if (after) uses.push({ categoryId: after, delta: 1, fresh: true, path: "categoryId" });
    return this.d.categories.useOps(owner, uses);
  }

  /**
   * Records a contribution: the goal's amount, its month's net, milestones and (on reaching the
   * target) its completion, the contribution itself and the audit record, in one transaction
   * conditional on the goal's version. Two at once: one lands, the other is computed again from
   * the goal as the first left it, so both count, exactly once each.
   */
  async contribute(
    owner: Owner,
    goalId: string,
    input: ContributionCreate,
    idempotency?: { key: string; hash: string },
  ): Promise<{ status: number; body: ContributionResult }> {
    // The goal and the idempotency record are read at once: one round trip before the write.
    const goal = this.current(owner, goalId);
    goal.catch(() => undefined);
    const replay =
      idempotency &&
      (await this.d.idempotency.find(owner, IDEMPOTENCY_SCOPE, idempotency.key, idempotency.hash));
    if (replay) return replay as { status: number; body: ContributionResult };
    const contributionId = ulid();
    try {
      return await readCheckWrite(
        "Goal",
        undefined,
        reusing(goal, () => this.current(owner, goalId)),
        async (current) => {
          if (current.status === "cancelled") throw cancelled();
          const after = current.currentAmount + input.amount;
          if (after < 0)
            throw invalidField(
              "amount",
              `would take the goal below 0: it holds ${current.currentAmount} cents`,
            );
          if (after > MAX_CENTS) throw invalidField("amount", `would take the goal past ${MAX_CENTS} cents`);
          const at = new Date().toISOString();
          const month = input.date.slice(0, 7);
          const status =
            isOpen(current.status) && after >= current.targetAmount ? "completed" : current.status;
          const milestones = updateMilestones(
            current.milestones,
            milestonePercents(current.customMilestones),
            after,
            current.targetAmount,
            at,
            "keep",
          );
          const before = new Map(current.milestones.map((m) => [m.percent, m.reachedAt]));
          const next: StoredGoal = {
            ...current,
            currentAmount: after,
            status,
            milestones,
            monthlyNet: { ...current.monthlyNet, [month]: (current.monthlyNet[month] ?? 0) + input.amount },
            contributionCount: current.contributionCount + 1,
            completedAt: status === "completed" && current.status !== "completed" ? at : current.completedAt,
            version: current.version + 1,
            updatedAt: at,
          };
          const contribution: StoredContribution = {
            contributionId,
            goalId,
            amount: input.amount,
            date: input.date,
            note: input.note ?? null,
            balanceAfter: after,
            milestonesReached: milestones
              .filter((m) => m.reachedAt !== null && (before.get(m.percent) ?? null) === null)
              .map((m) => m.percent),
            createdAt: at,
          };
          const answer = {
            status: 201,
            body: { contribution, goal: toGoal(next, this.today()) },
          };
          await commit(
            this.d.store,
            {
              owner,
              action: "goal.contribute",
              entityId: goalId,
              before: current,
              after: { goal: next, contribution },
            },
            [
              this.d.goals.replaceOp(owner, current, next),
              this.d.goals.contributionOp(owner, contribution),
              ...(idempotency
                ? [
                    this.d.idempotency.recordOp(
                      owner,
                      IDEMPOTENCY_SCOPE,
                      idempotency.key,
                      idempotency.hash,
                      answer,
                    ),
                  ]
                : []),
            ],
          );
          return answer;
        },
      );
    } catch (err) {
      if (err instanceof IdempotentReplay && idempotency) {
        const first = await this.d.idempotency.find(
          owner,
          IDEMPOTENCY_SCOPE,
          idempotency.key,
          idempotency.hash,
        );
        if (first) return first as { status: number; body: ContributionResult };
      }
      throw err;
    }
  }

  async contributions(
    owner: Owner,
    goalId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<Contribution>> {
    const goal = await this.d.goals.get(owner, goalId);
    if (!goal || goal.deleting) throw notFound("Goal");
    // A stored contribution is already what the API shows.
    return this.d.goals.contributionPage(owner, goalId, {
      limit: page.limit,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  }

  /**
   * Deletes the goal with its contributions. When they fit one transaction (97 or so) that is the
   * whole delete, audit record included. Otherwise the goal is first marked deleted in an audited
   * write (it is gone for every route from then on), then its contributions are removed in batches
   * and the goal last; a DELETE of a goal left marked (the server stopped midway) finishes it.
   */
  async remove(owner: Owner, goalId: string, expected?: number): Promise<void> {
    const found = this.d.goals.latest(owner, goalId);
    if ((await found)?.deleting) return this.d.goals.purge(owner, goalId);
    await readCheckWrite(
      "Goal",
      expected,
      reusing(found, () => this.current(owner, goalId)),
      async (current) => {
        const unlink = this.linkOps(owner, current.categoryId, null);
        const contributions = await this.d.goals.contributionKeys(owner, goalId);
        const audit = { owner, action: "goal.delete", entityId: goalId, before: current };
        if (1 + unlink.length + contributions.length <= MAX_OPS_PER_WRITE) {
          // The goal's delete is conditional on its version, which every contribution moves: one
          // recorded after the keys were read makes this fail, and the delete is done again.
          await commit(this.d.store, audit, [
            this.d.goals.deleteOp(owner, current),
            ...contributions.map((key) => this.d.goals.deleteContributionOp(key)),
            ...unlink,
          ]);
          return;
        }
        await commit(this.d.store, audit, [
          this.d.goals.markDeletingOp(owner, current, new Date().toISOString()),
          ...unlink,
        ]);
        await this.d.goals.purge(owner, goalId);
      },
    );
  }
}
