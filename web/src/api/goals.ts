import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  Contribution,
  ContributionCreate,
  ContributionResult,
  Goal,
  GoalCreate,
  GoalStatus,
  GoalUpdate,
} from "@tyche/types";
import { ApiError, api, ifMatch } from "./client";
import { keys } from "./queries";

/** Which goals a list holds: every goal, or those of one status. */
export type GoalFilter = GoalStatus | "all";

/** The API's orders: every goal by priority then target date; one status by target date. */
const byPriority = (a: Goal, b: Goal) =>
  a.priority - b.priority || a.targetDate.localeCompare(b.targetDate) || a.goalId.localeCompare(b.goalId);
const byTargetDate = (a: Goal, b: Goal) =>
  a.targetDate.localeCompare(b.targetDate) || a.goalId.localeCompare(b.goalId);

/** A list with one goal put in its place, or taken out (`null`: deleted, or not of the list's status). */
function place(items: readonly Goal[], filter: GoalFilter, goalId: string, goal: Goal | null): Goal[] {
  const others = items.filter((g) => g.goalId !== goalId);
  if (!goal || (filter !== "all" && filter !== goal.status)) return others;
  return [...others, goal].sort(filter === "all" ? byPriority : byTargetDate);
}

/**
 * This tab's own recent writes, by goal: what each answered (null for a delete) and when. The
 * status index (GSI1) is eventually consistent, so a list by status read just after a write may
 * still show the goal as it was; these correct it. Kept in the query cache, so a sign-out clears it.
 */
type Written = Record<string, { goal: Goal | null; at: number }>;
const writtenKey = [...keys.goals, "written"] as const;
/** Far longer than the index takes to follow (well under a second); a later read is trusted. */
const INDEX_LAG_MS = 60_000;

function remember(queries: QueryClient, goalId: string, goal: Goal | null): void {
  const now = Date.now();
  queries.setQueryData<Written>(writtenKey, (old = {}) => {
    const kept = Object.entries(old).filter(([, w]) => now - w.at < INDEX_LAG_MS);
    return { ...Object.fromEntries(kept), [goalId]: { goal, at: now } };
  });
}

/** A list by status as the index answered it, with this tab's recent writes it may not show yet. */
function withOwnWrites(items: Goal[], filter: GoalFilter, written: Written | undefined): Goal[] {
  let out = items;
  for (const [goalId, w] of Object.entries(written ?? {})) {
    if (Date.now() - w.at >= INDEX_LAG_MS) continue;
    const listed = out.find((g) => g.goalId === goalId);
    // A goal listed at a later version than the write was changed again since: the list knows better.
    if (w.goal && listed && listed.version > w.goal.version) continue;
    out = place(out, filter, goalId, w.goal);
  }
  return out;
}

/**
 * The user's goals, every page of them (a person has tens, not thousands). Every goal is read from
 * the table; with a status the API reads its index by status, which is eventually consistent: a
 * goal whose status changed a moment ago may be missing, or still listed under its old status, so
 * such a list is corrected with this tab's own recent writes, and every cached list takes each
 * write's answer at once (see `putGoal`).
 */
export function useGoals(filter: GoalFilter = "all", enabled = true) {
  const queries = useQueryClient();
  return useQuery({
    queryKey: keys.goalList(filter),
    queryFn: async ({ signal }) => {
      const items: Goal[] = [];
      let cursor: string | undefined;
      do {
        const query = new URLSearchParams({ limit: "100" });
        if (filter !== "all") query.set("status", filter);
        if (cursor) query.set("cursor", cursor);
        const page = await api.get<{ items: Goal[]; nextCursor?: string }>(`/v1/goals?${query}`, signal);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return filter === "all"
        ? items
        : withOwnWrites(items, filter, queries.getQueryData<Written>(writtenKey));
    },
    enabled,
  });
}

/** A goal as a write answered it (null: deleted), put into every list it belongs in and out of the others. */
export function putGoal(queries: QueryClient, goalId: string, goal: Goal | null): void {
  remember(queries, goalId, goal);
  for (const [key, items] of queries.getQueriesData<Goal[]>({ queryKey: [...keys.goals, "list"] }))
    if (items) queries.setQueryData<Goal[]>(key, place(items, key[2] as GoalFilter, goalId, goal));
}

/**
 * A 412 (the goal changed elsewhere since it was read) or a 404 (it was deleted elsewhere): the
 * lists are read again to show how it is now.
 */
const reloadOnConflict = (queries: QueryClient) => (err: unknown) => {
  if (err instanceof ApiError && (err.status === 412 || err.status === 404))
    void queries.invalidateQueries({ queryKey: keys.goals });
};

/** After a write: the lists show its answer at once, then are read again (not awaited: the answer is the news). */
const settle = (queries: QueryClient, goal: Goal) => {
  putGoal(queries, goal.goalId, goal);
  void queries.invalidateQueries({ queryKey: keys.goals });
};

export function useCreateGoal() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: GoalCreate) => api.send<Goal>("POST", "/v1/goals", input),
    onSuccess: (goal) => settle(queries, goal),
  });
}

/** Changes a goal at the version it was read at; a stale version answers 412 (see the page). */
export function useUpdateGoal() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ goal, patch }: { goal: Goal; patch: GoalUpdate }) =>
      api.send<Goal>("PUT", `/v1/goals/${goal.goalId}`, patch, ifMatch(goal.version)),
    onSuccess: (goal) => settle(queries, goal),
    onError: reloadOnConflict(queries),
  });
}

/** Deletes a goal and its contributions, at the version it was read at. */
export function useDeleteGoal() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (goal: Goal) =>
      api.send<unknown>("DELETE", `/v1/goals/${goal.goalId}`, undefined, ifMatch(goal.version)),
    onSuccess: (_, goal) => {
      putGoal(queries, goal.goalId, null);
      void queries.invalidateQueries({ queryKey: keys.goals });
    },
    onError: reloadOnConflict(queries),
  });
}

/**
 * Puts money into a goal or takes it out. `key` is the Idempotency-Key: the same for a retry of
 * the same contribution (a double click, a lost answer), so it is recorded once. The goal in the
 * answer replaces the listed one at once: its amount, milestones and status follow without a wait.
 */
export function useContribute() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({
      goal,
      contribution,
      key,
    }: {
      goal: Goal;
      contribution: ContributionCreate;
      key: string;
    }) =>
      api.send<ContributionResult>("POST", `/v1/goals/${goal.goalId}/contributions`, contribution, {
        "idempotency-key": key,
      }),
    onSuccess: (result) => settle(queries, result.goal),
    onError: reloadOnConflict(queries),
  });
}

/** A goal's latest contributions, newest first (the first page: its recent history). */
export const useGoalContributions = (goalId: string, enabled: boolean) =>
  useQuery({
    queryKey: keys.goalContributions(goalId),
    queryFn: ({ signal }) =>
      api.get<{ items: Contribution[]; nextCursor?: string }>(
        `/v1/goals/${goalId}/contributions?limit=20`,
        signal,
      ),
    enabled,
  });
