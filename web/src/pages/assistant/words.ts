import type { AdvisorKind } from "@tyche/types";

/** Which advisor answered a turn, said plainly beside it. */
export function advisorNote(advisor: AdvisorKind | undefined, model: string | undefined): string {
  if (advisor === "model") return `Answered by ${model ?? "an AI model"}.`;
  if (advisor === "built-in")
    return "Built-in advisor: answers from your numbers with fixed rules; no AI model is configured.";
  return "";
}

/** Which advisor answers here, before the first question. */
export function advisorIntro(advisor: AdvisorKind, model: string | undefined): string {
  return advisor === "model"
    ? `Answers come from ${model ?? "an AI model"}. It works out every figure with Tyche's own tools, from your data, and shows them beside its words.`
    : "No AI model is configured, so Tyche's built-in advisor answers. It recognises the common questions (a payoff plan, where you overspend, whether you can afford something, how to reach a goal) and answers them from your numbers with fixed rules, showing the figures it used.";
}
