import { handle } from "hono/aws-lambda";
import { type AppDeps, createApp } from "./app";

/**
 * The API as API Gateway invokes it, apart from where its dependencies come from: lambda.ts hands it
 * AWS from the environment, tests hand it DynamoDB Local and a local key set.
 */
export function createLambdaHandler(deps: AppDeps) {
  return handle(createApp(deps));
}
