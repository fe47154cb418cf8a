import {
  type JSONSchema7,
  jsonSchema,
  type LanguageModel,
  type ModelMessage,
  stepCountIs,
  streamText,
  type ToolSet,
  tool,
} from "ai";
import { z } from "zod";
import { log } from "../../log";
import type { Advisor, AdvisorEvent, AdvisorRequest } from "../advisor";
import { type AnyTool, runTool, type ToolContext } from "../tools";

/** Tool rounds a turn may take before it must answer: enough for context, analysis and a plan. */
const MAX_STEPS = 8;
/** Earlier turns the model is shown: the thread of the conversation without its whole length. */
const HISTORY_TURNS = 10;

/** The brief's system prompt, and what keeps every figure in the answer a tool's. */
export const SYSTEM_PROMPT = `You are Tyche's financial advisor. You help one person get out of credit-card debt by budgeting for real.

Your tools read the user's own data and compute exact figures. Money in tool results is an integer count of cents with a currency: 123456 with USD is $1,234.56. Write amounts with the currency symbol and two decimals, converting cents exactly. Never compute a figure yourself (no sums, differences, interest or dates): every amount and date you write must appear in a tool result of this turn, or in the user's own words. If you need a figure no tool gave, call the tool that computes it, or say you cannot tell.

When the user asks about debt payoff:
1. Check budget.availableForDebtPayoff (get_user_context) for the exact monthly amount.
2. If overspending is detected, suggest budget cuts (analyze_budget, optimize_categories).
3. Calculate payoff strategies with the real available funds (calculate_payoff), and name the best.
4. Give actionable recommendations based on the spending patterns: what to pay to which card this month, which limits to change, by how much.

Only use a tool that changes data (add_transaction, set_category_limit, create_goal) when the user has asked for that change in so many words. Be brief and concrete; use short paragraphs and "- " lists.`;

/** The tools as the AI SDK runs them: each call through runTool, a refusal or bad input thrown as a readable error. */
function sdkTools(tools: readonly AnyTool[], ctx: ToolContext): ToolSet {
  return Object.fromEntries(
    tools.map((t) => [
      t.name,
      tool({
        description: t.description,
        // The model is shown the schema, and runTool parses with it: its messages name the field
        // ("limit: must not be negative") where the SDK's own check would answer with raw issues.
        inputSchema: jsonSchema(
          z.toJSONSchema(t.input, { io: "input", unrepresentable: "any" }) as JSONSchema7,
        ),
        execute: async (input: unknown, { toolCallId }: { toolCallId: string }) => {
          // Thrown, the message reaches the model as the tool's error result, which it can act on.
          const outcome = await runTool(t, { ...ctx, callId: toolCallId }, input).catch((err: unknown) => {
            // A fault (the database, a bug) is logged here and told to the model without its insides.
            log().error({ err, tool: t.name }, "tool failed");
            return { ok: false as const, error: `${t.name} failed unexpectedly; try again later` };
          });
          if (!outcome.ok) throw new Error(outcome.error);
          return outcome.output;
        },
      }),
    ]),
  );
}

const historyMessages = (request: AdvisorRequest): ModelMessage[] =>
  request.history.slice(-HISTORY_TURNS).flatMap((t): ModelMessage[] => [
    { role: "user", content: t.question },
    { role: "assistant", content: t.answer },
  ]);

/** A language model with Tyche's tools, through the Vercel AI SDK. */
export function createModelAdvisor(model: LanguageModel, id: string): Advisor {
  return {
    kind: "model",
    model: id,
    async *answer(request): AsyncIterable<AdvisorEvent> {
      const result = streamText({
        model,
        system: SYSTEM_PROMPT,
        messages: [...historyMessages(request), { role: "user", content: request.question }],
        tools: sdkTools(request.tools, request.ctx),
        stopWhen: stepCountIs(MAX_STEPS),
        ...(request.signal ? { abortSignal: request.signal } : {}),
      });
      for await (const part of result.fullStream) {
        switch (part.type) {
          case "text-delta":
            if (part.text) yield { type: "text", delta: part.text };
            break;
          case "tool-call":
            yield { type: "tool-call", callId: part.toolCallId, tool: part.toolName, input: part.input };
            break;
          case "tool-result":
            yield { type: "tool-result", callId: part.toolCallId, tool: part.toolName, output: part.output };
            break;
          case "tool-error":
            yield {
              type: "tool-error",
              callId: part.toolCallId,
              tool: part.toolName,
              error: part.error instanceof Error ? part.error.message : String(part.error),
            };
            break;
          case "error":
            throw part.error instanceof Error ? part.error : new Error(String(part.error));
        }
      }
    },
  };
}
