import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import type { AiConfig } from "../../config";

/** The configured provider's model, with its id as the page shows it (`anthropic:claude-...`). */
export function languageModel(
  config: Exclude<AiConfig, { provider: "none" }>,
  region: string,
): { model: LanguageModel; id: string } {
  const id = `${config.provider}:${config.model}`;
  switch (config.provider) {
    case "anthropic":
      // The key comes from ANTHROPIC_API_KEY, read by the provider at the first call.
      return { model: createAnthropic()(config.model), id };
    case "bedrock":
      // Credentials from the AWS environment (a Lambda's role, a profile's exported keys).
      return { model: createAmazonBedrock({ region })(config.model), id };
    case "openai":
      return {
        model: createOpenAICompatible({
          name: "openai",
          baseURL: config.baseUrl ?? "https://api.openai.com/v1",
          ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        })(config.model),
        id,
      };
  }
}
