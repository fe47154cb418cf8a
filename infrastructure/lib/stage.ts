export const STAGES = ["dev", "prod"] as const;

export type Stage = (typeof STAGES)[number];

/**
 * Turns the `stage` context value into a Stage. An unset value means dev so that a bare `cdk synth` can never
 * touch production; anything else unknown is refused rather than guessed, because a typo such as "prd" would
 * otherwise deploy with dev's destroy-on-delete tables.
 */
export function parseStage(value: unknown): Stage {
  if (value === undefined) return "dev";
  if (typeof value === "string" && (STAGES as readonly string[]).includes(value)) return value as Stage;
  throw new Error(`Invalid stage ${JSON.stringify(value)}: pass -c stage=dev or -c stage=prod.`);
}
