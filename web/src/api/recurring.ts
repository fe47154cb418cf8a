import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  Recurring,
  RecurringCreate,
  RecurringSuggestionItem,
  RecurringSuggestionList,
  RecurringUpdate,
  Upcoming,
} from "@tyche/types";
import { api, ifMatch } from "./client";
import { keys, refreshMoney } from "./queries";

// Type imports only: the dashboard's panel uses this file, and must not carry schemas or rrule.

/** The recurring templates, by name. */
export const useRecurring = () =>
  useQuery({
    queryKey: keys.recurring,
    queryFn: ({ signal }) => api.get<{ items: Recurring[] }>("/v1/recurring", signal),
    select: (r) => r.items,
  });

/** The occurrences not done yet of active templates from today for `days` days, with totals. */
export const useUpcoming = (days = 30) =>
  useQuery({
    queryKey: keys.upcoming(days),
    queryFn: ({ signal }) => api.get<Upcoming>(`/v1/recurring/upcoming?days=${days}`, signal),
  });

// A template's write may post its due occurrences first (docs/RECURRING.md, "Editing"), and its
// bills are committed in the budget: every write refreshes all that shows money.

export function useCreateRecurring() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: RecurringCreate) => api.send<Recurring>("POST", "/v1/recurring", input),
    onSuccess: () => refreshMoney(queries),
  });
}

/** Changes a template at the version it was read at: a change made elsewhere meanwhile is a 412. */
export function useUpdateRecurring() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ template, patch }: { template: Recurring; patch: RecurringUpdate }) =>
      api.send<Recurring>("PUT", `/v1/recurring/${template.recurringId}`, patch, ifMatch(template.version)),
    onSuccess: () => refreshMoney(queries),
    // A 412 means the list is stale: the latest version is read, so a second save applies to it.
    onError: () => queries.invalidateQueries({ queryKey: keys.recurring }),
  });
}

export function useDeleteRecurring() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (template: Recurring) =>
      api.send<unknown>(
        "DELETE",
        `/v1/recurring/${template.recurringId}`,
        undefined,
        ifMatch(template.version),
      ),
    onSuccess: () => refreshMoney(queries),
    onError: () => queries.invalidateQueries({ queryKey: keys.recurring }),
  });
}

/** Likely recurring charges and income in the history that no template covers, not dismissed. */
export const useSuggestions = () =>
  useQuery({
    queryKey: keys.suggestions,
    queryFn: ({ signal }) => api.get<RecurringSuggestionList>("/v1/recurring/suggestions", signal),
  });

const dismissPath = (key: string) => `/v1/recurring/suggestions/${key}/dismiss`;

/** Hides a suggestion until it is restored. */
export function useDismissSuggestion() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (s: RecurringSuggestionItem) => api.send<unknown>("POST", dismissPath(s.key)),
    onSuccess: (_r, s) => {
      queries.setQueryData<RecurringSuggestionList>(keys.suggestions, (old) =>
        old ? { ...old, items: old.items.filter((i) => i.key !== s.key) } : old,
      );
      return queries.invalidateQueries({ queryKey: keys.suggestions });
    },
  });
}

/** Undoes a dismissal: the suggestion is listed again while the history still shows it. */
export function useRestoreSuggestion() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (s: RecurringSuggestionItem) => api.send<unknown>("DELETE", dismissPath(s.key)),
    onSuccess: () => queries.invalidateQueries({ queryKey: keys.suggestions }),
  });
}
