import type {
  Account,
  AccountCreate,
  AccountUpdate,
  Allocation,
  Budget,
  BudgetCreate,
  BudgetUpdate,
  Card,
  CardCreate,
  CardTerms,
  CardUpdate,
  Category,
  CategoryCreate,
  CategoryUpdate,
  Contribution,
  DebtGoal,
  DebtGoalInput,
  Goal,
  GoalCreate,
  GoalUpdate,
  Recurring,
  RecurringCreate,
  RecurringUpdate,
  Rule,
  RuleCreate,
  RuleUpdate,
} from "@tyche/types";

/*
 * The plan: what the target needs so that it holds what the source holds, from the two sides as
 * read. Pure, no I/O, so every decision about matching and remapping is unit-tested on its own.
 *
 * Matching is by what a person recognises (a name, a month), never by id: the two servers' ids
 * have nothing in common. A source item matched to a target item is updated when they differ and
 * left alone when they agree, so running the transfer again writes nothing; only a source item with
 * no counterpart is created.
 */

/** What the import also matches names by: case, width and runs of spaces do not make two names. */
export const fold = (s: string) => s.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();

export type Step<S, T, C, U> =
  | { action: "create"; source: S; body: C }
  | { action: "update"; source: S; target: T; patch: U }
  | { action: "same"; source: S; target: T }
  | { action: "skip"; source: S; reason: string };

export interface Planned<X> {
  steps: X[];
  /** What cannot be made equal through the API, said once per item. */
  warnings: string[];
}

/** Source id -> target id, per kind of thing. */
export type IdMap = ReadonlyMap<string, string>;

export class Unmapped extends Error {}

export function mapId(map: IdMap, id: string, what: string): string {
  const mapped = map.get(id);
  if (mapped === undefined) throw new Unmapped(`its ${what} ${id} has no counterpart in the target`);
  return mapped;
}

const mapNullable = (map: IdMap, id: string | null, what: string) =>
  id === null ? null : mapId(map, id, what);

/** JSON with keys sorted and undefined left out: equal values, equal text. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

export const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** The fields of `want` that `have` holds otherwise: the smallest PUT that makes them agree. */
export function changed<T extends Record<string, unknown>>(
  want: T,
  have: Record<string, unknown>,
): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(want) as (keyof T & string)[]) {
    if (!same(want[key], have[key])) out[key] = want[key];
  }
  return out;
}

const isEmpty = (o: object) => Object.keys(o).length === 0;

export interface Key<S, T> {
  source: (s: S) => string;
  target: (t: T) => string;
}

/**
 * Pairs source items with target items of the same key, each target used once. Keys are tried in
 * order (a category by name, then by slug); under each, items already equal are paired first, so
 * that two items of one name pair with their equals rather than crosswise. An empty key pairs
 * nothing.
 */
export function pairItems<S, T>(
  sources: readonly S[],
  targets: readonly T[],
  keys: readonly Key<S, T>[],
  equal: (s: S, t: T) => boolean,
): { pairs: Map<number, T>; unpaired: number[] } {
  const free = new Set(targets.map((_, i) => i));
  const pairs = new Map<number, T>();
  for (const key of keys) {
    const byKey = new Map<string, number[]>();
    for (const i of free) {
      const k = key.target(targets[i] as T);
      if (k) byKey.set(k, [...(byKey.get(k) ?? []), i]);
    }
    for (const exact of [true, false]) {
      sources.forEach((s, si) => {
        if (pairs.has(si)) return;
        const k = key.source(s);
        const ti = (k ? (byKey.get(k) ?? []) : []).find(
          (i) => free.has(i) && (!exact || equal(s, targets[i] as T)),
        );
        if (ti === undefined) return;
        pairs.set(si, targets[ti] as T);
        free.delete(ti);
      });
    }
  }
  return { pairs, unpaired: sources.map((_, i) => i).filter((i) => !pairs.has(i)) };
}

/**
 * Steps in source order: a paired item is "same" or "update" by `diff`, an unpaired one "create".
 * A step whose ids cannot be remapped (`Unmapped`) is skipped with the reason.
 */
function plan<S, T, C, U extends object>(
  sources: readonly S[],
  targets: readonly T[],
  keys: readonly Key<S, T>[],
  diff: (s: S, t: T) => U,
  create: (s: S) => C,
  noop: (patch: U) => boolean = isEmpty,
): Step<S, T, C, U>[] {
  const safeDiff = (s: S, t: T): U | Unmapped => {
    try {
      return diff(s, t);
    } catch (err) {
      if (err instanceof Unmapped) return err;
      throw err;
    }
  };
  const { pairs } = pairItems(sources, targets, keys, (s, t) => {
    const d = safeDiff(s, t);
    return !(d instanceof Unmapped) && noop(d);
  });
  return sources.map((source, i): Step<S, T, C, U> => {
    try {
      const target = pairs.get(i);
      if (target === undefined) return { action: "create", source, body: create(source) };
      const patch = diff(source, target);
      return noop(patch) ? { action: "same", source, target } : { action: "update", source, target, patch };
    } catch (err) {
      if (err instanceof Unmapped) return { action: "skip", source, reason: err.message };
      throw err;
    }
  });
}

// ---- categories -------------------------------------------------------------------------------

export type CategoryStep = Step<Category, Category, CategoryCreate, CategoryUpdate>;

const categoryFields = (c: Category) => ({
  name: c.name,
  group: c.group,
  color: c.color,
  limit: c.limit ?? null,
});

/**
 * By name, then by slug (which keeps a category's first name, so a default renamed in the source
 * finds its default in the target), as the import finds categories. The defaults exist on both
 * sides and so are matched, not doubled. Archiving is left to the end of the run (`CategoryState`):
 * categories archived in the source are still named by the budgets, rules and rows written before.
 */
export function planCategories(source: readonly Category[], target: readonly Category[]): CategoryStep[] {
  return plan(
    source,
    target,
    [
      { source: (c) => fold(c.name), target: (c) => fold(c.name) },
      { source: (c) => c.type, target: (c) => c.type },
    ],
    (s, t): CategoryUpdate => {
      const patch: CategoryUpdate = changed(categoryFields(s), categoryFields(t));
      // Restored when the source still uses it; one the source archived is archived at the end.
      if (t.archived && !s.archived) patch.archived = false;
      return patch;
    },
    (c) => ({
      name: c.name,
      type: c.type,
      group: c.group,
      color: c.color,
      ...(c.limit !== undefined ? { limit: c.limit } : {}),
    }),
  );
}

// ---- accounts and cards -----------------------------------------------------------------------

export type NewAccount = { kind: "account"; body: AccountCreate } | { kind: "card"; body: CardCreate };

export interface AccountChange {
  account: AccountUpdate;
  /** The card's terms, with the version they replace ("0" for a card account without terms). */
  terms?: { body: CardUpdate; version: number };
}

export type AccountStep = Step<Account, Account, NewAccount, AccountChange>;

export const termsBody = (t: CardTerms): CardUpdate => ({
  issuer: t.issuer,
  aprBasisPoints: t.aprBasisPoints,
  creditLimit: t.creditLimit,
  dueDay: t.dueDay,
  minimumPayment: t.minimumPayment,
  promo: t.promo,
});

/**
 * By type and name. A card with terms is created through /v1/cards so that its terms come with it;
 * what it owed at the start is its opening balance, and its transactions do the rest. Closing is
 * left to the end of the run (`AccountState`): imports and templates need the accounts open.
 */
export function planAccounts(
  source: readonly Account[],
  sourceCards: readonly Card[],
  target: readonly Account[],
  targetCards: readonly Card[],
): Planned<AccountStep> {
  const warnings: string[] = [];
  const cardOf = (cards: readonly Card[], id: string) => cards.find((c) => c.cardId === id);
  const key = (a: Account) => `${a.type}#${fold(a.name)}`;
  const diff = (s: Account, t: Account): AccountChange => {
    const want: Record<string, unknown> = {
      name: s.name,
      openingBalance: s.openingBalance,
      openingDate: s.openingDate,
    };
    // Both may change only while the account has no transactions.
    if (t.transactionCount === 0) Object.assign(want, { currency: s.currency, onBudget: s.onBudget });
    const account: AccountUpdate = changed(want, t);
    if (t.closed && !s.closed) account.closed = false;
    const sourceTerms = cardOf(sourceCards, s.accountId)?.terms ?? null;
    const targetCard = cardOf(targetCards, t.accountId);
    const terms =
      sourceTerms && !same(sourceTerms, targetCard?.terms ?? null)
        ? { body: termsBody(sourceTerms), version: targetCard?.version ?? 0 }
        : undefined;
    return { account, ...(terms ? { terms } : {}) };
  };
  const steps = plan<Account, Account, NewAccount, AccountChange>(
    source,
    target,
    [{ source: key, target: key }],
    diff,
    (a): NewAccount => {
      const terms = cardOf(sourceCards, a.accountId)?.terms;
      if (a.type === "credit-card" && terms) {
        return {
          kind: "card",
          body: {
            name: a.name,
            balance: a.openingBalance,
            balanceDate: a.openingDate,
            currency: a.currency,
            onBudget: a.onBudget,
            ...(terms.issuer !== null ? { issuer: terms.issuer } : {}),
            aprBasisPoints: terms.aprBasisPoints,
            creditLimit: terms.creditLimit,
            dueDay: terms.dueDay,
            minimumPayment: terms.minimumPayment,
            promo: terms.promo,
          },
        };
      }
      return {
        kind: "account",
        body: {
          name: a.name,
          type: a.type,
          currency: a.currency,
          openingBalance: a.openingBalance,
          openingDate: a.openingDate,
          onBudget: a.onBudget,
        },
      };
    },
    (change) => isEmpty(change.account) && !change.terms,
  );
  for (const step of steps) {
    if (step.action !== "update" && step.action !== "same") continue;
    const { source: s, target: t } = step;
    if (t.transactionCount > 0 && (s.currency !== t.currency || s.onBudget !== t.onBudget)) {
      warnings.push(
        `account "${s.name}": currency or on-budget differ (${s.currency}/${s.onBudget} in the source, ` +
          `${t.currency}/${t.onBudget} in the target) and cannot change once it has transactions`,
      );
    }
  }
  return { steps, warnings };
}

// ---- budgets ----------------------------------------------------------------------------------

export type BudgetStep = Step<Budget, Budget, BudgetCreate, BudgetUpdate>;

/**
 * The allocations a month's view shows were planned. A view lists every category planned, spent in
 * or committed to a bill; one with a limit above 0 was planned, and so was one at 0 that nothing
 * else would list. A category at 0 that was spent in may or may not have been: leaving it out
 * changes no figure, since its limit is 0 either way.
 */
function plannedIn(view: Budget): { categoryId: string; limit: number }[] {
  return view.categories
    .filter((c) => c.limit > 0 || (c.spent === 0 && c.committed === 0))
    .map((c) => ({ categoryId: c.categoryId, limit: c.limit }));
}

const positiveLimits = (allocations: readonly Allocation[]) =>
  Object.fromEntries(allocations.filter((a) => a.limit > 0).map((a) => [a.categoryId, a.limit]));

export interface BudgetPlan {
  step: BudgetStep;
  /** Archive the month once it is written, as the source has it. */
  archive: boolean;
  /** Categories of the source's month with no counterpart (their limits are left out). */
  unmapped: string[];
}

/**
 * One month. A missing or archived target month is created (a POST plans an archived month again in
 * place); an active one is updated when income, currency or a limit differ.
 */
export function planBudget(source: Budget, target: Budget | undefined, categories: IdMap): BudgetPlan {
  const unmapped: string[] = [];
  const allocations: Allocation[] = [];
  for (const a of plannedIn(source)) {
    const id = categories.get(a.categoryId);
    if (id === undefined)
      unmapped.push(source.categories.find((c) => c.categoryId === a.categoryId)?.name ?? a.categoryId);
    else allocations.push({ categoryId: id, limit: a.limit });
  }
  const archived = source.status === "archived";
  const create: BudgetStep = {
    action: "create",
    source,
    body: {
      month: source.month,
      totalIncome: source.totalIncome,
      currency: source.currency,
      categories: allocations,
    },
  };
  if (target === undefined) return { step: create, archive: archived, unmapped };
  const agrees =
    target.totalIncome === source.totalIncome &&
    target.currency === source.currency &&
    same(positiveLimits(plannedIn(target)), positiveLimits(allocations));
  if (target.status === "archived") {
    // Only an active month can be changed, and a POST plans an archived one again in place.
    if (archived && agrees) return { step: { action: "same", source, target }, archive: false, unmapped };
    return { step: create, archive: archived, unmapped };
  }
  if (agrees) return { step: { action: "same", source, target }, archive: archived, unmapped };
  return {
    step: {
      action: "update",
      source,
      target,
      patch: { totalIncome: source.totalIncome, currency: source.currency, categories: allocations },
    },
    archive: archived,
    unmapped,
  };
}

// ---- rules ------------------------------------------------------------------------------------

export type RuleStep = Step<Rule, Rule, RuleCreate, RuleUpdate>;

function ruleFields(r: Rule, categories: IdMap | undefined) {
  const { categoryId, ...actions } = r.actions;
  return {
    priority: r.priority,
    enabled: r.enabled,
    conditions: r.conditions,
    actions: {
      ...actions,
      ...(categoryId !== undefined
        ? { categoryId: categories ? mapId(categories, categoryId, "category") : categoryId }
        : {}),
    },
  };
}

/** By name (a rule without one is named after its conditions by the API, on both sides alike). */
export function planRules(source: readonly Rule[], target: readonly Rule[], categories: IdMap): RuleStep[] {
  return plan(
    source,
    target,
    [{ source: (r) => fold(r.name), target: (r) => fold(r.name) }],
    (s, t): RuleUpdate => {
      const want = ruleFields(s, categories);
      return same(want, ruleFields(t, undefined)) ? {} : want;
    },
    (r) => ({ name: r.name, ...ruleFields(r, categories) }),
  );
}

// ---- recurring templates ----------------------------------------------------------------------

export type RecurringStep = Step<Recurring, Recurring, RecurringCreate, RecurringUpdate>;

/** A side's own fields, ids remapped with the maps given (none: the target's, as they are). */
function recurringFields(r: Recurring, maps?: { accounts: IdMap; categories: IdMap }) {
  return {
    amount: r.amount,
    kind: r.kind,
    accountId: maps ? mapId(maps.accounts, r.accountId, "account") : r.accountId,
    toAccountId: maps ? mapNullable(maps.accounts, r.toAccountId, "account") : r.toAccountId,
    categoryId: maps ? mapNullable(maps.categories, r.categoryId, "category") : r.categoryId,
    merchant: r.merchant,
    autoPost: r.autoPost,
    matchTolerance: r.matchTolerance,
    matchWindowDays: r.matchWindowDays,
    status: r.status,
  };
}

/**
 * The schedule as the source stored it: its rule's text, which says everything the structured
 * fields do (what shorter months do included, as BYSETPOS), so nothing is lost in a translation.
 */
const scheduleInput = (r: Recurring) => ({ rrule: r.schedule.rrule });

/**
 * By name. Created without backfill: what the source's template posted is in its account's rows,
 * which the import brings; the target's template posts from the day it is made on. A schedule is
 * sent only when it differs, because a new schedule starts again from today.
 */
export function planRecurring(
  source: readonly Recurring[],
  target: readonly Recurring[],
  accounts: IdMap,
  categories: IdMap,
): RecurringStep[] {
  const maps = { accounts, categories };
  return plan(
    source,
    target,
    [{ source: (r) => fold(r.name), target: (r) => fold(r.name) }],
    (s, t): RecurringUpdate => {
      const patch: RecurringUpdate = changed(recurringFields(s, maps), recurringFields(t));
      if (!same(s.schedule, t.schedule)) patch.schedule = scheduleInput(s);
      return patch;
    },
    (r): RecurringCreate => {
      const { toAccountId, ...fields } = recurringFields(r, maps);
      return {
        name: r.name,
        ...fields,
        ...(toAccountId !== null ? { toAccountId } : {}),
        schedule: scheduleInput(r),
        backfill: false,
      };
    },
  );
}

// ---- goals and contributions ------------------------------------------------------------------

export type GoalStep = Step<Goal, Goal, GoalCreate, GoalUpdate>;

function goalFields(g: Goal, categories: IdMap | undefined) {
  return {
    targetAmount: g.targetAmount,
    targetDate: g.targetDate,
    priority: g.priority,
    categoryId: categories ? mapNullable(categories, g.categoryId, "category") : g.categoryId,
    customMilestones: [...g.customMilestones].sort((a, b) => a - b),
  };
}

/**
 * By name. A goal is created with what the source's started with, and its contributions then bring
 * it to the source's amount one by one (`planContributions`), so its history explains it as the
 * source's does. Its status is set after the contributions: a cancelled goal takes none.
 */
export function planGoals(
  source: readonly Goal[],
  target: readonly Goal[],
  categories: IdMap,
): Planned<GoalStep> {
  const warnings: string[] = [];
  const steps = plan(
    source,
    target,
    [{ source: (g) => fold(g.name), target: (g) => fold(g.name) }],
    (s, t): GoalUpdate => {
      const patch: GoalUpdate = changed(goalFields(s, categories), goalFields(t, undefined));
      // Only while nothing is saved toward it; otherwise said in a warning below.
      if (s.currency !== t.currency && t.currentAmount === 0) patch.currency = s.currency;
      return patch;
    },
    (g): GoalCreate => ({
      name: g.name,
      targetAmount: g.targetAmount,
      currentAmount: g.startingAmount,
      targetDate: g.targetDate,
      priority: g.priority,
      status: g.status === "paused" ? "paused" : "active",
      categoryId: mapNullable(categories, g.categoryId, "category"),
      currency: g.currency,
      customMilestones: g.customMilestones,
    }),
  );
  for (const step of steps) {
    if (
      (step.action === "update" || step.action === "same") &&
      step.source.startingAmount !== step.target.startingAmount
    ) {
      warnings.push(
        `goal "${step.source.name}" started with ${step.source.startingAmount} cents in the source and ` +
          `${step.target.startingAmount} in the target; only contributions move it, so its amounts will differ`,
      );
    }
    if (
      (step.action === "update" || step.action === "same") &&
      step.source.currency !== step.target.currency &&
      step.target.currentAmount !== 0
    ) {
      warnings.push(
        `goal "${step.source.name}" is in ${step.source.currency} in the source, ${step.target.currency} in the target, which holds savings already`,
      );
    }
  }
  return { steps, warnings };
}

const contributionKey = (c: Contribution) => canonical([c.date, c.amount, c.note ?? ""]);

/**
 * The source's contributions the target lacks, oldest first (the order they were made in, so no
 * withdrawal takes the goal below zero), matched as a multiset of date, amount and note; and the
 * target's that the source does not have.
 */
export function planContributions(
  source: readonly Contribution[],
  target: readonly Contribution[],
): { missing: Contribution[]; extra: Contribution[] } {
  const have = new Map<string, Contribution[]>();
  for (const c of target) have.set(contributionKey(c), [...(have.get(contributionKey(c)) ?? []), c]);
  const missing: Contribution[] = [];
  for (const c of source) {
    const left = have.get(contributionKey(c));
    if (left?.length) left.pop();
    else missing.push(c);
  }
  const chronological = (a: Contribution, b: Contribution) =>
    a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt);
  return { missing: missing.sort(chronological), extra: [...have.values()].flat().sort(chronological) };
}

// ---- the debt-free goal -----------------------------------------------------------------------

export type DebtGoalStep =
  | { action: "none" }
  | { action: "same" }
  | { action: "set"; body: DebtGoalInput; version: number }
  | { action: "skip"; reason: string };

/** One per user. A target's own goal is left alone when the source has none. */
export function planDebtGoal(source: DebtGoal | undefined, target: DebtGoal | undefined): DebtGoalStep {
  if (!source) return { action: "none" };
  const { strategy } = source;
  if (strategy !== "avalanche" && strategy !== "snowball") {
    return { action: "skip", reason: `its strategy ${strategy} cannot be set through the API` };
  }
  if (target && target.targetMonth === source.targetMonth && target.strategy === strategy)
    return { action: "same" };
  return {
    action: "set",
    body: { targetMonth: source.targetMonth, strategy },
    version: target?.version ?? 0,
  };
}
