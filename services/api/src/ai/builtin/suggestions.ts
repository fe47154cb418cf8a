import type { AnyTool, ToolContext } from "../tools";

// Interim, until the built-in advisor's own suggestions land.
export const suggestQuestions = async (_ctx: ToolContext, _tools: readonly AnyTool[]): Promise<string[]> => [
  "How do I get out of debt?",
];
