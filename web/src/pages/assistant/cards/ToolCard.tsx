import { type ReactNode, useId } from "react";

/** Each tool as a person would name what it looked up. */
export const TOOL_LABELS: Record<string, string> = {
  get_user_context: "Your numbers",
  analyze_budget: "Budget check",
  calculate_payoff: "Payoff plan",
  spending_by: "Where the money went",
  find_transactions: "Transactions",
  forecast_savings: "Savings forecast",
  optimize_categories: "A better split of your budget",
  add_transaction: "Transaction recorded",
  set_category_limit: "Limit changed",
  create_goal: "Goal created",
};

/** A tool's name in words: its label, or its own name made readable ("some_tool" → "Some tool"). */
export const toolLabel = (tool: string) => {
  const known = TOOL_LABELS[tool];
  if (known) return known;
  const words = tool.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The frame of a tool's result: its title, where it came from (the tool), and what it found. */
export function ToolCard({
  title,
  tool,
  className = "",
  children,
}: {
  title: string;
  tool: string;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <article
      className={`tool-card ${className}`}
      aria-labelledby={id}
      data-testid="tool-card"
      data-tool={tool}
    >
      <h4 id={id}>{title}</h4>
      {children}
      <p className="tool-source muted">
        From the tool <code>{tool}</code>
      </p>
    </article>
  );
}

/** A card's key figures: each name above its figure (the page's `.facts`). */
export function Facts({
  items,
}: {
  items: readonly (readonly [string, ReactNode] | false | null | undefined)[];
}) {
  return (
    <dl className="facts tool-facts">
      {items.map((item) =>
        item ? (
          <div key={item[0]}>
            <dt>{item[0]}</dt>
            <dd>{item[1]}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}
