import type { z } from "zod";
import { fullDate, money } from "../../../ui/format";
import type { CreatedGoalOutput } from "./schemas";
import { Facts, ToolCard } from "./ToolCard";

/** create_goal: the goal as made, with what it asks for each month. */
export function CreatedGoalCard({
  tool,
  o,
  currency,
}: {
  tool: string;
  o: z.output<typeof CreatedGoalOutput>;
  currency: string;
}) {
  const g = o.created;
  const c = g.currency ?? currency;
  return (
    <ToolCard title={`Goal created: ${g.name}`} tool={tool} className="tool-write">
      <Facts
        items={[
          ["Target", money(g.targetAmount, c)],
          ["By", fullDate(g.targetDate.slice(0, 10))],
          g.currentAmount !== undefined && ["Saved so far", money(g.currentAmount, c)],
          g.requiredMonthly !== undefined &&
            g.requiredMonthly !== null && ["To save a month", money(g.requiredMonthly, c)],
        ]}
      />
    </ToolCard>
  );
}
