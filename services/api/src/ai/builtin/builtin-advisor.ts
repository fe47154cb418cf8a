import type { Advisor, AdvisorEvent, AdvisorRequest } from "../advisor";
import { answerAfford } from "./answers/afford";
import type { Answer, Asked } from "./answers/common";
import { answerGoal } from "./answers/goal";
import { answerOverspending } from "./answers/overspending";
import { answerPayoff } from "./answers/payoff";
import { answerSpending } from "./answers/spending";
import { answerSummary } from "./answers/summary";
import { answerUnknown } from "./answers/unknown";
import { answerWhatIf } from "./answers/what-if";
import { type Intent, recognise } from "./intents";
import { Turn } from "./turn";
import { vocabularyOf } from "./vocabulary";

/** The first words of every answer: who is speaking, so nobody takes it for a language model. */
export const BUILT_IN_HEADER = "Built-in advisor (no AI model configured):";

function answerFor(asked: Asked, intent: Intent): Answer {
  switch (intent.kind) {
    case "payoff":
      return answerPayoff(asked, intent);
    case "overspending":
      return answerOverspending(asked, intent);
    case "afford":
      return answerAfford(asked, intent);
    case "goal":
      return answerGoal(asked, intent);
    case "what-if":
      return answerWhatIf(asked, intent);
    case "summary":
      return answerSummary(asked, intent);
    case "spending":
      return answerSpending(asked, intent);
    default:
      return answerUnknown(asked);
  }
}

/**
 * The advisor used when no model is configured: it reads the user's context, recognises the
 * question's intent (intents.ts), calls the tools that answer it, and writes the answer from
 * templates holding only the tools' figures (docs/AI.md). It only reads: a change it recommends is
 * put in words for the user to make.
 */
export function createBuiltInAdvisor(): Advisor {
  return {
    kind: "built-in",
    async *answer(request: AdvisorRequest): AsyncIterable<AdvisorEvent> {
      const turn = new Turn(request);
      // Said first, before any tool runs: whoever reads the answer knows at once who is answering.
      yield { type: "text", delta: BUILT_IN_HEADER };
      const context = yield* turn.call("get_user_context", {});
      const asked: Asked = {
        turn,
        context: context.ok ? context.output : null,
        contextError: context.ok ? null : context.error,
      };
      const intent = recognise(request.question, vocabularyOf(asked.context, request.ctx.today));
      const lines = yield* answerFor(asked, intent);
      if (turn.aborted) return;
      for (const line of lines) yield { type: "text", delta: `\n${line}` };
    },
  };
}
