import { createTools, runTool, type ToolOutcome } from "../../src/ai/tools";
import { toolContext } from "../../src/ai/tools/tool";
import type { Principal } from "../../src/auth/principal";
import { createServices, type Services } from "../../src/services";
import { LocalFileStorage } from "../../src/storage/files";
import type { Account, Harness } from "./harness";

export interface ToolRunner {
  services: Services;
  /** Runs a tool as the user with this token's principal (a session: may write), or as `principal`. */
  run(user: Account | Principal, tool: string, input?: unknown, callId?: string): Promise<ToolOutcome>;
  /** As run, but fails the test unless the tool answered; gives its output. */
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on tools' JSON outputs field by field
  ok(user: Account | Principal, tool: string, input?: unknown, callId?: string): Promise<any>;
}

/**
 * The AI tools over the harness's own store, with the same services the app builds, as the chat
 * and the MCP server run them. `today` is the tools' and the services' today.
 */
export function toolRunner(h: Harness, today: string): ToolRunner {
  const services = createServices({
    ...h.store,
    authenticator: h.tokens,
    files: new LocalFileStorage(h.receiptsDir),
    today: () => today,
  });
  const tools = createTools(services);
  const principalOf = async (user: Account | Principal) =>
    "token" in user ? h.tokens.verify(user.token) : user;
  const run = async (user: Account | Principal, name: string, input: unknown = {}, callId?: string) => {
    const tool = tools.find((t) => t.name === name);
    if (!tool) throw new Error(`no tool ${name}`);
    const ctx = toolContext(await principalOf(user), today);
    return runTool(tool, callId ? { ...ctx, callId } : ctx, input);
  };
  return {
    services,
    run,
    async ok(user, name, input, callId) {
      const outcome = await run(user, name, input, callId);
      if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error}`);
      return outcome.output;
    },
  };
}
