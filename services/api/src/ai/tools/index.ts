import { canWrite, type Principal } from "../../auth/principal";
import type { Services } from "../../services";
import { analyzeBudgetTool } from "./analyze-budget";
import { calculatePayoffTool } from "./calculate-payoff";
import { findTransactionsTool } from "./find-transactions";
import { forecastSavingsTool } from "./forecast-savings";
import { optimizeCategoriesTool } from "./optimize-categories";
import { spendingByTool } from "./spending-by";
import type { AnyTool } from "./tool";
import { userContextTool } from "./user-context";
import { addTransactionTool, createGoalTool, setCategoryLimitTool } from "./write-tools";

export { runTool, type ToolOutcome } from "./run-tool";
export type { AnyTool, ToolContext, TycheTool } from "./tool";

/** Every tool, in the order a model is shown them (the context first). */
export function createTools(s: Services): AnyTool[] {
  return [
    userContextTool(s),
    analyzeBudgetTool(s),
    calculatePayoffTool(s),
    forecastSavingsTool(s),
    optimizeCategoriesTool(s),
    findTransactionsTool(s),
    spendingByTool(s),
    addTransactionTool(s),
    setCategoryLimitTool(s),
    createGoalTool(s),
  ];
}

/** The tools a principal may be offered: the write tools only where its token allows writing. */
export const toolsFor = (tools: readonly AnyTool[], principal: Principal): AnyTool[] =>
  tools.filter((t) => !t.write || canWrite(principal));
