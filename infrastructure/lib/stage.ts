import type { TableDefinition } from "@tyche/api/tables";

/** The stages everyone shares. A developer may deploy a stage of their own beside them (`-c stage=alice`). */
export const STAGES = ["dev", "prod"] as const;

export type Stage = string;

/**
 * Lower case because the stage goes into S3 bucket names and CloudFormation stack names; short so
 * that the longest name built from it (`tyche-<stage>-transaction-details-throttles`, a bucket
 * name with account and region) stays within AWS's limits.
 */
const STAGE_PATTERN = /^[a-z][a-z0-9]{0,11}$/;

/**
 * Turns the `stage` context value into a Stage. An unset value means dev so that a bare `cdk synth` can never
 * touch production. Because every name carries the stage, a typo such as "prd" makes a stage of its own with
 * its own, empty tables: it can never reach production's data.
 */
export function parseStage(value: unknown): Stage {
  if (value === undefined) return "dev";
  if (typeof value === "string" && STAGE_PATTERN.test(value)) return value;
  throw new Error(
    `Invalid stage ${JSON.stringify(value)}: pass -c stage=dev, -c stage=prod or a name of your own (a lower-case letter, then up to 11 lower-case letters or digits).`,
  );
}

/** Only production keeps its data when a resource or the stack is deleted. */
export const isProduction = (stage: Stage): boolean => stage === "prod";

/** `tyche-<stage>-<what>`: every physical name, so that stages can share an account and region. */
export const resourceName = (stage: Stage, what: string): string => `tyche-${stage}-${what}`;

/**
 * A table's name in a stage: `tyche-budgets` becomes `tyche-dev-budgets`. The local app keeps the bare default
 * names (its environment variables are unset); the compute on AWS gets these through the same variables.
 */
export const tableName = (stage: Stage, def: Pick<TableDefinition, "defaultName">): string =>
  resourceName(stage, def.defaultName.replace(/^tyche-/, ""));
