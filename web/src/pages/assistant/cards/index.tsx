import type { ChatToolUse } from "@tyche/types";
import { Component, type ReactNode } from "react";
import type { z } from "zod";
import { AnalyzeBudgetCard, SetLimitCard, UserContextCard } from "./BudgetCards";
import { ForecastCard, OptimizeCard } from "./ForecastCards";
import { GenericCard } from "./GenericCard";
import { CreatedGoalCard } from "./GoalCards";
import { PayoffCard } from "./PayoffCard";
import { CreatedTransactionCard, FindTransactionsCard, SpendingByCard } from "./SpendingCards";
import {
  AnalyzeBudgetOutput,
  CreatedGoalOutput,
  CreatedTransactionOutput,
  FindTransactionsOutput,
  ForecastOutput,
  OptimizeOutput,
  PayoffOutput,
  SetLimitOutput,
  SpendingByOutput,
  UserContextOutput,
} from "./schemas";
import { ToolCard, toolLabel } from "./ToolCard";

type Render = (tool: string, output: unknown, currency: string) => ReactNode | undefined;

/** A tool's own card, for an output its schema reads; undefined otherwise (the generic card shows it). */
const card =
  <S extends z.ZodType>(
    schema: S,
    render: (tool: string, o: z.output<S>, currency: string) => ReactNode,
  ): Render =>
  (tool, output, currency) => {
    const parsed = schema.safeParse(output);
    return parsed.success ? render(tool, parsed.data, currency) : undefined;
  };

const CARDS: Record<string, Render> = {
  get_user_context: card(UserContextOutput, (tool, o) => <UserContextCard tool={tool} o={o} />),
  analyze_budget: card(AnalyzeBudgetOutput, (tool, o) => <AnalyzeBudgetCard tool={tool} o={o} />),
  calculate_payoff: card(PayoffOutput, (tool, o) => <PayoffCard tool={tool} o={o} />),
  spending_by: card(SpendingByOutput, (tool, o) => <SpendingByCard tool={tool} o={o} />),
  find_transactions: card(FindTransactionsOutput, (tool, o, c) => (
    <FindTransactionsCard tool={tool} o={o} currency={c} />
  )),
  forecast_savings: card(ForecastOutput, (tool, o) => <ForecastCard tool={tool} o={o} />),
  optimize_categories: card(OptimizeOutput, (tool, o) => <OptimizeCard tool={tool} o={o} />),
  add_transaction: card(CreatedTransactionOutput, (tool, o, c) => (
    <CreatedTransactionCard tool={tool} o={o} currency={c} />
  )),
  set_category_limit: card(SetLimitOutput, (tool, o) => <SetLimitCard tool={tool} o={o} />),
  create_goal: card(CreatedGoalOutput, (tool, o, c) => <CreatedGoalCard tool={tool} o={o} currency={c} />),
};

/** The currency a turn's figures are in: the first a tool named (the tools without one are the user's own). */
export function currencyOf(tools: readonly ChatToolUse[]): string {
  for (const t of tools) {
    const c = (t.output as { currency?: unknown } | null | undefined)?.currency;
    if (typeof c === "string" && /^[A-Z]{3}$/.test(c)) return c;
  }
  return "USD";
}

/** A card that threw while drawing gives way to the generic card: an odd output never breaks the page. */
class Fallback extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

function Specific({ use, currency }: { use: ChatToolUse; currency: string }) {
  return (
    CARDS[use.tool]?.(use.tool, use.output, currency) ?? <GenericCard tool={use.tool} output={use.output} />
  );
}

/** One tool's part in an answer: running, failed, or its result as a card. */
function ToolResult({ use, currency }: { use: ChatToolUse; currency: string }) {
  if (use.error !== undefined)
    return (
      <ToolCard title={`${toolLabel(use.tool)}: not available`} tool={use.tool} className="tool-failed">
        <p>{use.error}</p>
      </ToolCard>
    );
  if (use.output === undefined)
    return (
      <p className="tool-running loading" data-testid="tool-running">
        Looking up: {toolLabel(use.tool).toLowerCase()}…
      </p>
    );
  return (
    <Fallback fallback={<GenericCard tool={use.tool} output={use.output} />}>
      <Specific use={use} currency={currency} />
    </Fallback>
  );
}

/** The tools an answer used, each as a card with its figures: where the answer's numbers came from. */
export function ToolResults({ tools }: { tools: readonly ChatToolUse[] }) {
  if (tools.length === 0) return null;
  const currency = currencyOf(tools);
  return (
    <div className="tool-results">
      {tools.map((t) => (
        <ToolResult key={t.callId} use={t} currency={currency} />
      ))}
    </div>
  );
}
