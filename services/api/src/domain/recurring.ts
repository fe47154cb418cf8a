import {
  addDays,
  type Schedule as CoreSchedule,
  dueOccurrences,
  formatRrule,
  nextDue,
  normaliseSchedule,
  parseRrule,
  RecurrenceError,
  upcoming,
} from "@tyche/core";
import type {
  Recurring,
  RecurringCreateParsed,
  RecurringUpdate,
  ScheduleInput,
  Upcoming,
} from "@tyche/types";
import { ulid } from "ulid";
import type { AccountRepository, StoredAccount } from "../db/accounts";
import type { CategoryRepository, CategoryUse } from "../db/categories";
import type { Owner } from "../db/keys";
import { counts, type RecurringRepository, type StoredRecurring } from "../db/recurring";
import type { Store } from "../db/store";
import { commit, type WriteOp } from "../db/transact";
import { invalidField, notFound } from "../errors";
import { type Materialiser, todayUtc } from "../recurring/materialiser";
import { readCheckWrite } from "./versioned";

export interface RecurringDeps {
  store: Store;
  recurring: RecurringRepository;
  accounts: AccountRepository;
  categories: CategoryRepository;
  materialiser: Materialiser;
  /** Today as `YYYY-MM-DD`; UTC by default. */
  today?: () => string;
}

/** How far back `backfill` posts: a year of a forgotten bill at most, not decades. */
const BACKFILL_DAYS = 366;
/** How long an edit waits for an import of the same user to let go before answering 409. */
const CATCH_UP_WAIT_MS = 5_000;

/** The schedule's RFC 5545 text from what was sent: the structured fields, the rule, or both agreeing. */
export function scheduleText(input: ScheduleInput): string {
  const at = (err: unknown): never => {
    if (err instanceof RecurrenceError) throw invalidField(`schedule.${err.field}`, err.message, "malformed");
    throw err;
  };
  let fromText: CoreSchedule | undefined;
  let fromFields: CoreSchedule | undefined;
  try {
    if (input.rrule !== undefined) fromText = parseRrule(input.rrule, input.startDate);
    if (input.frequency !== undefined) {
      fromFields = normaliseSchedule({
        frequency: input.frequency,
        interval: input.interval,
        startDate: (input.startDate ?? fromText?.startDate) as string,
        endDate: input.endDate,
        count: input.count,
        byMonthDay: input.byMonthDay,
        byWeekday: input.byWeekday,
        byMonth: input.byMonth,
        shortMonths: input.shortMonths,
      });
    } else {
      const stray = (
        ["interval", "byMonthDay", "byWeekday", "byMonth", "shortMonths", "endDate", "count"] as const
      ).find((k) => input[k] !== undefined);
      if (stray) throw invalidField(`schedule.${stray}`, "needs frequency, or belongs in rrule", "malformed");
    }
  } catch (err) {
    at(err);
  }
  if (fromText && fromFields && formatRrule(fromText) !== formatRrule(fromFields)) {
    throw invalidField(
      "schedule.rrule",
      `describes another schedule than the fields beside it (${formatRrule(fromFields).replace("\n", " ")})`,
      "malformed",
    );
  }
  return formatRrule((fromFields ?? fromText) as CoreSchedule);
}

/** The template as the API shows it: the stored fields, the schedule read from its rule, the next date. */
export function toRecurring(t: StoredRecurring, today: string): Recurring {
  const { rrule, ...stored } = t;
  return { ...stored, schedule: { rrule, ...parseRrule(rrule) }, nextOccurrence: nextDue(t, today) };
}

/**
 * Recurring templates. Every write checks, inside its own DynamoDB transaction, that the accounts
 * it names are the user's, open and in the template's currency, and that a category it newly names
 * is the user's and active (counting the template among the category's uses, so a named category
 * is archived rather than deleted). It also moves the user's entry in the materialiser's index of
 * owners.
 *
 * A change applies to occurrences not posted yet. So that "not posted yet" means the future, the
 * template's due occurrences are posted as it stands first (the materialiser, for this template);
 * a new schedule, a resume or turning autoPost on then starts from today.
 */
export class RecurringService {
  private readonly today: () => string;

  constructor(private readonly d: RecurringDeps) {
    this.today = d.today ?? todayUtc;
  }

  async list(owner: Owner): Promise<Recurring[]> {
    const today = this.today();
    return (await this.d.recurring.list(owner))
      .sort((a, b) => a.name.localeCompare(b.name) || a.recurringId.localeCompare(b.recurringId))
      .map((t) => toRecurring(t, today));
  }

  async get(owner: Owner, recurringId: string): Promise<Recurring> {
    const t = await this.d.recurring.get(owner, recurringId);
    if (!t) throw notFound("Recurring template");
    return toRecurring(t, this.today());
  }

  async upcoming(owner: Owner, days: number): Promise<Upcoming> {
    const from = this.today();
    const to = addDays(from, days - 1);
    return { from, to, ...upcoming(await this.d.recurring.list(owner), from, to) };
  }

  async create(owner: Owner, input: RecurringCreateParsed): Promise<Recurring> {
    const rrule = scheduleText(input.schedule);
    const [accounts, categories] = await Promise.all([
      this.d.accounts.byId(owner, true),
      this.d.categories.byId(owner, true),
    ]);
    const account = this.openAccount(accounts, input.accountId, "accountId");
    const to =
      input.kind === "transfer" ? this.transferTarget(accounts, account, input.toAccountId) : undefined;
    const categoryId = input.categoryId ?? null;
    if (categoryId) this.checkCategory(categories, categoryId);
    const today = this.today();
    const startDate = parseRrule(rrule).startDate;
    // What is done from the start: everything before today, unless asked to post from the start
    // (a year back at most).
    const firstPosted = input.backfill
      ? ([startDate, addDays(today, -BACKFILL_DAYS)].sort()[1] as string)
      : today;
    const now = new Date().toISOString();
    const template: StoredRecurring = {
      recurringId: ulid(),
      name: input.name,
      amount: input.amount,
      kind: input.kind,
      accountId: account.accountId,
      toAccountId: to?.accountId ?? null,
      categoryId,
      merchant: input.merchant || null,
      currency: account.currency,
      rrule,
      autoPost: input.autoPost,
      matchTolerance: input.matchTolerance,
      matchWindowDays: input.matchWindowDays,
      status: input.status,
      postedThrough: addDays([firstPosted, today].sort()[0] as string, -1),
      lastFailure: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await commit(
      this.d.store,
      { owner, action: "recurring.create", entityId: template.recurringId, after: template },
      [this.d.recurring.createOp(owner, template), ...this.checksAndCounts(owner, undefined, template)],
    );
    return toRecurring(template, today);
  }

  async update(
    owner: Owner,
    recurringId: string,
    patch: RecurringUpdate,
    expected?: number,
  ): Promise<Recurring> {
    const rrule = patch.schedule ? scheduleText(patch.schedule) : undefined;
    const read = await this.catchUp(owner, recurringId, expected);
    const context = Promise.all([this.d.accounts.byId(owner, true), this.d.categories.byId(owner, true)]);
    // Awaited in the write; if the template's own read fails first, this must not go unhandled.
    context.catch(() => undefined);
    return readCheckWrite("Recurring template", expected, read, async (current) => {
      const [accounts, categories] = await context;
      const kind = patch.kind ?? current.kind;
      const accountId = patch.accountId ?? current.accountId;
      const account =
        accountId === current.accountId
          ? this.keptAccount(accounts, accountId)
          : this.openAccount(accounts, accountId, "accountId");
      let toAccountId: string | null = null;
      if (kind === "transfer") {
        const wanted = patch.toAccountId !== undefined ? patch.toAccountId : current.toAccountId;
        toAccountId = this.transferTarget(
          accounts,
          account,
          wanted ?? undefined,
          current.toAccountId,
        ).accountId;
      } else if (patch.toAccountId) {
        throw invalidField("toAccountId", "is only for a transfer");
      }
      const categoryId = patch.categoryId !== undefined ? patch.categoryId : current.categoryId;
      if (categoryId && categoryId !== current.categoryId) this.checkCategory(categories, categoryId);
      const today = this.today();
      const next: StoredRecurring = {
        ...current,
        name: patch.name ?? current.name,
        amount: patch.amount ?? current.amount,
        kind,
        accountId: account.accountId,
        toAccountId,
        categoryId,
        merchant: patch.merchant !== undefined ? patch.merchant || null : current.merchant,
        currency: account.currency,
        rrule: rrule ?? current.rrule,
        autoPost: patch.autoPost ?? current.autoPost,
        matchTolerance: patch.matchTolerance ?? current.matchTolerance,
        matchWindowDays: patch.matchWindowDays ?? current.matchWindowDays,
        status: patch.status ?? current.status,
        version: current.version + 1,
        updatedAt: new Date().toISOString(),
      };
      // What the template did not post before (a schedule it did not have, a pause, not posting)
      // is not posted now: it starts from today.
      const restart =
        next.rrule !== current.rrule ||
        (current.status === "paused" && next.status === "active") ||
        (!current.autoPost && next.autoPost);
      const advanceTo = restart ? addDays(today, -1) : undefined;
      await commit(
        this.d.store,
        { owner, action: "recurring.update", entityId: recurringId, before: current, after: next },
        [
          this.d.recurring.replaceOp(owner, current, next, advanceTo),
          ...this.checksAndCounts(owner, current, next),
        ],
      );
      const stored =
        advanceTo && advanceTo > current.postedThrough ? { ...next, postedThrough: advanceTo } : next;
      return toRecurring(stored, today);
    });
  }

  async remove(owner: Owner, recurringId: string, expected?: number): Promise<void> {
    await readCheckWrite(
      "Recurring template",
      expected,
      await this.catchUp(owner, recurringId, expected),
      async (current) => {
        await commit(
          this.d.store,
          { owner, action: "recurring.delete", entityId: recurringId, before: current },
          [this.d.recurring.deleteOp(owner, current), ...this.checksAndCounts(owner, current, undefined)],
        );
      },
    );
  }

  /**
   * Posts the template's due occurrences as it stands, before a change to it. A stale If-Match is
   * answered first (412), so a refused change posts nothing it would not have posted anyway.
   * Answers how the change reads the template: first as read here when nothing was posted (the
   * read is strongly consistent, as the write needs), then, and after a catch-up, afresh.
   */
  private async catchUp(
    owner: Owner,
    recurringId: string,
    expected: number | undefined,
  ): Promise<() => Promise<StoredRecurring | undefined>> {
    const latest = () => this.d.recurring.latest(owner, recurringId);
    const current = await latest();
    if (!current) throw notFound("Recurring template");
    // Nothing due (or nothing it would post), or a stale If-Match: no lease to take.
    if (
      (expected !== undefined && current.version !== expected) ||
      !dueOccurrences(current, this.today()).length
    ) {
      let first: StoredRecurring | undefined = current;
      return async () => {
        const read = first ?? (await latest());
        first = undefined;
        return read;
      };
    }
    await this.d.materialiser.runOwner(owner, { only: recurringId, waitMs: CATCH_UP_WAIT_MS });
    return latest;
  }

  /**
   * The checks and counts a write of a template carries: its accounts (open, in its currency), a
   * category it newly names (active) or lets go, and the user's count of templates that post.
   */
  private checksAndCounts(
    owner: Owner,
    before: StoredRecurring | undefined,
    after: StoredRecurring | undefined,
  ): WriteOp[] {
    const ops: WriteOp[] = [];
    if (after) {
      const named = (id: string | null) =>
        id !== null && id !== before?.accountId && id !== before?.toAccountId;
      // An account the template already named may have been closed since: it may still be edited.
      if (named(after.accountId))
        ops.push(this.d.accounts.openCheckOp(owner, after.accountId, after.currency, "accountId"));
      if (after.toAccountId && named(after.toAccountId))
        ops.push(this.d.accounts.openCheckOp(owner, after.toAccountId, after.currency, "toAccountId"));
    }
    const uses: CategoryUse[] = [];
    if (before?.categoryId && before.categoryId !== after?.categoryId)
      uses.push({ categoryId: before.categoryId, delta: -1, fresh: false, path: "categoryId" });
    if (after?.categoryId && after.categoryId !== before?.categoryId)
      uses.push({ categoryId: after.categoryId, delta: 1, fresh: true, path: "categoryId" });
    ops.push(...this.d.categories.useOps(owner, uses));
    const delta = (after ? counts(after) : 0) - (before ? counts(before) : 0);
    if (delta !== 0) ops.push(this.d.recurring.ownerCountOp(owner, delta));
    return ops;
  }

  private openAccount(accounts: ReadonlyMap<string, StoredAccount>, id: string, path: string): StoredAccount {
    const account = accounts.get(id);
    if (!account) throw invalidField(path, "is not one of your accounts");
    if (account.closed) throw invalidField(path, "is a closed account");
    return account;
  }

  /** The template's own account, which may have been closed since it was named. */
  private keptAccount(accounts: ReadonlyMap<string, StoredAccount>, id: string): StoredAccount {
    const account = accounts.get(id);
    if (!account) throw invalidField("accountId", "is not one of your accounts");
    return account;
  }

  /** A transfer's destination; `kept`: the one the template already names, which may have closed since. */
  private transferTarget(
    accounts: ReadonlyMap<string, StoredAccount>,
    from: StoredAccount,
    toAccountId: string | undefined,
    kept?: string | null,
  ): StoredAccount {
    if (!toAccountId) throw invalidField("toAccountId", "is required for a transfer");
    if (toAccountId === from.accountId)
      throw invalidField("toAccountId", "must be another account than accountId");
    const to = accounts.get(toAccountId);
    if (!to) throw invalidField("toAccountId", "is not one of your accounts");
    if (to.closed && toAccountId !== kept) throw invalidField("toAccountId", "is a closed account");
    if (to.currency !== from.currency)
      throw invalidField("toAccountId", `is in ${to.currency}, not in ${from.currency} like accountId`);
    return to;
  }

  private checkCategory(categories: ReadonlyMap<string, { archived: boolean }>, id: string): void {
    const category = categories.get(id);
    if (!category) throw invalidField("categoryId", "is not one of your categories");
    if (category.archived) throw invalidField("categoryId", "is archived");
  }
}
