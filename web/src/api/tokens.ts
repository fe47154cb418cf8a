import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreatedPersonalAccessToken, PersonalAccessToken, TokenCreate } from "@tyche/types";
import { api } from "./client";
import { keys } from "./queries";

/** The user's personal access tokens, newest first, as the API lists them (never their secrets). */
export const useTokens = () =>
  useQuery({
    queryKey: keys.tokens,
    queryFn: ({ signal }) => api.get<{ items: PersonalAccessToken[] }>("/v1/tokens", signal),
    select: (r) => r.items,
  });

/** Makes a token; its answer holds the secret, the one time it is ever shown. */
export function useCreateToken() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: TokenCreate) => api.send<CreatedPersonalAccessToken>("POST", "/v1/tokens", input),
    onSuccess: () => queries.invalidateQueries({ queryKey: keys.tokens }),
  });
}

/** Revokes a token: it stops working at once (a token revoked already answers the same). */
export function useRevokeToken() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (token: PersonalAccessToken) => api.send<unknown>("DELETE", `/v1/tokens/${token.tokenId}`),
    onSuccess: () => queries.invalidateQueries({ queryKey: keys.tokens }),
    // A 404 (revoked and gone elsewhere) leaves the list stale: it is read again either way.
    onError: () => queries.invalidateQueries({ queryKey: keys.tokens }),
  });
}
