import type { FileLimits } from "./export-files";
import type { TycheClient } from "./http-client";

/** Where the command writes: progress and the summary to `out`, warnings and errors to `err`. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const KINDS = [
  "categories",
  "accounts",
  "card terms",
  "budgets",
  "rules",
  "recurring",
  "goals",
  "contributions",
  "debt-free goal",
] as const;
export type Kind = (typeof KINDS)[number];

export interface KindCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

export interface TransactionCounts {
  /** Files sent to the target's import. */
  files: number;
  /** Rows in them. */
  rows: number;
  imported: number;
  duplicates: number;
  /** Linked to what the target already had, or ambiguous, or unreadable: said in warnings. */
  other: number;
  /** Accounts whose balance and count already agreed, not imported again. */
  accountsComplete: number;
}

/** What a run did (or, dry, would do), per kind. */
export class Tally {
  readonly kinds = new Map<Kind, KindCounts>(
    KINDS.map((k) => [k, { created: 0, updated: 0, unchanged: 0, skipped: 0 }]),
  );
  readonly transactions: TransactionCounts = {
    files: 0,
    rows: 0,
    imported: 0,
    duplicates: 0,
    other: 0,
    accountsComplete: 0,
  };

  count(kind: Kind, what: keyof KindCounts, n = 1): void {
    const counts = this.kinds.get(kind);
    if (counts) counts[what] += n;
  }
}

export interface RunContext {
  source: TycheClient;
  target: TycheClient;
  dryRun: boolean;
  /** Only transactions and budgets from this month on. */
  fromMonth: string | undefined;
  /** Different on every run: an idempotency key is for the retries of one run, not for the next run. */
  runId: string;
  limits: FileLimits;
  io: Io;
  tally: Tally;
  warnings: string[];
  /** How often, and how long apart, to look again at an import or a month that is not settled yet. */
  pollMs: number;
  /** Source id -> target id. */
  categories: Map<string, string>;
  accounts: Map<string, string>;
}

/** "creating" or, in a dry run, "would create". */
export const doing = (ctx: RunContext, verb: string, dryVerb: string) =>
  ctx.dryRun ? `would ${dryVerb}` : verb;

export function warn(ctx: RunContext, message: string): void {
  ctx.warnings.push(message);
  ctx.io.err(`warning: ${message}`);
}

/** A placeholder target id for what a dry run would create, so later kinds can still be planned. */
export const plannedId = (sourceId: string) => `(new ${sourceId})`;
