import { randomUUID } from "node:crypto";
import type { TransferOptions } from "./args";
import { type Io, type RunContext, Tally } from "./context";
import { DEFAULT_FILE_LIMITS, type FileLimits } from "./export-files";
import { type ClientOptions, TycheClient } from "./http-client";
import { AccountState } from "./kinds/accounts";
import { transferBudgets } from "./kinds/budgets";
import { CategoryState } from "./kinds/categories";
import { transferDebtGoal, transferGoals } from "./kinds/goals";
import { transferRecurring } from "./kinds/recurring";
import { transferRules } from "./kinds/rules";
import { transferTransactions } from "./kinds/transactions";
import { type Mismatch, verify } from "./verify";

export interface TransferResult {
  tally: Tally;
  warnings: string[];
  /** Empty when every month and account agree; undefined in a dry run, which checks nothing. */
  mismatches: Mismatch[] | undefined;
}

export interface TransferTuning {
  client?: ClientOptions;
  limits?: FileLimits;
  pollMs?: number;
}

/**
 * One run, in the order the data depend on each other: categories and accounts first (everything
 * else names them), then the transactions (which name both), then what is planned over them, then
 * archiving and closing what the source archived and closed (nothing may be written to those
 * after), then the check.
 */
export async function runTransfer(
  options: TransferOptions,
  io: Io,
  tuning: TransferTuning = {},
): Promise<TransferResult> {
  const log = (line: string) => io.err(line);
  const ctx: RunContext = {
    source: new TycheClient("source", options.from.url, options.from.token, { log, ...tuning.client }),
    target: new TycheClient("target", options.to.url, options.to.token, { log, ...tuning.client }),
    dryRun: options.dryRun,
    fromMonth: options.fromMonth,
    runId: randomUUID().slice(0, 8),
    limits: tuning.limits ?? DEFAULT_FILE_LIMITS,
    io,
    tally: new Tally(),
    warnings: [],
    pollMs: tuning.pollMs ?? 2000,
    categories: new Map(),
    accounts: new Map(),
  };
  io.out(`${options.dryRun ? "dry run: " : ""}from ${options.from.url} to ${options.to.url}`);
  const categories = new CategoryState(ctx);
  const accounts = new AccountState(ctx);
  await categories.transfer();
  await accounts.transfer();
  const transactionMonths = await transferTransactions(ctx, accounts);
  const planned = await transferBudgets(ctx, categories);
  await transferRules(ctx, categories);
  await transferRecurring(ctx, accounts, categories);
  await transferGoals(ctx, categories);
  await transferDebtGoal(ctx);
  await categories.finish();
  await accounts.finish();
  if (ctx.dryRun) return { tally: ctx.tally, warnings: ctx.warnings, mismatches: undefined };
  const all = [...new Set([...transactionMonths, ...planned])].sort();
  const mismatches = await verify(ctx, { all, planned: new Set(planned) }, accounts.pairs);
  return { tally: ctx.tally, warnings: ctx.warnings, mismatches };
}
