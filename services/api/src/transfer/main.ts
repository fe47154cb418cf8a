import { parseTransferArgs, USAGE } from "./args";
import { type Io, KINDS } from "./context";
import { ApiError } from "./http-client";
import { runTransfer, type TransferResult, type TransferTuning } from "./transfer";
import { describeMismatch } from "./verify";

/** Exit codes: 0 done and checked, 1 a failure or a figure that differs, 2 a usage error. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  tuning: TransferTuning = {},
): Promise<number> {
  const args = parseTransferArgs(argv, env);
  if ("help" in args) {
    io.out(USAGE);
    return 0;
  }
  if ("problem" in args) {
    io.err(`tyche-transfer: ${args.problem}`);
    io.err(USAGE);
    return 2;
  }
  let result: TransferResult;
  try {
    result = await runTransfer(args.options, io, tuning);
  } catch (err) {
    // Everything written so far stays; running again picks up from what the target then has.
    io.err(`tyche-transfer: stopped: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof ApiError && err.status === 401) {
      io.err(
        `The ${err.side}'s token was refused. A Cognito ID token lasts an hour; take a new one and run again.`,
      );
    }
    io.err("Nothing is doubled by running it again, which continues from what the target has.");
    return 1;
  }
  printSummary(io, result, args.options.dryRun);
  return result.mismatches?.length ? 1 : 0;
}

export function printSummary(io: Io, { tally, warnings, mismatches }: TransferResult, dryRun: boolean): void {
  io.out("");
  io.out(dryRun ? "Summary (dry run: nothing was written)" : "Summary");
  const pad = Math.max(...KINDS.map((k) => k.length), "transactions".length);
  const t = tally.transactions;
  io.out(
    `  ${"transactions".padEnd(pad)}  ${t.imported} ${dryRun ? "to add" : "added"}, ${t.duplicates} already there` +
      `${t.other ? `, ${t.other} matched or refused` : ""} (${t.rows} rows in ${t.files} file(s)` +
      `${t.accountsComplete ? `; ${t.accountsComplete} account(s) already complete` : ""})`,
  );
  for (const kind of KINDS) {
    const c = tally.kinds.get(kind);
    if (!c) continue;
    const parts = [
      `${c.created} ${dryRun ? "to create" : "created"}`,
      `${c.updated} ${dryRun ? "to update" : "updated"}`,
      `${c.unchanged} unchanged`,
      ...(c.skipped ? [`${c.skipped} left out`] : []),
    ];
    io.out(`  ${kind.padEnd(pad)}  ${parts.join(", ")}`);
  }
  if (warnings.length) io.out(`  ${warnings.length} warning(s), above`);
  if (!mismatches) return;
  if (!mismatches.length) {
    io.out("Check: every month's figures and every account agree.");
    return;
  }
  io.err(`Check failed: ${mismatches.length} figure(s) differ:`);
  for (const m of mismatches) io.err(`  ${describeMismatch(m)}`);
}
