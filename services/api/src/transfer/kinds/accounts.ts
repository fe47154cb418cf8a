import { Account, Card } from "@tyche/types";
import { doing, plannedId, type RunContext, warn } from "../context";
import { planAccounts } from "../plan";

/** A source account and its counterpart in the target (undefined only for one a dry run would create). */
export interface AccountPair {
  source: Account;
  target: Account | undefined;
  /** Made by this run: nothing of it is in the target yet. */
  created: boolean;
}

/**
 * Accounts and cards: matched by type and name (the target's first account, "Checking", meets the
 * source's), created otherwise, with the source's opening balance and date and a card's terms.
 * Every account stays open while the run imports and writes templates (a transfer row whose other
 * account is closed would be imported as spending); those the source has closed are closed by
 * `finish`.
 */
export class AccountState {
  readonly pairs: AccountPair[] = [];

  constructor(private readonly ctx: RunContext) {}

  async transfer(): Promise<void> {
    const { ctx } = this;
    const query = { includeClosed: "true" };
    const [source, sourceCards, target, targetCards] = await Promise.all([
      ctx.source.items("/v1/accounts", Account, query),
      ctx.source.items("/v1/cards", Card, query),
      ctx.target.items("/v1/accounts", Account, query),
      ctx.target.items("/v1/cards", Card, query),
    ]);
    const { steps, warnings } = planAccounts(source, sourceCards, target, targetCards);
    for (const w of warnings) warn(ctx, w);
    for (const step of steps) {
      const label = `"${step.source.name}" (${step.source.type})`;
      if (step.action === "skip") continue;
      if (step.action === "same") {
        ctx.tally.count("accounts", "unchanged");
        this.pair(step.source, step.target, false);
        continue;
      }
      if (step.action === "create") {
        const withTerms = step.body.kind === "card";
        ctx.io.out(
          `accounts: ${doing(ctx, "creating", "create")} ${label}${withTerms ? " with its card terms" : ""}`,
        );
        ctx.tally.count("accounts", "created");
        if (withTerms) ctx.tally.count("card terms", "created");
        if (ctx.dryRun) {
          ctx.accounts.set(step.source.accountId, plannedId(step.source.accountId));
          this.pairs.push({ source: step.source, target: undefined, created: true });
          continue;
        }
        let accountId: string;
        if (step.body.kind === "card") {
          accountId = (await ctx.target.json("POST", "/v1/cards", Card, { body: step.body.body })).cardId;
        } else {
          accountId = (await ctx.target.json("POST", "/v1/accounts", Account, { body: step.body.body }))
            .accountId;
        }
        // Read as an account (a card's answer is in its own shape), for the checks that follow.
        this.pair(step.source, await ctx.target.json("GET", `/v1/accounts/${accountId}`, Account), true);
        continue;
      }
      const { account, terms } = step.patch;
      let current = step.target;
      if (Object.keys(account).length) {
        ctx.io.out(
          `accounts: ${doing(ctx, "updating", "update")} ${label} (${Object.keys(account).join(", ")})`,
        );
        ctx.tally.count("accounts", "updated");
        if (!ctx.dryRun) {
          current = await ctx.target.json("PUT", `/v1/accounts/${current.accountId}`, Account, {
            body: account,
            ifMatch: current.version,
          });
        }
      } else ctx.tally.count("accounts", "unchanged");
      if (terms) {
        ctx.io.out(`accounts: ${doing(ctx, "setting", "set")} the card terms of ${label}`);
        ctx.tally.count("card terms", terms.version === 0 ? "created" : "updated");
        if (!ctx.dryRun) {
          await ctx.target.json("PUT", `/v1/cards/${current.accountId}`, Card, {
            body: terms.body,
            ifMatch: terms.version,
          });
        }
      }
      this.pair(step.source, current, false);
    }
  }

  private pair(source: Account, target: Account, created: boolean): void {
    this.ctx.accounts.set(source.accountId, target.accountId);
    this.pairs.push({ source, target, created });
  }

  /** The pair of a source account. */
  of(sourceId: string): AccountPair | undefined {
    return this.pairs.find((p) => p.source.accountId === sourceId);
  }

  /** Reopens a target account the source closed, for an import or a template to use. */
  async ensureOpen(targetId: string | null | undefined): Promise<void> {
    if (!targetId || this.ctx.dryRun) return;
    const pair = this.pairs.find((p) => p.target?.accountId === targetId);
    if (!pair?.target?.closed) return;
    this.ctx.io.out(`accounts: reopening "${pair.target.name}" while it is written to`);
    pair.target = await this.ctx.target.json("PUT", `/v1/accounts/${targetId}`, Account, {
      body: { closed: false },
      ifMatch: pair.target.version,
    });
  }

  /** Closes what the source has closed, and reads every account again for the check. */
  async finish(): Promise<void> {
    const { ctx } = this;
    if (ctx.dryRun) return;
    const now = new Map(
      (await ctx.target.items("/v1/accounts", Account, { includeClosed: "true" })).map((a) => [
        a.accountId,
        a,
      ]),
    );
    for (const pair of this.pairs) {
      let target = pair.target && now.get(pair.target.accountId);
      if (target && pair.source.closed && !target.closed) {
        ctx.io.out(`accounts: closing "${target.name}", as the source has it`);
        target = await ctx.target.json("PUT", `/v1/accounts/${target.accountId}`, Account, {
          body: { closed: true },
          ifMatch: target.version,
        });
      }
      pair.target = target;
    }
  }
}
