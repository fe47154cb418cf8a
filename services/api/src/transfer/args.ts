import { parseArgs } from "node:util";
import { Month } from "@tyche/types";
import { z } from "zod";

export const USAGE = `Usage: tyche-transfer --from <baseUrl> --to <baseUrl> [--dry-run] [--from-month YYYY-MM]

Copies one user's data from one Tyche to another through the API: categories, accounts and
cards, transactions, budgets, rules, recurring templates, goals and the debt-free goal. Safe to
run again: what the target already has is matched, not doubled. Then checks that every month's
figures agree, and exits 1 if any do not.

  --from <url>          the Tyche to read, e.g. http://localhost:3000
  --to <url>            the Tyche to write, e.g. https://d123.cloudfront.net
  --from-token <token>  the source's token; better TYCHE_FROM_TOKEN, kept out of shell history
  --to-token <token>    the target's token (a Cognito ID token); better TYCHE_TO_TOKEN
  --dry-run             read both sides and say what would be written; write nothing
  --from-month <month>  only transactions and budgets from this month on
  -h, --help            this text`;

export interface Endpoint {
  url: string;
  token: string;
}

export interface TransferOptions {
  from: Endpoint;
  to: Endpoint;
  dryRun: boolean;
  fromMonth: string | undefined;
}

const BaseUrl = z.string().refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
  error: "must be an http:// or https:// URL",
});
const same = (a: string, b: string) =>
  URL.canParse(a) && URL.canParse(b) && new URL(a).href === new URL(b).href;

const Token = z.string().trim().min(1, { error: "is required" });

const Options = z
  .object({
    from: BaseUrl,
    to: BaseUrl,
    fromToken: Token,
    toToken: Token,
    dryRun: z.boolean(),
    fromMonth: Month.optional(),
  })
  .refine((o) => !(same(o.from, o.to) && o.fromToken === o.toToken), {
    error: "the source and the target are the same user on the same server",
  });

const FLAG: Record<string, string> = {
  from: "--from",
  to: "--to",
  fromToken: "--from-token (or TYCHE_FROM_TOKEN)",
  toToken: "--to-token (or TYCHE_TO_TOKEN)",
  fromMonth: "--from-month",
};

export type ParsedArgs = { options: TransferOptions } | { help: true } | { problem: string };

/** The command line and the environment, checked; a problem is one sentence for the user. */
export function parseTransferArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        from: { type: "string" },
        to: { type: "string" },
        "from-token": { type: "string" },
        "to-token": { type: "string" },
        "dry-run": { type: "boolean" },
        "from-month": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return { problem: (err as Error).message };
  }
  if (values.help) return { help: true };
  const parsed = Options.safeParse({
    from: values.from,
    to: values.to,
    fromToken: values["from-token"] ?? env.TYCHE_FROM_TOKEN,
    toToken: values["to-token"] ?? env.TYCHE_TO_TOKEN,
    dryRun: values["dry-run"] === true,
    fromMonth: values["from-month"],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? "");
    const message = issue?.code === "invalid_type" ? "is required" : (issue?.message ?? "is invalid");
    const flag = FLAG[key];
    return { problem: flag ? `${flag} ${message}` : message };
  }
  const o = parsed.data;
  return {
    options: {
      from: { url: o.from, token: o.fromToken },
      to: { url: o.to, token: o.toToken },
      dryRun: o.dryRun,
      fromMonth: o.fromMonth,
    },
  };
}
