import type { AppDeps } from "../services";
import type { Advisor } from "./advisor";
import { createBuiltInAdvisor } from "./builtin/builtin-advisor";
import { suggestQuestions } from "./builtin/suggestions";
import { languageModel } from "./model/language-model";
import { createModelAdvisor } from "./model/model-advisor";
import type { AnyTool, ToolContext } from "./tools";

export interface AdvisorChoice {
  advisor: Advisor;
  /** Questions worth asking: the built-in advisor's, which recognises each, whoever answers. */
  suggestions: (ctx: ToolContext, tools: readonly AnyTool[]) => Promise<string[]>;
}

/** The advisor the app was given, else the one AI_PROVIDER names, else the built-in advisor. */
export function advisorFor(deps: Pick<AppDeps, "advisor" | "ai" | "region">): AdvisorChoice {
  if (deps.advisor) return { advisor: deps.advisor, suggestions: suggestQuestions };
  if (!deps.ai || deps.ai.provider === "none")
    return { advisor: createBuiltInAdvisor(), suggestions: suggestQuestions };
  const { model, id } = languageModel(deps.ai, deps.region ?? "us-east-1");
  return { advisor: createModelAdvisor(model, id), suggestions: suggestQuestions };
}
