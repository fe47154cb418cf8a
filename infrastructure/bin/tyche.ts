import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { parseStage } from "../lib/stage";
import { TycheStack } from "../lib/tyche-stack";

// The cdk CLI names its own output directory; run directly (npx tsx bin/tyche.ts) the app would otherwise write
// to a temporary directory, so it falls back to infrastructure/cdk.out wherever it is started from.
const app = new App({
  outdir: process.env.CDK_OUTDIR ?? fileURLToPath(new URL("../cdk.out", import.meta.url)),
});
const stage = parseStage(app.node.tryGetContext("stage"));
const alarmEmail: unknown = app.node.tryGetContext("alarmEmail");
new TycheStack(app, `Tyche-${stage}`, {
  stage,
  ...(typeof alarmEmail === "string" && alarmEmail ? { alarmEmail } : {}),
  // The account and region the CLI resolved (profile, AWS_REGION); unset when synthesised without credentials.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
