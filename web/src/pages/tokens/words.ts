import type { PersonalAccessToken, TokenScope, TokenStatus } from "@tyche/types";
import { fullDate, instantLabel } from "../../ui/format";

export const SCOPE_LABELS: Record<TokenScope, { label: string; detail: string }> = {
  read: { label: "Read only", detail: "Reads your budgets, spending, cards and goals; changes nothing." },
  write: {
    label: "Read and write",
    detail: "Also records transactions, sets limits and creates goals: everything but managing tokens.",
  },
};

export const STATUS_LABELS: Record<TokenStatus, string> = {
  active: "Active",
  expired: "Expired",
  revoked: "Revoked",
};

/** How long a new token lives, as the form offers it. */
export const LIFETIMES = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "A year" },
  { value: "never", label: "No expiry" },
  { value: "date", label: "Until a date…" },
] as const;
export type Lifetime = (typeof LIFETIMES)[number]["value"];

/** The day `days` from today (UTC), as the API reads an expiry date: 00:00 UTC that day. */
export const daysFromToday = (days: number) =>
  new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

/** What a person recognises a token by: its public start and the secret's last four characters. */
export const tokenHint = (t: PersonalAccessToken) => `${t.prefix}…${t.last4}`;

export const expiryWords = (t: PersonalAccessToken) =>
  t.expiresAt === null
    ? "Never"
    : t.status === "expired"
      ? `Expired ${instantLabel(t.expiresAt)}`
      : instantLabel(t.expiresAt);

export const lastUsedWords = (t: PersonalAccessToken) =>
  t.lastUsedAt === null ? "Never used" : instantLabel(t.lastUsedAt);

export const createdWords = (t: PersonalAccessToken) => fullDate(t.createdAt.slice(0, 10));
