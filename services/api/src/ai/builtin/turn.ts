import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { log } from "../../log";
import type { AdvisorEvent, AdvisorRequest } from "../advisor";
import { type AnyTool, runTool } from "../tools";
import type { analyzeBudgetTool } from "../tools/analyze-budget";
import type { calculatePayoffTool } from "../tools/calculate-payoff";
import type { findTransactionsTool } from "../tools/find-transactions";
import type { forecastSavingsTool } from "../tools/forecast-savings";
import type { optimizeCategoriesTool } from "../tools/optimize-categories";
import type { spendingByTool } from "../tools/spending-by";
import type { userContextTool } from "../tools/user-context";

// biome-ignore lint/suspicious/noExplicitAny: only the tool factory's return type is read
type Factory = (...args: any[]) => AnyTool;
type OutputOf<F extends Factory> = Awaited<ReturnType<ReturnType<F>["run"]>>;
type InputOf<F extends Factory> = z.input<ReturnType<F>["input"]>;

/** The tools the built-in advisor reads, by name, with the shapes their code gives. */
interface Tools {
  get_user_context: typeof userContextTool;
  analyze_budget: typeof analyzeBudgetTool;
  calculate_payoff: typeof calculatePayoffTool;
  forecast_savings: typeof forecastSavingsTool;
  optimize_categories: typeof optimizeCategoriesTool;
  find_transactions: typeof findTransactionsTool;
  spending_by: typeof spendingByTool;
}
export type ToolName = keyof Tools;
export type ToolOutput<N extends ToolName> = OutputOf<Tools[N]>;
export type ToolInput<N extends ToolName> = InputOf<Tools[N]>;

export type UserContext = ToolOutput<"get_user_context">;
export type BudgetAnalysis = ToolOutput<"analyze_budget">;
export type Payoff = ToolOutput<"calculate_payoff">;
export type Forecast = ToolOutput<"forecast_savings">;
export type Optimisation = ToolOutput<"optimize_categories">;
export type Transactions = ToolOutput<"find_transactions">;
export type Spending = ToolOutput<"spending_by">;

export type Outcome<T> = { ok: true; output: T } | { ok: false; error: string };

/** The events of a tool call and what it answered: `const out = yield* turn.call(...)`. */
export type Call<T> = AsyncGenerator<AdvisorEvent, Outcome<T>, void>;

/**
 * One question's tool calls: each runs through runTool as the caller, with a call id of its own, and
 * is streamed as its tool-call event then its tool-result or tool-error event. Only the tools the
 * request offers are used; a missing one, a refused input or a fault is an outcome the answer puts
 * into words, never a throw.
 */
export class Turn {
  private calls = 0;
  private readonly prefix = `builtin-${randomUUID()}`;

  constructor(private readonly request: AdvisorRequest) {}

  get today(): string {
    return this.request.ctx.today;
  }

  get aborted(): boolean {
    return this.request.signal?.aborted ?? false;
  }

  has(name: string): boolean {
    return this.request.tools.some((t) => t.name === name);
  }

  async *call<N extends ToolName>(name: N, input: ToolInput<N>): Call<ToolOutput<N>> {
    const outcome = yield* this.run(name, input);
    // runTool ran this very tool, so its output has the tool's own shape.
    return outcome as Outcome<ToolOutput<N>>;
  }

  /** A tool outside the typed set (one added later), its output left to the caller to read. */
  async *run(name: string, input: unknown): Call<unknown> {
    const tool = this.request.tools.find((t) => t.name === name);
    if (!tool) return { ok: false, error: `${name} is not available to this advisor` };
    if (this.aborted) return { ok: false, error: "the question was cancelled" };
    this.calls += 1;
    const callId = `${this.prefix}-${this.calls}`;
    yield { type: "tool-call", callId, tool: name, input };
    let outcome: Outcome<unknown>;
    try {
      outcome = await runTool(tool, { ...this.request.ctx, callId }, input);
    } catch (err) {
      // A fault, not a refusal: the answer still says honestly that this part could not be worked out.
      log().error({ err, tool: name }, "built-in advisor: tool failed");
      outcome = { ok: false, error: `${name} failed unexpectedly` };
    }
    yield outcome.ok
      ? { type: "tool-result", callId, tool: name, output: outcome.output }
      : { type: "tool-error", callId, tool: name, error: outcome.error };
    return outcome;
  }
}
