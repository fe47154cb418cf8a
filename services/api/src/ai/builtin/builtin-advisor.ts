import type { Advisor, AdvisorEvent } from "../advisor";
import { runTool } from "../tools";

// Interim: the month's picture from get_user_context, until the intent-recognising advisor lands.
export const createBuiltInAdvisor = (): Advisor => ({
  kind: "built-in",
  async *answer({ ctx, tools }): AsyncIterable<AdvisorEvent> {
    const tool = tools.find((t) => t.name === "get_user_context");
    if (!tool) return;
    const callId = "context";
    yield { type: "tool-call", callId, tool: tool.name, input: {} };
    const outcome = await runTool(tool, { ...ctx, callId }, {});
    if (!outcome.ok) {
      yield { type: "tool-error", callId, tool: tool.name, error: outcome.error };
      return;
    }
    yield { type: "tool-result", callId, tool: tool.name, output: outcome.output };
    yield {
      type: "text",
      delta: "Built-in advisor (no AI model configured): your month is in the card beside.",
    };
  },
});
