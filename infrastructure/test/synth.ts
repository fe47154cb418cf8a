import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { Stage } from "../lib/stage";
import { TycheStack } from "../lib/tyche-stack";

export interface CfnResource {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON that the tests walk
  Properties: Record<string, any>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** A stand-in for web/dist, so the stack tests need no web build and hash a few bytes instead of the app. */
function webDist(): string {
  const dir = mkdtempSync(join(tmpdir(), "tyche-web-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>Tyche</title>");
  return dir;
}

/**
 * The stack as CloudFormation sees it, without bundling: `aws:cdk:bundling-stacks` set to none is CDK's own
 * switch for that (the assets become placeholders), which keeps a synthesis at a few seconds. The real bundles
 * are built by `npm run synth` and tested from cdk.out (bundle.test.ts).
 */
export function synth(stage: Stage, props: { alarmEmail?: string } = {}) {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  const stack = new TycheStack(app, `Tyche-${stage}`, {
    stage,
    webDist: webDist(),
    env: { account: "123456789012", region: "us-east-1" },
    ...props,
  });
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, CfnResource> };
}

export type Synth = ReturnType<typeof synth>;

/** The one resource of a type whose properties match, with its logical id. */
export function only(s: Synth, type: string, props: Record<string, unknown> = {}): [string, CfnResource] {
  const found = Object.entries(s.template.findResources(type, { Properties: props })) as [
    string,
    CfnResource,
  ][];
  const [first] = found;
  if (!first || found.length !== 1)
    throw new Error(`Expected one ${type} matching ${JSON.stringify(props)}, found ${found.length}`);
  return first;
}

export const ofType = (s: Synth, type: string) =>
  Object.entries(s.resources).filter(([, r]) => r.Type === type) as [string, CfnResource][];
