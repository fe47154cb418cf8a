import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { convertArrayToReadableStream, MockLanguageModelV3 } from "ai/test";

/** What the model does in one step: call tools, or write text (split in a few deltas). */
export type Step = { tools: { name: string; input: unknown }[] } | { text: string };

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 10, text: 10, reasoning: 0 },
};

let calls = 0;

function partsOf(step: Step): LanguageModelV3StreamPart[] {
  if ("text" in step) {
    const words = step.text.split(/(?<= )/);
    return [
      { type: "text-start", id: "t" },
      ...words.map((delta): LanguageModelV3StreamPart => ({ type: "text-delta", id: "t", delta })),
      { type: "text-end", id: "t" },
      { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
    ];
  }
  return [
    ...step.tools.map((t): LanguageModelV3StreamPart => {
      calls += 1;
      return {
        type: "tool-call",
        toolCallId: `call-${calls}`,
        toolName: t.name,
        input: JSON.stringify(t.input),
      };
    }),
    { type: "finish", finishReason: { unified: "tool-calls", raw: "tool_use" }, usage },
  ];
}

/**
 * The AI SDK's mock language model playing a script, one step per model call, and keeping what
 * each call was sent (the prompt with the tools' results, the tools offered) for the test to check.
 * Each call takes the next step of the script of the turn it belongs to, so several turns can be
 * scripted one after the other.
 */
export function scriptedModel(script: Step[]) {
  const steps = [...script];
  const sent: LanguageModelV3CallOptions[] = [];
  const model = new MockLanguageModelV3({
    provider: "scripted",
    modelId: "script",
    doStream: async (options) => {
      sent.push(options);
      const step = steps.shift();
      if (!step) throw new Error("the script has no more steps");
      return { stream: convertArrayToReadableStream(partsOf(step)) };
    },
  });
  return {
    model,
    sent,
    /** Appends steps for a later turn. */
    queue: (...more: Step[]) => steps.push(...more),
  };
}
